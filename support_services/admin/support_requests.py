"""Support requests from coordinators, answered in the admin."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models.support_requests import SupportRequest, SupportRequestStatus
from ..services import support_requests as services


class SupportRequestAdminForm(forms.ModelForm):
    new_answer = forms.CharField(
        label=_("Answer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text=_("E-mailed to the coordinator in their language and shown in their coordinator area."),
    )
    log_activity = forms.BooleanField(
        label=_("Log the answer as a support activity"),
        required=False,
        help_text=_("The answer becomes the activity's summary, which the coordinators see."),
    )
    close = forms.BooleanField(label=_("Close the request"), required=False)

    class Meta:
        model = SupportRequest
        fields = ["assigned_to"]

    def clean(self):
        cleaned = super().clean()
        answer = (cleaned.get("new_answer") or "").strip()
        if answer:
            allowed, reason = services.support_request_can_transition(
                support_request=self.instance, to_status=SupportRequestStatus.ANSWERED
            )
            if not allowed:
                self.add_error("new_answer", reason)
        elif cleaned.get("log_activity"):
            self.add_error("log_activity", _("Write the answer to log it as a support activity."))
        if cleaned.get("close") and self.instance.status == SupportRequestStatus.CLOSED:
            self.add_error("close", _("The request is already closed."))
        return cleaned


@admin.register(SupportRequest)
class SupportRequestAdmin(admin.ModelAdmin):
    """The staff queue of coordinators' requests: filter, assign, answer (e-mailed), log, close."""

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
    readonly_fields = [
        "partnership_link",
        "requested_by",
        "created_at",
        "language",
        "topic",
        "stage",
        "message_text",
        "status",
        "answer_text",
        "answered_by",
        "answered_at",
        "activity_link",
        "closed_at",
    ]
    fieldsets = [
        (
            _("Request"),
            {
                "fields": [
                    "partnership_link",
                    "requested_by",
                    "created_at",
                    "language",
                    "topic",
                    "stage",
                    "message_text",
                    "status",
                    "assigned_to",
                ]
            },
        ),
        (
            _("Answer so far"),
            {"fields": ["answer_text", "answered_by", "answered_at", "activity_link", "closed_at"]},
        ),
        (_("Answer and close"), {"fields": ["new_answer", "log_activity", "close"]}),
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
            obj.save(update_fields=["assigned_to"])
        answer = form.cleaned_data.get("new_answer", "").strip()
        if answer:
            services.support_request_answer(
                support_request=obj,
                by=request.user,
                answer=answer,
                log_activity=form.cleaned_data["log_activity"],
            )
            messages.info(request, _("The answer was e-mailed to the coordinator."))
        if form.cleaned_data.get("close"):
            services.support_request_close(support_request=obj, by=request.user)
