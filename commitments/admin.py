"""Declaration review in the support-services workspace: queue, readable content, the comparison of any two
submitted versions, timeline, transitions."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from pact_portal.admin import RecordAdmin
from pact_portal.admin_workflow import WorkflowAdminMixin

from . import services
from .models import (
    KPI,
    Action,
    Declaration,
    DeclarationStatus,
    DeclarationToReview,
    KPIProgress,
    Objective,
    ReviewEvent,
    Signatory,
    Signature,
    SignatureMethod,
)
from .services import submissions
from .workflows import DECLARATION


class PaperSignatureForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    title = forms.CharField(label=_("Title"), max_length=200)
    scan = forms.FileField(label=_("Scanned paper original (PDF)"))


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ObjectiveInline(ReadOnlyInline):
    model = Objective
    fields = ["position", "text"]


class ActionInline(ReadOnlyInline):
    model = Action
    fields = ["position", "what", "lead_organisation", "start", "end"]


class KPIInline(ReadOnlyInline):
    model = KPI
    fields = ["position", "indicator", "unit", "baseline", "target", "target_year"]


class SignatureInline(ReadOnlyInline):
    model = Signature
    fields = ["organisation", "name", "title", "signed_at", "method", "fingerprint", "scan"]


def _back(pk):
    return redirect("admin:commitments_declaration_change", pk)


@admin.register(Declaration)
class DeclarationAdmin(WorkflowAdminMixin, admin.ModelAdmin):
    workflow = DECLARATION
    list_display = ["partnership", "version", "status", "submitted_at", "signed_at", "verification_code"]
    list_filter = ["status", "partnership__kind", "partnership__ecosystems", "is_demo"]
    list_select_related = ["partnership"]
    search_fields = ["partnership__name", "partnership__acronym", "verification_code"]
    date_hierarchy = "submitted_at"
    inlines = [ObjectiveInline, ActionInline, KPIInline, SignatureInline]
    change_form_template = "admin/commitments/declaration/change_form.html"
    readonly_fields = [
        "partnership",
        "version",
        "status",
        "challenge",
        "ambition",
        "principle_lifelong_learning",
        "principle_partnerships",
        "principle_anticipation",
        "principle_equality",
        "submitted_at",
        "approved_at",
        "signed_at",
        "approved_fingerprint",
        "countersigned_by",
        "verification_code",
        "pdf",
        "pdf_sha256",
        "is_demo",
    ]

    def has_add_permission(self, request):
        return False  # coordinators draft; staff review

    def has_delete_permission(self, request, obj=None):
        return False  # the audit trail stays

    def get_urls(self):
        return [
            path(
                "<int:pk>/comment/",
                self.admin_site.admin_view(self.comment_view),
                name="commitments_declaration_comment",
            ),
            path(
                "<int:pk>/paper-signature/<int:signatory_pk>/",
                self.admin_site.admin_view(self.paper_signature_view),
                name="commitments_declaration_paper_signature",
            ),
        ] + super().get_urls()

    def _for_change(self, request, pk):
        """The declaration a POST acts on: 404 if missing, 403 if this user may not change it."""
        declaration = get_object_or_404(Declaration, pk=pk)
        if not self.has_change_permission(request, declaration):
            raise PermissionDenied
        return declaration

    def comment_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        declaration = self._for_change(request, pk)
        internal = request.POST.get("visibility") == "internal"
        try:
            services.declaration_comment(
                declaration=declaration,
                actor=request.user,
                comment=request.POST.get("comment", ""),
                internal=internal,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Internal note added.") if internal else _("Comment added."))
        return _back(pk)

    def paper_signature_view(self, request, pk, signatory_pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        declaration = self._for_change(request, pk)
        signatory = get_object_or_404(Signatory, pk=signatory_pk, declaration=declaration)
        form = PaperSignatureForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.signature_record(
                    signatory=signatory,
                    name=form.cleaned_data["name"],
                    title=form.cleaned_data["title"],
                    scan=form.cleaned_data["scan"],
                    actor=request.user,
                    method=SignatureMethod.PAPER,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Paper signature recorded."))
        else:
            messages.error(request, _("Give the name, the title and the scanned PDF."))
        return _back(pk)

    def _comparison(self, request, declaration):
        """Two versions chosen by the GET form above the review buttons (by default this declaration's
        latest against the one before it), compared field by field."""
        versions = submissions.comparable_versions(declaration=declaration)
        keys = {key: (label, content) for key, label, content in versions}
        default_from, default_to = submissions.default_comparison(declaration=declaration, versions=versions)
        chosen_from = request.GET.get("compare_from", default_from)
        chosen_to = request.GET.get("compare_to", default_to)
        unknown = chosen_from not in keys or chosen_to not in keys
        if unknown and (chosen_from, chosen_to) != (default_from, default_to):
            messages.warning(request, _("Choose two versions from the lists."))
        if unknown:
            chosen_from, chosen_to = default_from, default_to
        rows = None
        if chosen_from in keys and chosen_to in keys:
            rows = submissions.submission_diff(keys[chosen_from][1], keys[chosen_to][1])
        return {
            "versions": [(key, label) for key, label, _content in versions],
            "compare_from": chosen_from,
            "compare_to": chosen_to,
            "compare_from_label": keys[chosen_from][0] if chosen_from in keys else "",
            "compare_to_label": keys[chosen_to][0] if chosen_to in keys else "",
            "comparison": rows,
            "unchanged_count": sum(1 for row in rows or [] if not row["changed"]),
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        declaration = get_object_or_404(Declaration.objects.select_related("partnership"), pk=object_id)
        comparison = self._comparison(request, declaration)
        signed = set(declaration.signatures.values_list("signatory_id", flat=True))
        extra_context = {
            **(extra_context or {}),
            "declaration": declaration,
            **comparison,
            "comment_url": reverse("admin:commitments_declaration_comment", args=[declaration.pk]),
            "events": declaration.events.select_related("actor"),
            "pending_signatories": [
                s for s in declaration.signatories.select_related("organisation") if s.pk not in signed
            ],
            "paper_form": PaperSignatureForm(),
        }
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(DeclarationToReview)
class DeclarationToReviewAdmin(admin.ModelAdmin):
    """The review queue: submitted declarations, oldest first."""

    list_display = ["partnership", "version", "submitted_at", "partnership_kind"]
    list_filter = ["partnership__kind", "partnership__ecosystems"]
    list_select_related = ["partnership"]
    ordering = ["submitted_at", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=DeclarationStatus.SUBMITTED)

    @admin.display(description=_("kind"), ordering="partnership__kind")
    def partnership_kind(self, obj):
        return obj.partnership.get_kind_display()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("admin:commitments_declaration_change", object_id)


@admin.register(ReviewEvent)
class ReviewEventAdmin(RecordAdmin):
    list_display = ["declaration", "created_at", "action", "from_status", "to_status", "actor"]
    list_filter = ["action", "to_status"]
    list_select_related = ["declaration__partnership", "actor"]


class KPIProgressAdminForm(forms.ModelForm):
    class Meta:
        model = KPIProgress
        fields = ["kpi", "value", "reported_on", "note"]

    def clean(self):
        cleaned = super().clean()
        kpi = cleaned.get("kpi")
        if kpi is not None:
            allowed, reason = services.kpi_progress_can_report(kpi=kpi)
            if not allowed:
                self.add_error("kpi", reason)
        return cleaned


@admin.register(KPIProgress)
class KPIProgressAdmin(admin.ModelAdmin):
    """Staff may report progress for a coordinator, through the same service; a report, once made, stays
    as it was (a correction is a newer report)."""

    form = KPIProgressAdminForm
    list_display = ["kpi", "value", "reported_on"]
    list_select_related = ["kpi"]
    raw_id_fields = ["kpi"]
    fields = ["kpi", "value", "reported_on", "note", "reported_by"]
    readonly_fields = ["reported_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        progress = services.kpi_progress_report(
            kpi=obj.kpi, value=obj.value, reported_on=obj.reported_on, note=obj.note, actor=request.user
        )
        obj.pk, obj.reported_by = progress.pk, progress.reported_by  # for the admin's log and redirect
