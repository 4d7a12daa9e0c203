"""Events and their materials in the admin."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models.events import Event, EventMaterial


class EventMaterialInline(admin.TabularInline):
    model = EventMaterial
    extra = 1
    fields = ["title", "url", "file", "order"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "attendance", "is_demo"]
    list_filter = ["kind", "attendance", "is_demo", "ecosystems"]
    search_fields = ["title", "description", "location", "theme"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["ecosystems", "partnerships"]
    inlines = [EventMaterialInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "theme", "is_demo"]}),
        (_("When"), {"fields": ["starts_at", "ends_at", "all_day"]}),
        (_("Where"), {"fields": ["attendance", "location", "online_url"]}),
        (_("Content"), {"fields": ["description", "ecosystems", "partnerships"]}),
    ]
