"""Support requests from coordinators, answered in the admin (the support-request workflow's buttons)."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from pact_portal.admin_workflow import WorkflowAdminMixin

from ..models.support_requests import SupportRequest
from ..services import support_requests as services
from ..workflows.support_requests import SUPPORT_REQUEST

# What the change page shows of the request and of its answer, read only.
REQUEST_FIELDS = [
    "partnership_link",
    "requested_by",
    "created_at",
    "language",
    "topic",
    "stage",
    "message_text",
    "status",
]
ANSWER_FIELDS = ["answer_text", "answered_by", "answered_at", "activity_link", "closed_at"]


class SupportRequestAdminForm(forms.ModelForm):
    class Meta:
        model = SupportRequest
        fields = ["assigned_to"]


@admin.register(SupportRequest)
class SupportRequestAdmin(WorkflowAdminMixin, admin.ModelAdmin):
    """The staff queue of coordinators' requests: filter, assign, answer (e-mailed), log, close."""

    workflow = SUPPORT_REQUEST
    workflow_checkboxes = {
        "answer": [
            (
                "log_activity",
                _("Log the answer as a support activity (its summary, which the coordinators see)"),
            )
        ]
    }
    change_form_template = "admin/support_services/supportrequest/change_form.html"
    form = SupportRequestAdminForm
    list_display = ["created_at", "partnership", "topic", "stage", "status", "assigned_to", "requested_by"]
    list_filter = [
        "status",
        "topic",
        "stage",
        ("assigned_to", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["partnership", "assigned_to", "requested_by"]
    search_fields = ["partnership__name", "partnership__acronym", "message", "answer"]
    date_hierarchy = "created_at"
    # The form edits the assignment only; the request and its answer change through the workflow's buttons.
    readonly_fields = [*REQUEST_FIELDS, *ANSWER_FIELDS]
    fieldsets = [
        (_("Request"), {"fields": [*REQUEST_FIELDS, "assigned_to"]}),
        (_("Answer so far"), {"fields": ANSWER_FIELDS}),
    ]

    @admin.display(description=_("partnership"))
    def partnership_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:support_services_partnershipsupport_change", args=[obj.partnership_id]),
            obj.partnership.name,
        )

    @admin.display(description=_("message"))
    def message_text(self, obj):
        return linebreaksbr(obj.message)

    @admin.display(description=_("answer"))
    def answer_text(self, obj):
        return linebreaksbr(obj.answer) if obj.answer else "—"

    @admin.display(description=_("logged as support activity"))
    def activity_link(self, obj):
        if obj.activity_id is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:support_services_supportactivity_change", args=[obj.activity_id]),
            obj.activity,
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assigned_to":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return False  # coordinators send requests from their area

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if "assigned_to" in form.changed_data:
            services.support_request_assign(support_request=obj, staff=obj.assigned_to)
