"""The support services' EoI queue: filters, search, assignment, notes, and one button per transition."""

import datetime
import json

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.defaultfilters import linebreaksbr
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partnerships.models import STAGE_ORDER, Stage

from . import selectors, services
from .models import (
    STEP_FIELDS,
    SUPPORT_STAGES,
    ChecklistItem,
    ChecklistStatus,
    EoiStatus,
    Event,
    EventMaterial,
    ExpressionOfInterest,
    NewsletterSubscription,
    PartnershipSupport,
    StaffAssignment,
    SupportActivity,
    SupportRequest,
    SupportRequestStatus,
)

# Action name → (service, label, the text field the service needs or None, the target status).
ACTIONS = {
    "start_assessment": (
        services.eoi_start_assessment,
        _("Start assessment"),
        None,
        EoiStatus.UNDER_ASSESSMENT,
    ),
    "request_information": (
        services.eoi_request_information,
        _("Request information"),
        "message",
        EoiStatus.INFORMATION_REQUESTED,
    ),
    "accept": (services.eoi_accept, _("Accept and create the partnership"), None, EoiStatus.ACCEPTED),
    "decline": (services.eoi_decline, _("Decline"), "reason", EoiStatus.DECLINED),
}


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
class ExpressionOfInterestAdmin(admin.ModelAdmin):
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
            {"fields": [*STEP_FIELDS[3][:2], "regions", "ecosystems", *STEP_FIELDS[3][2:]]},
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
            path(
                "<int:object_id>/action/<str:action>/",
                wrap(self.action_view),
                name="support_services_eoi_action",
            ),
            path("<int:object_id>/note/", wrap(self.note_view), name="support_services_eoi_note"),
            path("<int:object_id>/export.json", wrap(self.export_view), name="support_services_eoi_export"),
            *super().get_urls(),
        ]

    def _get_for_change(self, request, object_id):
        if request.method != "POST":
            raise PermissionDenied
        eoi = self.get_object(request, str(object_id))
        if eoi is None:
            raise Http404
        if not self.has_change_permission(request, eoi):
            raise PermissionDenied
        return eoi

    def _back(self, eoi):
        return redirect(reverse("admin:support_services_expressionofinterest_change", args=[eoi.pk]))

    def action_view(self, request, object_id, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if action not in ACTIONS:
            raise Http404
        eoi = self._get_for_change(request, object_id)
        service, label, text_field, _to = ACTIONS[action]
        kwargs = {"eoi": eoi, "by": request.user}
        if text_field:
            kwargs[text_field] = request.POST.get("text", "")
        else:
            kwargs["note"] = request.POST.get("text", "")
        try:
            eoi = service(**kwargs)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(reference)s: %(action)s done; the status is now “%(status)s”.")
                % {"reference": eoi, "action": label, "status": eoi.get_status_display()},
            )
        return self._back(eoi)

    def note_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        eoi = self._get_for_change(request, object_id)
        try:
            services.eoi_add_note(eoi=eoi, by=request.user, text=request.POST.get("text", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Internal note added."))
        return self._back(eoi)

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
            actions = []
            for name, (_service, label, text_field, to_status) in ACTIONS.items():
                allowed, reason = services.eoi_can_transition(eoi=eoi, to_status=to_status)
                if allowed:
                    actions.append(
                        {
                            "name": name,
                            "label": label,
                            "url": reverse("admin:support_services_eoi_action", args=[eoi.pk, name]),
                            "text_label": {
                                "message": _("Question for the applicant (e-mailed)"),
                                "reason": _("Reason (e-mailed to the applicant)"),
                            }.get(text_field, _("Note for the timeline (optional)")),
                            "text_required": bool(text_field),
                        }
                    )
            extra_context.update(
                {
                    "eoi_actions": actions,
                    "eoi_timeline": selectors.eoi_admin_timeline(eoi=eoi),
                    "eoi_note_url": reverse("admin:support_services_eoi_note", args=[eoi.pk]),
                    "eoi_export_url": reverse("admin:support_services_eoi_export", args=[eoi.pk]),
                }
            )
        return super().change_view(request, object_id, form_url, extra_context=extra_context)


# --- Lifecycle support ----------------------------------------------------------------------------------


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ["title", "stage", "order", "active"]
    list_editable = ["order", "active"]
    list_filter = ["stage", "active"]
    search_fields = ["title", "description"]
    ordering = ["stage", "order", "id"]

    def has_delete_permission(self, request, obj=None):
        return False  # statuses refer to items: retire an item by unticking "active"


@admin.register(SupportActivity)
class SupportActivityAdmin(admin.ModelAdmin):
    list_display = ["date", "partnership", "kind", "stage", "staff", "follow_up_on", "follow_up_done"]
    list_filter = [
        "kind",
        "stage",
        "follow_up_done",
        ("staff", admin.RelatedOnlyFieldListFilter),
        "date",
        "follow_up_on",
    ]
    list_select_related = ["partnership", "staff"]
    search_fields = ["partnership__name", "partnership__acronym", "participants", "summary", "internal_notes"]
    autocomplete_fields = ["partnership"]
    date_hierarchy = "date"
    fields = [
        "partnership",
        "kind",
        "date",
        "stage",
        "staff",
        "participants",
        "summary",
        "internal_notes",
        "follow_up_on",
        "follow_up_done",
    ]

    def get_changeform_initial_data(self, request):
        initial = {"date": timezone.localdate(), "staff": request.user.pk}
        initial.update(super().get_changeform_initial_data(request))
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "staff":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.support_activity_save(activity=obj)


def _posted_date(request, name):
    """(date or None, valid): an empty field is a valid "no date"."""
    raw = request.POST.get(name, "").strip()
    if not raw:
        return None, True
    try:
        value = parse_date(raw)
    except ValueError:
        value = None
    return value, value is not None


class StaffAssignmentInline(admin.TabularInline):
    model = StaffAssignment
    fk_name = "partnership"
    extra = 1
    fields = ["staff", "is_lead", "assigned_on"]
    readonly_fields = ["assigned_on"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("staff")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "staff":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(PartnershipSupport)
class PartnershipSupportAdmin(admin.ModelAdmin):
    """The support page of a partnership: checklist per stage, stage moves, history, log, assigned staff."""

    change_form_template = "admin/support_services/partnershipsupport/change_form.html"
    list_display = ["name", "kind", "stage", "open_items", "is_published", "assigned_staff"]
    list_filter = [
        "stage",
        "kind",
        "is_published",
        ("staff_assignments__staff", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "acronym", "slug"]
    fields = ["name", "kind", "stage", "is_published", "registry_record"]
    readonly_fields = fields
    inlines = [StaffAssignmentInline]

    def get_queryset(self, request):
        return selectors.with_open_checklist_items(super().get_queryset(request)).prefetch_related(
            Prefetch("staff_assignments", queryset=StaffAssignment.objects.select_related("staff"))
        )

    @admin.display(description=_("open checklist items in this stage"), ordering="open_items")
    def open_items(self, obj):
        return obj.open_items if obj.stage in SUPPORT_STAGES else "—"

    @admin.display(description=_("assigned staff"))
    def assigned_staff(self, obj):
        return ", ".join(
            a.staff.get_full_name() or a.staff.get_username() for a in obj.staff_assignments.all()
        )

    @admin.display(description=_("registry record"))
    def registry_record(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:partnerships_partnership_change", args=[obj.pk]),
            _("Edit the partnership"),
            obj.get_absolute_url(),
            _("Public profile"),
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        pass  # the partnership's own fields are read-only here; only the inlines are saved

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:object_id>/move/", wrap(self.move_view), name="support_services_partnership_move"),
            path(
                "<int:object_id>/checklist/",
                wrap(self.checklist_view),
                name="support_services_partnership_checklist",
            ),
            *super().get_urls(),
        ]

    def _get_for_change(self, request, object_id):
        partnership = self.get_object(request, str(object_id))
        if partnership is None:
            raise Http404
        if not self.has_change_permission(request, partnership):
            raise PermissionDenied
        return partnership

    def _back(self, partnership):
        return redirect(reverse("admin:support_services_partnershipsupport_change", args=[partnership.pk]))

    def move_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        partnership = self._get_for_change(request, object_id)
        to_stage = request.POST.get("to_stage", "")
        try:
            services.partnership_move_stage(
                partnership=partnership,
                to_stage=to_stage,
                by=request.user,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as error:
            messages.error(
                request,
                _("The partnership was not moved: %(reason)s") % {"reason": " ".join(error.messages)},
            )
        else:
            messages.success(
                request,
                _("%(partnership)s is now in the “%(stage)s” stage; its coordinators are informed by e-mail.")
                % {"partnership": partnership.name, "stage": Stage(to_stage).label},
            )
        return self._back(partnership)

    def checklist_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        partnership = self._get_for_change(request, object_id)
        changed, problems = 0, []
        for _stage, _label, items in selectors.partnership_checklist(partnership=partnership):
            for item, row in items:
                status = request.POST.get(f"status-{item.pk}")
                if status is None:
                    continue
                note = request.POST.get(f"note-{item.pk}", "").strip()
                date, date_ok = _posted_date(request, f"date-{item.pk}")
                due_on, due_ok = _posted_date(request, f"due-{item.pk}")
                if not date_ok:
                    problems.append(_("%(item)s: the date is not valid.") % {"item": item.title})
                    continue
                if not due_ok:
                    problems.append(_("%(item)s: the due date is not valid.") % {"item": item.title})
                    continue
                current = (
                    (row.status, row.date, row.note, row.due_on)
                    if row
                    else (ChecklistStatus.OPEN, None, "", None)
                )
                if (status, date, note, due_on) == current:
                    continue
                try:
                    services.checklist_item_set_status(
                        partnership=partnership,
                        item=item,
                        status=status,
                        date=date,
                        note=note,
                        due_on=due_on,
                        by=request.user,
                    )
                except ValidationError as error:
                    problems.append(f"{item.title}: {' '.join(error.messages)}")
                else:
                    changed += 1
        for problem in problems:
            messages.error(request, problem)
        if changed:
            messages.success(
                request,
                ngettext("%(count)d checklist item updated.", "%(count)d checklist items updated.", changed)
                % {"count": changed},
            )
        elif not problems:
            messages.info(request, _("Nothing changed in the checklist."))
        return self._back(partnership)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        partnership = self.get_object(request, object_id)
        if partnership is not None:
            moves = []
            for stage in STAGE_ORDER:
                if stage == partnership.stage:
                    continue
                allowed, reason = services.partnership_can_move_stage(partnership=partnership, to_stage=stage)
                moves.append(
                    {"stage": stage, "label": stage.label, "needs_reason": not allowed, "why": reason}
                )
            checklist = selectors.partnership_checklist(partnership=partnership)
            today = timezone.localdate()
            extra_context.update(
                {
                    "support_checklist": checklist,
                    "overdue_ids": {
                        row.pk
                        for _stage, _label, items in checklist
                        for _item, row in items
                        if row is not None and row.is_overdue(today)
                    },
                    "checklist_statuses": ChecklistStatus.choices,
                    "stage_moves": moves,
                    "stage_history": selectors.partnership_stage_history(partnership=partnership),
                    "support_log": selectors.partnership_support_log(partnership=partnership),
                    "support_log_add_url": reverse("admin:support_services_supportactivity_add")
                    + f"?partnership={partnership.pk}&stage={partnership.stage}",
                    "support_log_url": reverse("admin:support_services_supportactivity_changelist")
                    + f"?partnership__id__exact={partnership.pk}",
                    "move_url": reverse("admin:support_services_partnership_move", args=[partnership.pk]),
                    "checklist_url": reverse(
                        "admin:support_services_partnership_checklist", args=[partnership.pk]
                    ),
                }
            )
        return super().change_view(request, object_id, form_url, extra_context=extra_context)


# --- Resources -----------------------------------------------------------------------------------------


from .models import SUPPORT_STAGES as _STAGES  # noqa: E402
from .models import Resource, ResourceVersion  # noqa: E402
from .uploads import ACCEPT_HELP, check_upload  # noqa: E402


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


# --- Events and newsletter ---------------------------------------------------------------------------


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


@admin.register(NewsletterSubscription)
class NewsletterSubscriptionAdmin(admin.ModelAdmin):
    """Read-only: subscriptions change only by their owner's confirm and unsubscribe links."""

    list_display = ["email", "status", "language", "created_at", "confirmed_at", "unsubscribed_at"]
    list_filter = ["status", "language"]
    search_fields = ["email"]
    fields = [
        "email",
        "status",
        "language",
        "ecosystems",
        "stages",
        "created_at",
        "last_mailed_at",
        "confirmed_at",
        "consent_ip_hash",
        "privacy_notice_version",
        "unsubscribed_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- Support requests from coordinators -----------------------------------------------------------------


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
