from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from pact_portal.admin import RecordAdmin
from pact_portal.admin_workflow import WorkflowAdminMixin
from pact_portal.i18n import record_note

from . import services
from .models import (
    CoordinatorAccess,
    Ecosystem,
    JoinRequest,
    Membership,
    Organisation,
    Partnership,
    PledgedCommitment,
    PledgedTarget,
    Region,
    RegionBoundary,
    StageChange,
    current_q,
)
from .services.join_requests import JOIN_REQUEST_FIELDS
from .workflows import JOIN_REQUEST


@admin.register(Ecosystem)
class EcosystemAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "partnership_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(partnership_count=Count("partnerships"))

    @admin.display(description=_("partnerships"), ordering="partnership_count")
    def partnership_count(self, obj):
        return obj.partnership_count


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    list_per_page = 100


@admin.register(RegionBoundary)
class RegionBoundaryAdmin(admin.ModelAdmin):
    list_display = ["region", "region_level"]
    list_select_related = ["region"]
    list_filter = ["region__level"]
    search_fields = ["region__code", "region__name"]
    raw_id_fields = ["region"]

    @admin.display(description=_("level"), ordering="region__level")
    def region_level(self, obj):
        return obj.region.level

    def get_queryset(self, request):
        # The list never shows the geometry; do not load it.
        return super().get_queryset(request).defer("geometry")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "is_lead", "joined_on", "left_on", "is_confirmed", "is_demo"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")


class PledgedCommitmentInline(admin.TabularInline):
    model = PledgedCommitment
    extra = 0
    fields = ["text", "position"]


class PledgedTargetInline(admin.TabularInline):
    model = PledgedTarget
    extra = 0
    fields = ["indicator", "unit", "target", "target_year", "position"]


class CoordinatorAccessInline(admin.TabularInline):
    model = CoordinatorAccess
    fk_name = "partnership"
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "granted_at", "granted_by"]
    readonly_fields = ["granted_at", "granted_by"]


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    can_delete = False
    fields = ["changed_on", "from_stage", "to_stage", "changed_by", "note", "recorded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "acronym",
        "kind",
        "scope",
        "stage",
        "region_list",
        "ecosystem_list",
        "member_count",
        "launch_date",
        "is_published",
    ]
    list_filter = ["kind", "scope", "stage", "is_published", "ecosystems"]
    list_select_related = ["parent"]
    search_fields = ["name", "acronym", "slug", "regions__code", "regions__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["regions", "parent"]
    filter_horizontal = ["ecosystems"]
    readonly_fields = ["stage", "created_at", "updated_at"]
    inlines = [
        MembershipInline,
        CoordinatorAccessInline,
        PledgedCommitmentInline,
        PledgedTargetInline,
        StageChangeInline,
    ]
    date_hierarchy = "launch_date"
    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "kind", "scope", "parent", "is_published"]}),
        (_("Description"), {"fields": ["text_language", "summary", "challenge", "ambition", "note"]}),
        (_("Scope"), {"fields": ["ecosystems", "regions", "regions_confirmed"]}),
        (_("Lifecycle"), {"fields": ["stage", "launch_date", "launch_date_precision"]}),
        (_("Contact"), {"fields": ["website", "contact_email"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(member_count=Count("memberships", filter=current_q("memberships")))
            .prefetch_related("regions", "ecosystems")
        )

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    @admin.display(description=_("regions"))
    def region_list(self, obj):
        return ", ".join(region.code for region in obj.regions.all()) or _("EU-wide")

    @admin.display(description=_("ecosystems"))
    def ecosystem_list(self, obj):
        return ", ".join(ecosystem.name for ecosystem in obj.ecosystems.all())

    def save_model(self, request, obj, form, change):
        # Through the service, like every other way in: validation, search entry, stage history.
        services.partnership_save(
            partnership=obj,
            ecosystems=form.cleaned_data["ecosystems"],
            regions=form.cleaned_data["regions"],
            changed_by=request.user,
            stage_note=record_note(_("Created in the support services workspace.")),
        )

    def save_related(self, request, form, formsets, change):
        # The service set the ecosystems and regions (form.save_m2m would set them again).
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        if formset.model is Membership:
            save_memberships(formset)
        elif formset.model is CoordinatorAccess:
            save_coordinator_access(request, formset)
        else:
            super().save_formset(request, form, formset, change)


def save_memberships(formset):
    """The membership inline's rows, through the membership services."""
    formset.save(commit=False)
    services.membership_delete(memberships=formset.deleted_objects)
    for membership in [
        *formset.new_objects,
        *(membership for membership, _changed in formset.changed_objects),
    ]:
        services.membership_save(membership=membership)


def save_coordinator_access(request, formset):
    """The coordinator access inline's rows, granted and revoked through the services."""
    formset.save(commit=False)
    revoked = list(formset.deleted_objects)
    for access, _changed in formset.changed_objects:
        # Another account on an existing row: the first one loses access, the new one gains it.
        revoked.append(CoordinatorAccess.objects.get(pk=access.pk))
    services.coordinator_revoke(accesses=revoked, revoked_by=request.user)
    for access in [*formset.new_objects, *(access for access, _changed in formset.changed_objects)]:
        services.coordinator_grant(partnership=formset.instance, user=access.user, granted_by=request.user)


class OrganisationAdminForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "slug",
            "stakeholder_type",
            "is_sme",
            "country",
            "region",
            "website",
            "pact_member_since",
            "is_demo",
        ]

    def clean(self):
        cleaned = super().clean()
        name, country = cleaned.get("name"), cleaned.get("country")
        if name and country:
            duplicate = services.organisation_find(name=name, country_code=country.pk)
            if duplicate is not None and duplicate.pk != self.instance.pk:
                raise ValidationError(
                    _("%(name)s is already registered in %(country)s as “%(existing)s”."),
                    params={"name": name, "country": country.name, "existing": duplicate.name},
                )
            self.instance.normalised_name = services.normalise_name(name)
        return cleaned


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationAdminForm

    def save_model(self, request, obj, form, change):
        services.organisation_save(organisation=obj)

    list_display = ["name", "stakeholder_type", "is_sme", "country", "region", "pact_member_since", "is_demo"]
    list_filter = ["stakeholder_type", "is_sme", "is_demo", "country"]
    list_select_related = ["country", "region"]
    search_fields = ["name", "normalised_name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["region"]
    readonly_fields = ["normalised_name", "created_at", "updated_at"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "country":
            kwargs["queryset"] = Region.objects.filter(level=0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = [
        "organisation",
        "partnership",
        "role",
        "is_lead",
        "joined_on",
        "left_on",
        "is_confirmed",
        "is_demo",
    ]
    list_filter = ["role", "is_lead", "is_demo", "is_confirmed", "partnership__kind"]
    list_select_related = ["organisation", "partnership"]
    search_fields = ["organisation__name", "partnership__name", "partnership__acronym"]
    autocomplete_fields = ["organisation", "partnership"]

    def save_model(self, request, obj, form, change):
        services.membership_save(membership=obj)  # ending one is giving it a leaving date

    def delete_model(self, request, obj):
        services.membership_delete(memberships=[obj])

    def delete_queryset(self, request, queryset):
        services.membership_delete(memberships=queryset)


@admin.register(StageChange)
class StageChangeAdmin(RecordAdmin):
    list_display = ["partnership", "from_stage", "to_stage", "changed_on", "changed_by", "recorded_at"]
    list_filter = ["to_stage", "from_stage"]
    list_select_related = ["partnership", "changed_by"]
    search_fields = ["partnership__name", "note"]
    date_hierarchy = "changed_on"


@admin.register(PledgedTarget)
class PledgedTargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "partnership", "target", "unit", "target_year"]
    list_filter = ["unit", "target_year"]
    list_select_related = ["partnership"]
    search_fields = ["indicator", "unit", "partnership__name"]
    autocomplete_fields = ["partnership"]


@admin.register(PledgedCommitment)
class PledgedCommitmentAdmin(admin.ModelAdmin):
    list_display = ["text", "partnership", "position"]
    list_select_related = ["partnership"]
    list_filter = ["partnership__kind"]
    search_fields = ["text", "partnership__name"]
    autocomplete_fields = ["partnership"]


@admin.register(CoordinatorAccess)
class CoordinatorAccessAdmin(admin.ModelAdmin):
    list_display = ["user", "partnership", "granted_at", "granted_by"]
    list_select_related = ["user", "partnership", "granted_by"]
    list_filter = ["partnership__kind"]
    search_fields = ["user__email", "user__username", "partnership__name"]
    autocomplete_fields = ["user", "partnership"]
    readonly_fields = ["granted_by"]

    def has_change_permission(self, request, obj=None):
        return False  # access is granted or revoked, never moved to another account or partnership

    def save_model(self, request, obj, form, change):
        access = services.coordinator_grant(
            partnership=obj.partnership, user=obj.user, granted_by=request.user
        )
        # The admin logs and redirects to the object it was given.
        obj.pk, obj.granted_at, obj.granted_by = access.pk, access.granted_at, access.granted_by

    def delete_model(self, request, obj):
        services.coordinator_revoke(accesses=[obj], revoked_by=request.user)

    def delete_queryset(self, request, queryset):
        services.coordinator_revoke(accesses=queryset, revoked_by=request.user)


@admin.register(JoinRequest)
class JoinRequestAdmin(WorkflowAdminMixin, admin.ModelAdmin):
    """Every request to join, for staff: read, and decide where a coordinator cannot (the same transitions)."""

    workflow = JOIN_REQUEST
    change_form_template = "admin/partnerships/joinrequest/change_form.html"
    list_display = [
        "created_at",
        "organisation_name",
        "organisation_type",
        "partnership",
        "status",
        "decided_at",
    ]
    list_filter = ["status", "organisation_type"]
    list_select_related = ["partnership"]
    search_fields = ["organisation_name", "contact_email", "partnership__name", "partnership__acronym"]
    date_hierarchy = "created_at"
    fields = readonly_fields = [
        "partnership",
        "status",
        "created_at",
        "language",
        *JOIN_REQUEST_FIELDS,  # what the organisation wrote
        "privacy_notice_version",
        "consent_at",
        "message",
        "decided_by",
        "decided_at",
        "organisation",
        "membership",
        "joined_at",
    ]

    def has_add_permission(self, request):
        return False  # organisations ask from the public profile

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Nothing here is edited in place: the status changes through the workflow's buttons."""
