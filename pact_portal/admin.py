from django.contrib import admin


class RecordAdmin(admin.ModelAdmin):
    """An audit record: written by a service, shown in the admin, never added, edited or deleted there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
