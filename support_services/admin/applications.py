"""The support services' EoI queue: filters, search, assignment, notes, and one button per transition
(built from the workflow's guards by ``pact_portal.admin_workflow``)."""

import datetime
import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pact_portal.admin_workflow import WorkflowAdminMixin
from partnerships.models import Stage, StakeholderType

from ..models.applications import STEP_FIELDS, ExpressionOfInterest
from ..selectors import applications as selectors
from ..services import applications as services
from ..workflows.applications import APPLICATION

# JSON fields of the applicant's answers, shown by a display method with their labels.
READABLE = {"partner_types": "partner_types_display", "support_stages": "support_stages_display"}


def choice_labels(values, choices):
    """Stored choice values as their labels in the interface language, unknown ones as they are."""
    labels = dict(choices)
    return ", ".join(str(labels.get(value, value)) for value in values or []) or "—"


class AgeFilter(admin.SimpleListFilter):
    title = _("age since submission")
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return [
            ("week", _("Less than a week")),
            ("month", _("1 week to 1 month")),
            ("older", _("Older than a month")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        week, month = now - datetime.timedelta(days=7), now - datetime.timedelta(days=30)
        if self.value() == "week":
            return queryset.filter(submitted_at__gte=week)
        if self.value() == "month":
            return queryset.filter(submitted_at__lt=week, submitted_at__gte=month)
        if self.value() == "older":
            return queryset.filter(submitted_at__lt=month)
        return queryset


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(WorkflowAdminMixin, admin.ModelAdmin):
    workflow = APPLICATION
    change_form_template = "admin/support_services/expressionofinterest/change_form.html"
    list_display = [
        "__str__",
        "partnership_name",
        "organisation_name",
        "organisation_country",
        "status",
        "assigned_to",
        "submitted_at",
        "age_days",
    ]
    list_filter = [
        "status",
        ("organisation_country", admin.RelatedOnlyFieldListFilter),
        "ecosystems",
        ("assigned_to", admin.RelatedOnlyFieldListFilter),
        AgeFilter,
        "is_demo",
    ]
    list_select_related = ["organisation_country", "assigned_to"]
    search_fields = ["reference", "partnership_name", "organisation_name", "contact_name", "contact_email"]
    date_hierarchy = "submitted_at"
    fieldsets = [
        (None, {"fields": ["reference", "status", "assigned_to", "partnership", "organisation", "is_demo"]}),
        (
            _("Organisation"),
            {"fields": STEP_FIELDS[1]},
        ),
        (
            _("Contact person"),
            {"fields": [*STEP_FIELDS[2], "language"]},
        ),
        (
            _("Proposed partnership"),
            # Regions and ecosystems (many-to-many, written with step 3) follow the scope.
            # The lists of choices stored as JSON show as their labels.
            {
                "fields": [
                    READABLE.get(name, name)
                    for name in [*STEP_FIELDS[3][:2], "regions", "ecosystems", *STEP_FIELDS[3][2:]]
                ]
            },
        ),
        (
            _("Record"),
            {
                "fields": [
                    "privacy_notice_version",
                    "consent_at",
                    "created_at",
                    "submitted_at",
                    "decided_at",
                    "expires_at",
                    "purged_at",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Applicants own their answers; staff change the workflow through the action buttons.
        return [f for fieldset in self.fieldsets for f in fieldset[1]["fields"] if f != "assigned_to"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assigned_to":
            from django.contrib.auth import get_user_model

            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=ExpressionOfInterest._meta.get_field("partner_types").verbose_name)
    def partner_types_display(self, obj):
        return choice_labels(obj.partner_types, StakeholderType.choices)

    @admin.display(description=ExpressionOfInterest._meta.get_field("support_stages").verbose_name)
    def support_stages_display(self, obj):
        return choice_labels(obj.support_stages, Stage.choices)

    @admin.display(description=_("days waiting"), ordering="submitted_at")
    def age_days(self, obj):
        if obj.submitted_at is None:
            return "—"
        return (timezone.now() - obj.submitted_at).days

    def save_model(self, request, obj, form, change):
        if "assigned_to" in form.changed_data:
            services.eoi_assign(eoi=obj, to=form.cleaned_data["assigned_to"], by=request.user)

    def save_related(self, request, form, formsets, change):
        pass  # regions and ecosystems are the applicant's, read-only here

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:object_id>/note/", wrap(self.note_view), name="support_services_eoi_note"),
            path("<int:object_id>/export.json", wrap(self.export_view), name="support_services_eoi_export"),
            *super().get_urls(),
        ]

    def note_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        eoi = self.get_object(request, str(object_id))
        if eoi is None:
            raise Http404
        if not self.has_change_permission(request, eoi):
            raise PermissionDenied
        try:
            services.eoi_add_note(eoi=eoi, by=request.user, text=request.POST.get("text", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Internal note added."))
        return redirect(self.workflow_change_url(eoi))

    def export_view(self, request, object_id):
        eoi = self.get_object(request, str(object_id))
        if eoi is None:
            raise Http404
        if not self.has_view_permission(request, eoi):
            raise PermissionDenied
        data = selectors.eoi_export_data(eoi=eoi)
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{eoi.reference or "eoi-draft-" + str(eoi.pk)}.json"'
        )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        eoi = self.get_object(request, object_id)
        if eoi is not None:
            extra_context.update(
                {
                    "eoi_timeline": selectors.eoi_admin_timeline(eoi=eoi),
                    "eoi_note_url": reverse("admin:support_services_eoi_note", args=[eoi.pk]),
                    "eoi_export_url": reverse("admin:support_services_eoi_export", args=[eoi.pk]),
                }
            )
        return super().change_view(request, object_id, form_url, extra_context=extra_context)
