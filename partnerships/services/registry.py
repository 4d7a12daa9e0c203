"""Writes to the registry itself: organisations, partnerships (profile, stage history, pledges), memberships."""

import datetime
import logging
import unicodedata

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from pact_portal.cache import registry_changed

# A module, not its names: the workflow's hooks use this module's services in turn.
from ..models import (
    DatePrecision,
    Membership,
    MembershipRole,
    Organisation,
    Partnership,
    PledgedCommitment,
    PledgedTarget,
    PublishedLead,
    Region,
    StageChange,
    StakeholderType,
)
from ..search import search_index_refresh
from ..text import normalise_name

logger = logging.getLogger(__name__)


def unique_slug(model, text, *, max_length=100):
    """A slug for ``text`` not yet used by ``model`` (adds -2, -3 … when needed)."""
    base = slugify(unicodedata.normalize("NFKD", text))[:max_length].strip("-") or "item"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base[: max_length - len(str(n)) - 1]}-{n}"
    return slug


# --- Organisations ------------------------------------------------------------------------------


def organisation_problems(*, stakeholder_type, is_sme, country, region=None):
    """Cross-field rules of an organisation as a public form names it (the EoI's first step, a request to
    join), as {field: message}; the keys are the forms' ``organisation_*`` fields."""
    problems = {}
    if stakeholder_type == StakeholderType.COMPANY and is_sme is None:
        problems["organisation_is_sme"] = _("Say whether the company is an SME (fewer than 250 staff).")
    if region is not None and country is not None and region.code[:2] != country.code:
        problems["organisation_region"] = _("Choose a region in %(country)s.") % {"country": country.name}
    return problems


def organisation_find(*, name, country_code):
    """The organisation with this name (as normalised) in this country, or None."""
    return Organisation.objects.filter(normalised_name=normalise_name(name), country_id=country_code).first()


def organisation_create(
    *,
    name,
    country_code,
    stakeholder_type,
    is_sme=None,
    region_code=None,
    website="",
    pact_member_since=None,
    is_demo=False,
):
    organisation = Organisation(
        name=name,
        stakeholder_type=stakeholder_type,
        is_sme=is_sme,
        country_id=country_code,
        region_id=region_code,
        website=website,
        pact_member_since=pact_member_since,
        is_demo=is_demo,
    )
    return organisation_save(organisation=organisation)


@transaction.atomic
def organisation_save(*, organisation):
    """Store a new or changed organisation (built by ``organisation_create`` or an admin form): name
    normalised, slug given, validated; a renamed member changes its partnerships' search entries."""
    if organisation.stakeholder_type == StakeholderType.COMPANY and organisation.is_sme is None:
        raise ValidationError({"is_sme": _("Say whether the company is an SME.")})
    if organisation.stakeholder_type != StakeholderType.COMPANY:
        organisation.is_sme = None
    organisation.name = organisation.name.strip()
    organisation.normalised_name = normalise_name(organisation.name)
    if not organisation.slug:
        organisation.slug = unique_slug(Organisation, organisation.name)
    organisation.full_clean()
    if organisation.country.level != 0:
        raise ValidationError({"country": _("Choose a country, not a region.")})
    adding = organisation._state.adding
    organisation.save()
    if not adding:
        search_index_refresh(
            partnership_ids=organisation.memberships.values_list("partnership_id", flat=True)
        )
    return organisation


def organisation_get_or_create(*, name, country_code, **fields):
    """Match on normalised name and country (one record per real organisation), else create.

    Safe under concurrency: when another transaction creates the same organisation (or takes the slug)
    between the look-up and the insert, the insert fails inside a savepoint and the look-up runs again,
    so the caller's transaction goes on with the organisation the other one committed."""
    for _attempt in range(3):
        existing = organisation_find(name=name, country_code=country_code)
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                return organisation_create(name=name, country_code=country_code, **fields), True
        except IntegrityError:
            continue
        except ValidationError:
            # full_clean() checks the unique constraints too: a row committed after our look-up.
            if organisation_find(name=name, country_code=country_code) is None:
                raise
    existing = organisation_find(name=name, country_code=country_code)
    if existing is None:
        raise IntegrityError("organisation_get_or_create: could not create or find the organisation")
    return existing, False


# --- Partnerships ---------------------------------------------------------------------------------

_PARTNERSHIP_FIELDS = (
    "kind",
    "scope",
    "name",
    "acronym",
    "text_language",
    "summary",
    "challenge",
    "ambition",
    "launch_date",
    "launch_date_precision",
    "parent",
    "website",
    "contact_email",
    "note",
    "is_published",
    "regions_confirmed",
    "challenge_source",
    "challenge_confirmed",
    "ambition_source",
    "ambition_confirmed",
    "launch_date_source",
    "launch_date_confirmed",
)


def _set_relations(partnership, *, ecosystems, regions):
    if ecosystems is not None:
        partnership.ecosystems.set(ecosystems)
    if regions is not None:
        regions = list(regions)
        codes = [r.code if isinstance(r, Region) else r for r in regions]
        found = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
        missing = sorted(set(codes) - found)
        if missing:
            raise ValidationError({"regions": _("Unknown NUTS codes: %s") % ", ".join(missing)})
        partnership.regions.set(codes)


@transaction.atomic
def partnership_create(
    *,
    name,
    kind,
    scope,
    slug=None,
    ecosystems=(),
    regions=(),
    stage="design",
    changed_by=None,
    stage_note="",
    stage_changed_on=None,
    **fields,
):
    """Create a partnership with its ecosystems and regions, and open its stage history."""
    unknown = set(fields) - set(_PARTNERSHIP_FIELDS)
    if unknown:
        raise TypeError(f"Unknown partnership fields: {sorted(unknown)}")
    partnership = Partnership(
        name=name.strip(),
        kind=kind,
        scope=scope,
        stage=stage,
        slug=slug or unique_slug(Partnership, name),
        **fields,
    )
    return partnership_save(
        partnership=partnership,
        ecosystems=ecosystems,
        regions=regions,
        changed_by=changed_by,
        stage_note=stage_note,
        stage_changed_on=stage_changed_on,
    )


@transaction.atomic
def partnership_save(
    *, partnership, ecosystems=None, regions=None, changed_by=None, stage_note="", stage_changed_on=None
):
    """Store a new or changed partnership (built by ``partnership_create``, ``partnership_update`` or an
    admin form): validated, with its ecosystems and regions (``None`` keeps them) and a fresh search entry;
    a new one opens its stage history. Cached pages follow through the model signals."""
    adding = partnership._state.adding
    partnership.full_clean()
    partnership.save()
    _set_relations(partnership, ecosystems=ecosystems, regions=regions)
    search_index_refresh(partnership_ids=[partnership.pk])
    if adding:
        stage_history_open(
            partnership=partnership, changed_by=changed_by, note=stage_note, changed_on=stage_changed_on
        )
    return partnership


def stage_history_open(*, partnership, changed_by=None, note="", changed_on=None):
    """The first entry of a new partnership's stage history: the stage it starts in."""
    return stage_change_record(
        partnership=partnership, from_stage="", changed_by=changed_by, note=note, changed_on=changed_on
    )


@transaction.atomic
def partnership_update(*, partnership, ecosystems=None, regions=None, **fields):
    """Change a partnership's descriptive fields (not its stage: see the stage workflow)."""
    unknown = set(fields) - set(_PARTNERSHIP_FIELDS)
    if unknown:
        raise TypeError(f"Unknown partnership fields: {sorted(unknown)}")
    for field, value in fields.items():
        setattr(partnership, field, value)
    partnership_save(partnership=partnership, ecosystems=ecosystems, regions=regions)
    return partnership


def partnership_set_published_leads(*, partnership, leads):
    """Replace the leading organisations as the public sources name them: dicts of ``name``, ``role``,
    ``source_url`` and ``is_confirmed``."""
    with transaction.atomic():
        _replace_ordered_rows(partnership, PublishedLead, leads)
        registry_changed()  # bulk writes send no signals


def partnership_set_updated_at(*, partnership, updated_on):
    """Date a partnership's last update (for a registry seeded from sources: its newest published fact)."""
    moment = timezone.make_aware(datetime.datetime.combine(updated_on, datetime.time(12)))
    Partnership.objects.filter(pk=partnership.pk).update(updated_at=moment)
    partnership.updated_at = moment
    registry_changed()  # an update() sends no signal


_HISTORY_FACTS = (
    "from_stage",
    "to_stage",
    "changed_on",
    "changed_on_precision",
    "note",
    "source_url",
    "is_confirmed",
)


def stage_history_import(*, partnership, events, current_stage):
    """Replace a partnership's stage history with events taken from its publications, with their real dates.

    ``events`` are dicts of ``stage``, ``date`` (a date or None when unknown), ``precision``, ``note``,
    ``source_url`` and ``is_confirmed``, oldest first. Only changes of stage become history rows (an event in
    the stage already reached adds nothing); when the last one is not ``current_stage``, a final change to it
    is written without a date, as none was published. For seeding a registry from sources only: live moves
    go through the stage workflow (``support_services.workflows.lifecycle``)."""
    with transaction.atomic():
        rows, stage = [], ""
        for event in events:
            if event["stage"] == stage:
                continue
            rows.append(
                StageChange(
                    partnership=partnership,
                    from_stage=stage,
                    to_stage=event["stage"],
                    changed_on=event.get("date"),
                    changed_on_precision=event.get("precision", DatePrecision.DAY),
                    note=event.get("note", ""),
                    source_url=event.get("source_url", ""),
                    is_confirmed=event.get("is_confirmed", True),
                )
            )
            stage = event["stage"]
        if stage != current_stage:
            rows.append(
                StageChange(
                    partnership=partnership, from_stage=stage, to_stage=current_stage, changed_on=None
                )
            )

        def facts(change):
            return tuple(getattr(change, name) for name in _HISTORY_FACTS)

        if [facts(row) for row in rows] == [facts(row) for row in partnership.stage_changes.all()]:
            return rows  # already imported: nothing changes
        partnership.stage_changes.all().delete()
        for row in rows:  # one at a time: the history's order is the order of recording
            row.full_clean(exclude=["partnership"])
            row.save()
        registry_changed()
        return rows


def stage_change_record(*, partnership, from_stage, changed_by=None, note="", changed_on=None):
    """Write one entry of the public stage history: ``partnership`` went from ``from_stage`` to its stage.

    A recorder only: the rules, the lock and the e-mails of a stage move are the stage workflow's
    (``support_services.workflows.lifecycle``), which calls this as its audit step."""
    return StageChange.objects.create(
        partnership=partnership,
        from_stage=from_stage,
        to_stage=partnership.stage,
        changed_on=changed_on or timezone.localdate(),
        changed_by=changed_by,
        note=(note or "").strip(),
    )


def partnership_set_pledges(*, partnership, commitments, targets):
    """Replace the publicly announced commitments and KPI targets of a partnership.

    A commitment is its text, or a dict with ``text`` and optionally ``source_url`` and ``is_confirmed``."""
    with transaction.atomic():
        _replace_ordered_rows(
            partnership,
            PledgedCommitment,
            [{"text": item} if isinstance(item, str) else item for item in commitments],
        )
        _replace_ordered_rows(partnership, PledgedTarget, targets)
        registry_changed()  # bulk writes send no signals


def _replace_ordered_rows(partnership, model, items):
    """Replace a partnership's rows of ``model`` by ``items`` (dicts of fields), in order, each validated."""
    model.objects.filter(partnership=partnership).delete()
    rows = [model(partnership=partnership, position=i, **fields) for i, fields in enumerate(items)]
    for row in rows:
        row.full_clean()
    model.objects.bulk_create(rows)


# --- Memberships ----------------------------------------------------------------------------------


def membership_add(
    *,
    partnership,
    organisation,
    role=MembershipRole.MEMBER,
    is_lead=None,
    joined_on=None,
    is_confirmed=True,
    is_demo=False,
):
    """Add an organisation to a partnership; an organisation holds one current membership per partnership."""
    if is_lead is None:
        is_lead = role == MembershipRole.COORDINATOR
    membership = Membership(
        partnership=partnership,
        organisation=organisation,
        role=role,
        is_lead=is_lead,
        joined_on=joined_on,
        is_confirmed=is_confirmed,
        is_demo=is_demo,
    )
    return membership_save(membership=membership)


def membership_save(*, membership):
    """Store a new or changed membership (built by ``membership_add`` or an admin form): validated, and
    its partnership's search entry refreshed, since current members' names are searchable."""
    if (
        membership.is_current
        and Membership.objects.current()
        .filter(partnership_id=membership.partnership_id, organisation_id=membership.organisation_id)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError(
            _("%(organisation)s is already a member of %(partnership)s.")
            % {"organisation": membership.organisation, "partnership": membership.partnership}
        )
    membership.full_clean()
    membership.save()
    search_index_refresh(partnership_ids=[membership.partnership_id])
    return membership


def membership_end(*, membership, left_on=None):
    """Record that an organisation left; the row stays as history."""
    membership.left_on = left_on or timezone.localdate()
    membership.full_clean()
    membership.save(update_fields=["left_on"])
    search_index_refresh(partnership_ids=[membership.partnership_id])
    return membership


@transaction.atomic
def membership_delete(*, memberships):
    """Remove membership rows entered by mistake (someone who left is ended instead, and stays as history)."""
    memberships = list(memberships)
    for membership in memberships:
        membership.delete()
    search_index_refresh(partnership_ids={membership.partnership_id for membership in memberships})
