"""Lifecycle support in the admin: checklist items, the support log, and each partnership's support page."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin
from modeltranslation.settings import AVAILABLE_LANGUAGES, DEFAULT_LANGUAGE
from modeltranslation.utils import build_localized_fieldname

from pact_portal import workflow as wf
from pact_portal.admin import RecordAdmin
from pact_portal.admin_workflow import WorkflowAdminMixin

from ..models.lifecycle import (
    SUPPORT_STAGES,
    ChecklistItem,
    ChecklistStatus,
    PartnershipSupport,
    StaffAssignment,
    StaffAssignmentEvent,
    SupportActivity,
)
from ..selectors import lifecycle as selectors
from ..services import lifecycle as services
from ..workflows.lifecycle import STAGE, reason_needed


def _localized(*fields, languages):
    return [build_localized_fieldname(field, code) for code in languages for field in fields]


OTHER_LANGUAGES = [code for code in AVAILABLE_LANGUAGES if code != DEFAULT_LANGUAGE]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(TranslationAdmin):
    """Each language's title and description in its own labelled fields ("title [fr]"); an empty one shows the
    English. Plain TranslationAdmin: the tabbed variants load jQuery UI from a CDN, which the portal never does."""

    list_display = ["title", "stage", "order", "active"]
    list_editable = ["order", "active"]
    list_filter = ["stage", "active"]
    # Staff find an item by its text in any language, whichever language their admin is in.
    search_fields = _localized("title", "description", languages=AVAILABLE_LANGUAGES)
    ordering = ["stage", "order", "id"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "stage",
                    *_localized("title", "description", languages=[DEFAULT_LANGUAGE]),
                    "order",
                    "active",
                ]
            },
        ),
        (
            _("Other languages"),
            {
                "fields": _localized("title", "description", languages=OTHER_LANGUAGES),
                "description": _("An empty field shows the English text in that language."),
            },
        ),
    ]

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


@admin.register(StaffAssignmentEvent)
class StaffAssignmentEventAdmin(RecordAdmin):
    list_display = ["at", "partnership", "action", "staff", "by"]
    list_filter = ["action", ("staff", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["partnership", "staff", "by"]
    search_fields = ["partnership__name", "partnership__acronym"]
    date_hierarchy = "at"


@admin.register(PartnershipSupport)
class PartnershipSupportAdmin(WorkflowAdminMixin, admin.ModelAdmin):
    """The support page of a partnership: checklist per stage, stage moves, history, log, assigned staff."""

    workflow = STAGE
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

    def save_formset(self, request, form, formset, change):
        """Assignments go through the services, which record who assigned whom and when."""
        if formset.model is not StaffAssignment:
            return super().save_formset(request, form, formset, change)
        partnership = form.instance
        # What the admin's history message lists (ModelAdmin.construct_change_message).
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        deleted = formset.deleted_forms
        for assignment_form in deleted:
            if assignment_form.instance.pk:
                formset.deleted_objects.append(assignment_form.instance)
                services.staff_unassign(assignment=assignment_form.instance, by=request.user)
        for assignment_form in formset.forms:
            if assignment_form in deleted or not assignment_form.has_changed():
                continue
            data = assignment_form.cleaned_data
            if assignment_form.instance.pk and "staff" in assignment_form.changed_data:
                # Another person in the same row: the one it named is taken off.
                services.staff_unassign(
                    assignment=StaffAssignment.objects.get(pk=assignment_form.instance.pk), by=request.user
                )
            assignment = services.staff_assign(
                partnership=partnership,
                staff=data["staff"],
                is_lead=data.get("is_lead", False),
                by=request.user,
            )
            if assignment_form.instance.pk:
                formset.changed_objects.append((assignment, assignment_form.changed_data))
            else:
                formset.new_objects.append(assignment)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
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

    def workflow_buttons(self, request, obj):
        """The stage moves, each saying beforehand why it needs a reason when it does."""
        buttons = super().workflow_buttons(request, obj)
        for button in buttons:
            if button["note"] == wf.REQUIRED:
                _needed, why = reason_needed(obj, self.workflow[button["name"]].target)
                button["note_help"] = f"{why} {button['note_help']}"
        return buttons

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
                posted = {"status": status, "date": date, "note": note, "due_on": due_on}
                current = (
                    {"status": row.status, "date": row.date, "note": row.note, "due_on": row.due_on}
                    if row
                    else {"status": ChecklistStatus.OPEN, "date": None, "note": "", "due_on": None}
                )
                if posted == current:
                    continue
                try:
                    services.checklist_item_set_status(
                        partnership=partnership, item=item, by=request.user, **posted
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
                    "stage_history": selectors.partnership_stage_history(partnership=partnership),
                    "assignment_record": selectors.partnership_assignment_record(partnership=partnership),
                    "support_log": selectors.partnership_support_log(partnership=partnership),
                    "support_log_add_url": reverse("admin:support_services_supportactivity_add")
                    + f"?partnership={partnership.pk}&stage={partnership.stage}",
                    "support_log_url": reverse("admin:support_services_supportactivity_changelist")
                    + f"?partnership__id__exact={partnership.pk}",
                    "checklist_url": reverse(
                        "admin:support_services_partnership_checklist", args=[partnership.pk]
                    ),
                }
            )
        return super().change_view(request, object_id, form_url, extra_context=extra_context)
