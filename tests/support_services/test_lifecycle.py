"""Lifecycle support: stage checklists, stage moves, the partnership's support page, the staff dashboard."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Stage, StageChange
from partnerships.services import coordinator_grant
from support_services import services
from support_services.checklist import CHECKLIST, checklist_seed
from support_services.models import (
    ChecklistItem,
    ChecklistStatus,
    PartnershipChecklistItem,
)
from tests.factories import make_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def checklist(db):
    """The seeded checklist (a browser test's flush empties every table: seed it again then)."""
    checklist_seed(ChecklistItem)


@pytest.fixture
def lifecycle_staff(django_user_model):
    user = django_user_model.objects.create_user(
        username="lifecycle-staff",
        email="lifecycle@support.example.eu",
        password="x-staff-Password-1",
        is_staff=True,
    )
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="support_services"))
    return user


@pytest.fixture
def partnership():
    return make_partnership(name="Lifecycle test partnership", stage=Stage.DESIGN)


def close_stage(partnership, stage, by, status=ChecklistStatus.DONE):
    for item in ChecklistItem.objects.filter(stage=stage, active=True):
        services.checklist_item_set_status(partnership=partnership, item=item, status=status, by=by)


def support_url(partnership):
    return reverse("admin:support_services_partnershipsupport_change", args=[partnership.pk])


def move_url(partnership):
    return reverse("admin:support_services_partnership_move", args=[partnership.pk])


# --- The checklist as data -------------------------------------------------------------------------------


def test_the_checklist_is_seeded_for_the_three_stages():
    for stage in (Stage.DESIGN, Stage.SET_UP, Stage.DELIVERY):
        titles = set(ChecklistItem.objects.filter(stage=stage).values_list("title", flat=True))
        assert titles >= {title for title, _description in CHECKLIST[stage]}
        assert len(CHECKLIST[stage]) == 4
    assert ChecklistItem.objects.filter(
        title="Synergies with EU and national funding", stage="delivery"
    ).exists()
    assert not ChecklistItem.objects.filter(stage=Stage.CLOSED).exists()


def test_one_status_per_partnership_and_item_is_enforced_by_the_database(partnership, lifecycle_staff):
    item = ChecklistItem.objects.filter(stage=Stage.DESIGN).first()
    services.checklist_item_set_status(
        partnership=partnership, item=item, status=ChecklistStatus.IN_PROGRESS, by=lifecycle_staff
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnershipChecklistItem.objects.create(
            partnership=partnership, item=item, status=ChecklistStatus.DONE
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnershipChecklistItem.objects.filter(partnership=partnership, item=item).update(status="finished")
    # Setting the status again updates the one row.
    services.checklist_item_set_status(
        partnership=partnership, item=item, status=ChecklistStatus.DONE, by=lifecycle_staff
    )
    row = PartnershipChecklistItem.objects.get(partnership=partnership, item=item)
    assert row.status == ChecklistStatus.DONE and row.date == timezone.localdate()
    assert row.updated_by == lifecycle_staff


# --- The guard --------------------------------------------------------------------------------------------


def test_forward_with_every_item_closed_needs_no_reason(partnership, lifecycle_staff):
    close_stage(partnership, Stage.DESIGN, lifecycle_staff)
    # "Not applicable" closes an item too.
    item = ChecklistItem.objects.filter(stage=Stage.DESIGN).last()
    services.checklist_item_set_status(
        partnership=partnership, item=item, status=ChecklistStatus.NOT_APPLICABLE, by=lifecycle_staff
    )
    assert services.partnership_can_move_stage(partnership=partnership, to_stage=Stage.SET_UP) == (True, "")


def test_forward_with_open_items_needs_a_reason(partnership, lifecycle_staff):
    close_stage(partnership, Stage.DESIGN, lifecycle_staff)
    item = ChecklistItem.objects.filter(stage=Stage.DESIGN).first()
    services.checklist_item_set_status(
        partnership=partnership, item=item, status=ChecklistStatus.IN_PROGRESS, by=lifecycle_staff
    )
    allowed, reason = services.partnership_can_move_stage(partnership=partnership, to_stage=Stage.SET_UP)
    assert not allowed and "1 checklist item is still open" in reason
    assert services.partnership_can_move_stage(
        partnership=partnership, to_stage=Stage.SET_UP, reason="Agreed at the kick-off"
    ) == (True, "")


def test_skipping_a_stage_counts_the_open_items_of_both(partnership, lifecycle_staff):
    close_stage(partnership, Stage.DESIGN, lifecycle_staff)
    allowed, reason = services.partnership_can_move_stage(partnership=partnership, to_stage=Stage.DELIVERY)
    open_set_up = ChecklistItem.objects.filter(stage=Stage.SET_UP, active=True).count()
    assert not allowed and f"{open_set_up} checklist items are still open" in reason


def test_an_inactive_item_is_not_checked(partnership, lifecycle_staff):
    close_stage(partnership, Stage.DESIGN, lifecycle_staff)
    ChecklistItem.objects.create(stage=Stage.DESIGN, title="Retired item", active=False)
    assert services.partnership_can_move_stage(partnership=partnership, to_stage=Stage.SET_UP) == (True, "")


def test_a_step_back_needs_a_reason(partnership, lifecycle_staff):
    close_stage(partnership, Stage.DESIGN, lifecycle_staff)
    services.partnership_move_stage(partnership=partnership, to_stage=Stage.SET_UP, by=lifecycle_staff)
    allowed, reason = services.partnership_can_move_stage(partnership=partnership, to_stage=Stage.DESIGN)
    assert not allowed and "reason" in reason
    with pytest.raises(ValidationError):
        services.partnership_move_stage(partnership=partnership, to_stage=Stage.DESIGN, by=lifecycle_staff)
    change = services.partnership_move_stage(
        partnership=partnership, to_stage=Stage.DESIGN, by=lifecycle_staff, reason="Members left"
    )
    assert change.is_step_back and change.note == "Members left"


def test_the_same_stage_or_an_unknown_one_is_refused(partnership):
    assert (
        services.partnership_can_move_stage(partnership=partnership, to_stage=Stage.DESIGN, reason="x")[0]
        is False
    )
    assert (
        services.partnership_can_move_stage(partnership=partnership, to_stage="launch", reason="x")[0]
        is False
    )


# --- The service --------------------------------------------------------------------------------------------


def test_a_move_writes_the_history_and_emails_the_coordinators_after_commit(
    partnership, lifecycle_staff, django_user_model, django_capture_on_commit_callbacks
):
    coordinator = django_user_model.objects.create_user(username="coord", email="coord@example.it")
    coordinator_grant(partnership=partnership, user=coordinator)
    django_user_model.objects.create_user(username="bystander", email="bystander@example.it")
    before = StageChange.objects.filter(partnership=partnership).count()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.partnership_move_stage(
            partnership=partnership,
            to_stage=Stage.SET_UP,
            by=lifecycle_staff,
            reason="Governance agreed early",
        )
        assert mail.outbox == []  # nothing is sent before the commit
    assert callbacks
    partnership.refresh_from_db()
    assert partnership.stage == Stage.SET_UP
    change = StageChange.objects.filter(partnership=partnership).latest()
    assert StageChange.objects.filter(partnership=partnership).count() == before + 1
    assert (change.from_stage, change.to_stage) == (Stage.DESIGN, Stage.SET_UP)
    assert change.changed_by == lifecycle_staff and change.changed_on == timezone.localdate()
    assert change.note == "Governance agreed early"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["coord@example.it"]
    assert "Set-up" in message.subject and "Governance agreed early" in message.body
    assert partnership.get_absolute_url() in message.body


def test_a_refused_move_changes_nothing_and_sends_nothing(
    partnership, lifecycle_staff, django_capture_on_commit_callbacks
):
    coordinator_grant(partnership=partnership, user=lifecycle_staff)
    before = StageChange.objects.filter(partnership=partnership).count()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.partnership_move_stage(partnership=partnership, to_stage=Stage.SET_UP, by=lifecycle_staff)
    partnership.refresh_from_db()
    assert partnership.stage == Stage.DESIGN
    assert StageChange.objects.filter(partnership=partnership).count() == before
    assert mail.outbox == []
