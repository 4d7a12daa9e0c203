"""The resource library in the admin: resources and their language versions (uploads checked by content)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models.knowledge import Resource, ResourceVersion
from ..models.lifecycle import SUPPORT_STAGES as _STAGES
from ..services import knowledge as services
from ..uploads import ACCEPT_HELP, check_upload


class ResourceVersionForm(forms.ModelForm):
    """A language version: the upload is checked by its content and size before anything is stored."""

    class Meta:
        model = ResourceVersion
        fields = ["language", "title", "file", "external_url"]
        help_texts = {"file": ACCEPT_HELP}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            file_type = check_upload(upload)
            self.instance.content_type = file_type.content_type
            self.instance.file_size = upload.size
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.errors or cleaned.get("DELETE"):
            return cleaned
        has_file = bool(cleaned.get("file"))
        has_url = bool(cleaned.get("external_url"))
        if has_file == has_url:
            raise forms.ValidationError(_("Give either a file or an external link (one of the two)."))
        if has_url:
            self.instance.content_type, self.instance.file_size = "", None
        return cleaned


class ResourceVersionInline(admin.StackedInline):
    model = ResourceVersion
    form = ResourceVersionForm
    extra = 1
    readonly_fields = ["content_type", "file_size"]


class ResourceForm(forms.ModelForm):
    stages = forms.MultipleChoiceField(
        label=_("Lifecycle stages"),
        choices=[(s.value, s.label) for s in _STAGES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Resource
        fields = [
            "title",
            "slug",
            "kind",
            "summary",
            "stages",
            "ecosystems",
            "deadline",
            "is_published",
            "is_demo",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["stages"].initial = [link.stage for link in self.instance.stage_links.all()]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    form = ResourceForm
    inlines = [ResourceVersionInline]
    list_display = ["title", "kind", "deadline", "is_published", "is_demo", "updated_at"]
    list_filter = ["kind", "is_published", "is_demo", "ecosystems"]
    search_fields = ["title", "summary", "versions__title"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["ecosystems"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.resource_set_stages(resource=form.instance, stages=form.cleaned_data.get("stages", []))
