"""Lifecycle support: stage checklists, stage moves, the partnership's support page, the staff dashboard."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from commitments import services as commitment_services
from partnerships.models import Partnership, Stage, StageChange
from partnerships.services import coordinator_grant
from support_services import services
from support_services.checklist import CHECKLIST
from support_services.models import (
    ChecklistItem,
    ChecklistStatus,
    EoiStatus,
    PartnershipChecklistItem,
    StaffAssignment,
    StaffAssignmentAction,
    StaffAssignmentEvent,
    SupportActivity,
    SupportActivityKind,
    SupportTopic,
)
from support_services.selectors import overdue_checklist_items, staff_dashboard, with_open_checklist_items
from support_services.workflows import STAGE, STAGE_TRANSITIONS, move_name
from tests.commitments.builders import make_draft as make_declaration_draft
from tests.partnerships.builders import make_coordinator, make_partnership, make_staff, make_user
from tests.support_services.builders import log_support_activity

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("checklist")]


@pytest.fixture
def partnership():
    return make_partnership(name="Lifecycle test partnership", stage=Stage.DESIGN)


def close_stage(partnership, stage, by, status=ChecklistStatus.DONE):
    for item in ChecklistItem.objects.filter(stage=stage, active=True):
        services.checklist_item_set_status(partnership=partnership, item=item, status=status, by=by)


def support_url(partnership):
    return reverse("admin:support_services_partnershipsupport_change", args=[partnership.pk])


def move_url(partnership, to_stage):
    return reverse(
        "admin:support_services_partnershipsupport_transition", args=[partnership.pk, move_name(to_stage)]
    )


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


def test_one_status_per_partnership_and_item_is_enforced_by_the_database(partnership, staff):
    item = ChecklistItem.objects.filter(stage=Stage.DESIGN).first()
    services.checklist_item_set_status(
        partnership=partnership, item=item, status=ChecklistStatus.IN_PROGRESS, by=staff
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnershipChecklistItem.objects.create(
            partnership=partnership, item=item, status=ChecklistStatus.DONE
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnershipChecklistItem.objects.filter(partnership=partnership, item=item).update(status="finished")
    # Setting the status again updates the one row.
    services.checklist_item_set_status(
        partnership=partnership, item=item, status=ChecklistStatus.DONE, by=staff
    )
    row = PartnershipChecklistItem.objects.get(partnership=partnership, item=item)
    assert row.status == ChecklistStatus.DONE and row.date == timezone.localdate()
    assert row.updated_by == staff


# --- The guard --------------------------------------------------------------------------------------------


def test_forward_with_every_item_closed_needs_no_reason(partnership, staff):
    close_stage(partnership, Stage.DESIGN, staff)
    # "Not applicable" closes an item too.
    item = ChecklistItem.objects.filter(stage=Stage.DESIGN).last()
    services.checklist_item_set_status(
        partnership=partnership, item=item, status=ChecklistStatus.NOT_APPLICABLE, by=staff
    )
    assert services.partnership_can_move_stage(partnership=partnership, to_stage=Stage.SET_UP) == (True, "")


def test_forward_with_open_items_needs_a_reason(partnership, staff):
    close_stage(partnership, Stage.DESIGN, staff)
    item = ChecklistItem.objects.filter(stage=Stage.DESIGN).first()
    services.checklist_item_set_status(
        partnership=partnership, item=item, status=ChecklistStatus.IN_PROGRESS, by=staff
    )
    allowed, reason = services.partnership_can_move_stage(partnership=partnership, to_stage=Stage.SET_UP)
    assert not allowed and "1 checklist item is still open" in reason
    assert services.partnership_can_move_stage(
        partnership=partnership, to_stage=Stage.SET_UP, reason="Agreed at the kick-off"
    ) == (True, "")


def test_skipping_a_stage_counts_the_open_items_of_both(partnership, staff):
    close_stage(partnership, Stage.DESIGN, staff)
    allowed, reason = services.partnership_can_move_stage(partnership=partnership, to_stage=Stage.DELIVERY)
    open_set_up = ChecklistItem.objects.filter(stage=Stage.SET_UP, active=True).count()
    assert not allowed and f"{open_set_up} checklist items are still open" in reason


def test_an_inactive_item_is_not_checked(partnership, staff):
    close_stage(partnership, Stage.DESIGN, staff)
    ChecklistItem.objects.create(stage=Stage.DESIGN, title="Retired item", active=False)
    assert services.partnership_can_move_stage(partnership=partnership, to_stage=Stage.SET_UP) == (True, "")


def test_a_step_back_needs_a_reason(partnership, staff):
    close_stage(partnership, Stage.DESIGN, staff)
    services.partnership_move_stage(partnership=partnership, to_stage=Stage.SET_UP, by=staff)
    allowed, reason = services.partnership_can_move_stage(partnership=partnership, to_stage=Stage.DESIGN)
    assert not allowed and "reason" in reason
    with pytest.raises(ValidationError):
        services.partnership_move_stage(partnership=partnership, to_stage=Stage.DESIGN, by=staff)
    change = services.partnership_move_stage(
        partnership=partnership, to_stage=Stage.DESIGN, by=staff, reason="Members left"
    )
    assert change.is_step_back and change.note == "Members left"


def test_the_same_stage_or_an_unknown_one_is_refused(partnership, staff):
    assert services.partnership_can_move_stage(
        partnership=partnership, to_stage=Stage.DESIGN, reason="x"
    ) == (
        False,
        "The partnership is already in the “Design” stage.",
    )
    assert services.partnership_can_move_stage(partnership=partnership, to_stage="launch", reason="x") == (
        False,
        "Unknown stage.",
    )
    with pytest.raises(ValidationError, match="Unknown stage"):
        services.partnership_move_stage(partnership=partnership, to_stage="launch", by=staff, reason="x")


def test_the_stage_machine_is_declared_once_every_stage_reaching_every_other():
    assert {stage: {other for other in Stage if other != stage} for stage in Stage} == STAGE_TRANSITIONS
    # The reason is public: it is written on the stage history every visitor reads.
    assert all(not transition.internal_note for transition in STAGE)


def test_only_staff_with_the_permission_may_move_a_stage(partnership):
    close_stage(partnership, Stage.DESIGN, None)
    with pytest.raises(PermissionDenied):
        services.partnership_move_stage(
            partnership=partnership, to_stage=Stage.SET_UP, by=make_staff(apps=())
        )
    with pytest.raises(PermissionDenied):
        services.partnership_move_stage(
            partnership=partnership, to_stage=Stage.SET_UP, by=make_coordinator(partnership)
        )
    partnership.refresh_from_db()
    assert partnership.stage == Stage.DESIGN


def test_the_seed_can_date_a_move_in_the_past(partnership):
    close_stage(partnership, Stage.DESIGN, None)
    change = services.partnership_move_stage(
        partnership=partnership, to_stage=Stage.SET_UP, by=None, changed_on=datetime.date(2024, 5, 2)
    )
    assert change.changed_on == datetime.date(2024, 5, 2) and change.changed_by is None


# --- The service --------------------------------------------------------------------------------------------


def test_a_move_writes_the_history_and_emails_the_coordinators_after_commit(
    partnership, staff, django_capture_on_commit_callbacks
):
    make_coordinator(partnership, email="coord@example.it")
    make_user(email="bystander@example.it")
    before = StageChange.objects.filter(partnership=partnership).count()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.partnership_move_stage(
            partnership=partnership,
            to_stage=Stage.SET_UP,
            by=staff,
            reason="Governance agreed early",
        )
        assert mail.outbox == []  # nothing is sent before the commit
    assert callbacks
    partnership.refresh_from_db()
    assert partnership.stage == Stage.SET_UP
    change = StageChange.objects.filter(partnership=partnership).latest()
    assert StageChange.objects.filter(partnership=partnership).count() == before + 1
    assert (change.from_stage, change.to_stage) == (Stage.DESIGN, Stage.SET_UP)
    assert change.changed_by == staff and change.changed_on == timezone.localdate()
    assert change.note == "Governance agreed early"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["coord@example.it"]
    assert "Set-up" in message.subject and "Governance agreed early" in message.body
    assert partnership.get_absolute_url() in message.body


def test_a_refused_move_changes_nothing_and_sends_nothing(
    partnership, staff, django_capture_on_commit_callbacks
):
    coordinator_grant(partnership=partnership, user=staff)
    before = StageChange.objects.filter(partnership=partnership).count()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.partnership_move_stage(partnership=partnership, to_stage=Stage.SET_UP, by=staff)
    partnership.refresh_from_db()
    assert partnership.stage == Stage.DESIGN
    assert StageChange.objects.filter(partnership=partnership).count() == before
    assert mail.outbox == []


# --- The admin ------------------------------------------------------------------------------------------------


def test_the_support_page_shows_checklist_moves_and_history(client, partnership, staff):
    client.force_login(staff)
    page = client.get(support_url(partnership)).content.decode()
    assert "Scope of the partnership" in page and "Showcasing good practice" in page
    assert "Move to Set-up" in page and "checklist items are still open" in page
    assert "Move to Design" not in page  # the stage it is in
    assert "Stage history" in page and "Support log" in page


def test_staff_tick_the_checklist_and_move_the_partnership_on(client, partnership, staff):
    client.force_login(staff)
    items = ChecklistItem.objects.filter(stage=Stage.DESIGN, active=True)
    data = {f"status-{item.pk}": ChecklistStatus.DONE for item in items}
    data[f"note-{items[0].pk}"] = "Scope agreed with the region"
    response = client.post(
        reverse("admin:support_services_partnership_checklist", args=[partnership.pk]), data, follow=True
    )
    assert f"{items.count()} checklist items updated." in response.content.decode()
    assert (
        PartnershipChecklistItem.objects.filter(partnership=partnership, status=ChecklistStatus.DONE).count()
        == items.count()
    )
    response = client.post(move_url(partnership, Stage.SET_UP), {"note": ""}, follow=True)
    page = response.content.decode()
    partnership.refresh_from_db()
    assert partnership.stage == Stage.SET_UP
    assert "is now in the “Set-up” stage" in page
    assert StageChange.objects.filter(partnership=partnership).latest().changed_by == staff


def test_a_refused_move_shows_the_reason_and_changes_nothing(client, partnership, staff):
    client.force_login(staff)
    before = StageChange.objects.filter(partnership=partnership).count()
    response = client.post(move_url(partnership, Stage.SET_UP), {"note": "  "}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == support_url(partnership)
    assert "checklist items are still open: give a reason for moving on" in page
    partnership.refresh_from_db()
    assert partnership.stage == Stage.DESIGN
    assert StageChange.objects.filter(partnership=partnership).count() == before
    response = client.post(move_url(partnership, Stage.DESIGN), {"note": "x"}, follow=True)
    assert "already in the “Design” stage" in response.content.decode()


def test_a_reason_given_in_the_admin_is_on_the_public_stage_history(client, partnership, staff):
    client.force_login(staff)
    page = client.get(support_url(partnership)).content.decode()
    assert "Public: shown to visitors of the partnership" in page  # who reads the reason, next to its field
    client.post(move_url(partnership, Stage.DELIVERY), {"note": "Skipped set-up: governance existed"})
    partnership.refresh_from_db()
    assert partnership.stage == Stage.DELIVERY
    assert "Skipped set-up: governance existed" in client.get(partnership.get_absolute_url()).content.decode()


def test_moves_are_post_only(client, partnership, staff):
    client.force_login(staff)
    assert client.get(move_url(partnership, Stage.SET_UP)).status_code == 405


def test_a_bad_checklist_date_is_refused_with_a_message(client, partnership, staff):
    client.force_login(staff)
    item = ChecklistItem.objects.filter(stage=Stage.DESIGN).first()
    response = client.post(
        reverse("admin:support_services_partnership_checklist", args=[partnership.pk]),
        {f"status-{item.pk}": ChecklistStatus.DONE, f"date-{item.pk}": "2026-02-31"},
        follow=True,
    )
    assert "the date is not valid" in response.content.decode()
    assert not PartnershipChecklistItem.objects.filter(partnership=partnership).exists()


def test_staff_assignment_and_support_log_in_the_admin(client, partnership, staff):
    client.force_login(staff)
    StaffAssignment.objects.create(partnership=partnership, staff=staff, is_lead=True)
    log_support_activity(
        partnership=partnership,
        kind=SupportActivityKind.WORKSHOP,
        date=datetime.date(2026, 3, 1),
        stage=Stage.DESIGN,
        staff=staff,
        internal_notes="Governance workshop with the region",
    )
    changelist = client.get(
        reverse("admin:support_services_partnershipsupport_changelist") + "?q=Lifecycle+test"
    )
    assert staff.username in changelist.content.decode()
    assert "Governance workshop with the region" in client.get(support_url(partnership)).content.decode()
    log = client.get(reverse("admin:support_services_supportactivity_changelist") + "?kind__exact=workshop")
    assert log.status_code == 200 and "Lifecycle test partnership" in log.content.decode()
    response = client.post(
        reverse("admin:support_services_supportactivity_add"),
        {
            "partnership": partnership.pk,
            "kind": SupportActivityKind.FUNDING_ADVICE,
            "date": "2026-03-10",
            "stage": Stage.DESIGN,
            "staff": staff.pk,
            "participants": "Coordinator",
            "summary": "ESF+ call explained",
            "internal_notes": "ESF+ call",
            "follow_up_on": "2026-04-01",
        },
    )
    assert response.status_code == 302
    assert SupportActivity.objects.filter(
        partnership=partnership, kind=SupportActivityKind.FUNDING_ADVICE
    ).exists()


def test_the_lifecycle_pages_are_refused_to_anonymous_and_non_staff(client, partnership):
    urls = [
        support_url(partnership),
        reverse("admin:support_services_supportactivity_changelist"),
        reverse("admin:support_services_checklistitem_changelist"),
        reverse("support_services:staff_dashboard"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    response = client.post(move_url(partnership, Stage.SET_UP), {"note": "x"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(make_coordinator(partnership))
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), url
    client.post(move_url(partnership, Stage.SET_UP), {"note": "x"})
    partnership.refresh_from_db()
    assert partnership.stage == Stage.DESIGN


def test_staff_without_the_permission_cannot_move_a_partnership(client, partnership):
    client.force_login(make_staff(apps=()))
    assert client.get(support_url(partnership)).status_code == 403
    assert client.post(move_url(partnership, Stage.SET_UP), {"note": "x"}).status_code == 403


def test_the_admin_index_links_to_the_dashboard(client, staff):
    client.force_login(staff)
    page = client.get(reverse("admin:index")).content.decode()
    assert reverse("support_services:staff_dashboard") in page


# --- The staff dashboard ------------------------------------------------------------------------------------------


def dashboard_counts():
    data = staff_dashboard()
    stages = {row["stage"]: row for row in data["stages"]}
    return {
        "design": stages["design"]["partnerships"],
        "design_open": stages["design"]["open_items"],
        "set_up": stages["set_up"]["partnerships"],
        "overdue": data["follow_ups_overdue"],
        "due": data["follow_ups_due"],
        "eois_submitted": data["eois_submitted"],
        "eois_answered": data["eois_answered"],
        "declarations": data["declarations_to_review"],
    }


def test_the_dashboard_counts_what_waits(make_in_status, staff):
    declaration = make_declaration_draft()  # its partnership is in the design stage too
    before = dashboard_counts()
    design_items = ChecklistItem.objects.filter(stage=Stage.DESIGN, active=True).count()
    partnership = make_partnership(stage=Stage.DESIGN)
    services.checklist_item_set_status(
        partnership=partnership,
        item=ChecklistItem.objects.filter(stage=Stage.DESIGN).first(),
        status=ChecklistStatus.DONE,
        by=staff,
    )
    # A set-up item ticked early does not count against the design stage.
    services.checklist_item_set_status(
        partnership=partnership,
        item=ChecklistItem.objects.filter(stage=Stage.SET_UP).first(),
        status=ChecklistStatus.DONE,
        by=staff,
    )
    today = timezone.localdate()
    for follow_up_on, done in [
        (today - datetime.timedelta(days=3), False),
        (today + datetime.timedelta(days=2), False),
        (today - datetime.timedelta(days=1), True),
        (today + datetime.timedelta(days=30), False),
    ]:
        log_support_activity(
            partnership=partnership,
            date=today - datetime.timedelta(days=10),
            stage=Stage.DESIGN,
            follow_up_on=follow_up_on,
            follow_up_done=done,
        )
    make_in_status(EoiStatus.SUBMITTED)
    make_in_status(EoiStatus.UNDER_ASSESSMENT)  # assessed, no new answer: not counted
    asked = make_in_status(EoiStatus.INFORMATION_REQUESTED)
    services.eoi_answer(eoi=asked, text="Twelve schools.")
    commitment_services.declaration_submit(declaration=declaration)
    after = dashboard_counts()
    assert after["design"] == before["design"] + 1
    assert after["design_open"] == before["design_open"] + design_items - 1
    assert after["set_up"] == before["set_up"]
    assert after["overdue"] == before["overdue"] + 1
    assert after["due"] == before["due"] + 1
    assert after["eois_submitted"] == before["eois_submitted"] + 1
    assert after["eois_answered"] == before["eois_answered"] + 1
    assert after["declarations"] == before["declarations"] + 1
    follow_ups = staff_dashboard()["follow_ups"]
    assert [a.follow_up_on for a in follow_ups] == sorted(a.follow_up_on for a in follow_ups)


def test_the_dashboard_page_shows_the_counts_with_links(client, staff):
    client.force_login(staff)
    response = client.get(reverse("support_services:staff_dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Partnerships by stage" in page and "Declarations waiting for review" in page
    assert reverse("admin:support_services_partnershipsupport_changelist") + "?stage__exact=design" in page


def test_the_dashboard_query_count_does_not_grow_with_the_rows(client, staff, make_in_status, count_queries):
    client.force_login(staff)
    dashboard = reverse("support_services:staff_dashboard")
    few = count_queries(client, dashboard)
    today = timezone.localdate()
    for n in range(12):
        partnership = make_partnership(stage=Stage.DESIGN)
        close_stage(partnership, Stage.DESIGN, staff)
        log_support_activity(
            partnership=partnership,
            kind=SupportActivityKind.GUIDANCE,
            date=today,
            stage=Stage.DESIGN,
            staff=staff,
            follow_up_on=today + datetime.timedelta(days=n % 5 - 2),
        )
        # An overdue checklist item and an open support request per partnership.
        services.checklist_item_set_status(
            partnership=partnership,
            item=ChecklistItem.objects.filter(stage=Stage.SET_UP).first(),
            status=ChecklistStatus.IN_PROGRESS,
            by=staff,
            due_on=today - datetime.timedelta(days=n + 1),
        )
        coordinator = make_coordinator(partnership)
        StaffAssignment.objects.create(partnership=partnership, staff=staff)
        services.support_request_create(
            partnership=partnership, user=coordinator, topic=SupportTopic.OTHER, message="Help"
        )
    make_in_status(EoiStatus.SUBMITTED)
    many = count_queries(client, dashboard)
    assert many <= few
    page = client.get(reverse("support_services:staff_dashboard")).content.decode()
    assert page.count('class="overdue-item"') >= 12 and page.count('class="support-request"') >= 12


def test_the_support_page_query_count_does_not_grow_with_the_rows(client, partnership, staff, count_queries):
    client.force_login(staff)
    few = count_queries(client, support_url(partnership))
    close_stage(partnership, Stage.DESIGN, staff)
    close_stage(partnership, Stage.SET_UP, staff, status=ChecklistStatus.IN_PROGRESS)
    for _n in range(6):
        log_support_activity(
            partnership=partnership,
            stage=Stage.DESIGN,
            staff=staff,
        )
    services.partnership_move_stage(partnership=partnership, to_stage=Stage.SET_UP, by=staff)
    services.partnership_move_stage(partnership=partnership, to_stage=Stage.DESIGN, by=staff, reason="Back")
    assert count_queries(client, support_url(partnership)) <= few


def test_the_public_profile_shows_the_move_at_once(
    client, partnership, staff, settings, django_capture_on_commit_callbacks
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60  # the production setting: anonymous pages are cached whole
    assert "Governance agreed early" not in client.get(partnership.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_move_stage(
            partnership=partnership,
            to_stage=Stage.SET_UP,
            by=staff,
            reason="Governance agreed early",
        )
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert "Governance agreed early" in page


def test_staff_are_assigned_on_the_support_page_without_touching_the_partnership(client, partnership, staff):
    client.force_login(staff)
    updated_at = partnership.updated_at
    response = client.post(
        support_url(partnership),
        {
            "staff_assignments-TOTAL_FORMS": "1",
            "staff_assignments-INITIAL_FORMS": "0",
            "staff_assignments-MIN_NUM_FORMS": "0",
            "staff_assignments-MAX_NUM_FORMS": "1000",
            "staff_assignments-0-staff": staff.pk,
            "staff_assignments-0-is_lead": "on",
            "staff_assignments-0-partnership": partnership.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assignment = StaffAssignment.objects.get(partnership=partnership)
    assert assignment.staff == staff and assignment.is_lead
    partnership.refresh_from_db()
    assert partnership.updated_at == updated_at and partnership.stage == Stage.DESIGN
    # Through the service: who assigned whom is on the record.
    assert assignment_record(partnership) == [
        (StaffAssignmentAction.ASSIGNED, staff, staff),
        (StaffAssignmentAction.LEAD, staff, staff),
    ]
    # Taking them off in the admin is recorded too; the record stays on the support page.
    response = client.post(
        support_url(partnership),
        {
            "staff_assignments-TOTAL_FORMS": "1",
            "staff_assignments-INITIAL_FORMS": "1",
            "staff_assignments-MIN_NUM_FORMS": "0",
            "staff_assignments-MAX_NUM_FORMS": "1000",
            "staff_assignments-0-id": assignment.pk,
            "staff_assignments-0-staff": staff.pk,
            "staff_assignments-0-is_lead": "on",
            "staff_assignments-0-partnership": partnership.pk,
            "staff_assignments-0-DELETE": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not StaffAssignment.objects.filter(partnership=partnership).exists()
    assert assignment_record(partnership)[-1] == (StaffAssignmentAction.UNASSIGNED, staff, staff)
    assert "Unassigned" in client.get(support_url(partnership)).content.decode()


def assignment_record(partnership):
    return [
        (event.action, event.staff, event.by)
        for event in StaffAssignmentEvent.objects.filter(partnership=partnership).order_by("at", "pk")
    ]


def test_assigning_staff_records_who_assigned_whom_and_when(partnership, staff):
    colleague = make_staff(apps=())
    services.staff_assign(partnership=partnership, staff=colleague, by=staff)
    services.staff_assign(partnership=partnership, staff=colleague, by=staff)  # twice: no change, no entry
    services.staff_assign(partnership=partnership, staff=colleague, is_lead=True, by=staff)
    assignment = StaffAssignment.objects.get(partnership=partnership)
    assert assignment.staff == colleague and assignment.is_lead
    services.staff_unassign(assignment=assignment, by=staff)
    assert not StaffAssignment.objects.filter(partnership=partnership).exists()
    assert assignment_record(partnership) == [
        (StaffAssignmentAction.ASSIGNED, colleague, staff),
        (StaffAssignmentAction.LEAD, colleague, staff),
        (StaffAssignmentAction.UNASSIGNED, colleague, staff),
    ]
    event = StaffAssignmentEvent.objects.filter(partnership=partnership).first()
    assert timezone.now() - event.at < datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError):
        services.staff_assign(partnership=partnership, staff=make_user(), by=staff)


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:support_services_partnershipsupport_changelist",
        "admin:support_services_supportactivity_changelist",
    ],
)
def test_the_lifecycle_admin_lists_do_not_grow_in_queries(client, staff, url_name, count_queries):
    client.force_login(staff)
    url = reverse(url_name)
    few = count_queries(client, url)
    for _n in range(8):
        partnership = make_partnership(stage=Stage.SET_UP)
        colleague = make_staff(apps=())
        StaffAssignment.objects.create(partnership=partnership, staff=colleague)
        StaffAssignment.objects.create(partnership=partnership, staff=staff, is_lead=True)
        log_support_activity(
            partnership=partnership,
            kind=SupportActivityKind.MATCHMAKING,
            stage=Stage.SET_UP,
            staff=colleague,
        )
    many = count_queries(client, url)
    assert many <= few


def test_the_support_list_counts_the_open_items_of_the_current_stage(partnership, staff):
    def open_items():
        return with_open_checklist_items(Partnership.objects.filter(pk=partnership.pk)).get().open_items

    design_items = ChecklistItem.objects.filter(stage=Stage.DESIGN, active=True).count()
    assert open_items() == design_items
    item = ChecklistItem.objects.filter(stage=Stage.DESIGN).first()
    services.checklist_item_set_status(
        partnership=partnership, item=item, status=ChecklistStatus.IN_PROGRESS, by=staff
    )
    assert open_items() == design_items  # in progress is still open
    services.checklist_item_set_status(
        partnership=partnership, item=item, status=ChecklistStatus.NOT_APPLICABLE, by=staff
    )
    assert open_items() == design_items - 1
    close_stage(partnership, Stage.DESIGN, staff)
    services.partnership_move_stage(partnership=partnership, to_stage=Stage.SET_UP, by=staff)
    assert open_items() == ChecklistItem.objects.filter(stage=Stage.SET_UP, active=True).count()


# --- Due dates and overdue items ----------------------------------------------------------------------


def test_an_item_is_overdue_only_when_still_open_and_past_its_due_date(partnership, staff):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    items = list(ChecklistItem.objects.filter(stage=Stage.DESIGN, active=True).order_by("order"))
    cases = [
        (items[0], ChecklistStatus.OPEN, yesterday, True),
        (items[1], ChecklistStatus.IN_PROGRESS, yesterday, True),
        (items[2], ChecklistStatus.DONE, yesterday, False),
        (items[3], ChecklistStatus.NOT_APPLICABLE, yesterday, False),
    ]
    set_up = list(ChecklistItem.objects.filter(stage=Stage.SET_UP, active=True).order_by("order"))
    cases += [
        (set_up[0], ChecklistStatus.OPEN, today, False),  # due today is not late yet
        (set_up[1], ChecklistStatus.OPEN, None, False),  # no due date, never overdue
    ]
    rows = {}
    for item, status, due_on, _overdue in cases:
        rows[item.pk] = services.checklist_item_set_status(
            partnership=partnership, item=item, status=status, by=staff, due_on=due_on
        )
    for item, _status, _due_on, overdue in cases:
        assert rows[item.pk].is_overdue(today) is overdue, item.title
    listed = set(
        overdue_checklist_items(today=today).filter(partnership=partnership).values_list("item", flat=True)
    )
    assert listed == {items[0].pk, items[1].pk}
    # Tomorrow the item due today is late too; an inactive item no longer counts.
    tomorrow = today + datetime.timedelta(days=1)
    assert rows[set_up[0].pk].is_overdue(tomorrow)
    ChecklistItem.objects.filter(pk=items[0].pk).update(active=False)
    listed = set(
        overdue_checklist_items(today=today).filter(partnership=partnership).values_list("item", flat=True)
    )
    assert listed == {items[1].pk}


def test_changing_a_status_keeps_the_due_date_unless_it_is_given(partnership, staff):
    item = ChecklistItem.objects.filter(stage=Stage.DESIGN).first()
    due = timezone.localdate() + datetime.timedelta(days=14)
    services.checklist_item_set_status(
        partnership=partnership, item=item, status=ChecklistStatus.OPEN, by=staff, due_on=due
    )
    row = services.checklist_item_set_status(
        partnership=partnership, item=item, status=ChecklistStatus.IN_PROGRESS, by=staff
    )
    assert row.due_on == due
    row = services.checklist_item_set_status(
        partnership=partnership,
        item=item,
        status=ChecklistStatus.IN_PROGRESS,
        by=staff,
        due_on=None,
    )
    assert row.due_on is None


def test_staff_set_due_dates_in_the_admin_checklist_and_see_what_is_overdue(client, partnership, staff):
    client.force_login(staff)
    item = ChecklistItem.objects.filter(stage=Stage.DESIGN).order_by("order").first()
    last_week = timezone.localdate() - datetime.timedelta(days=7)
    response = client.post(
        reverse("admin:support_services_partnership_checklist", args=[partnership.pk]),
        {f"status-{item.pk}": ChecklistStatus.IN_PROGRESS, f"due-{item.pk}": last_week.isoformat()},
    )
    assert response.status_code == 302
    row = PartnershipChecklistItem.objects.get(partnership=partnership, item=item)
    assert row.due_on == last_week and row.status == ChecklistStatus.IN_PROGRESS
    page = client.get(support_url(partnership)).content.decode()
    assert f'name="due-{item.pk}" value="{last_week.isoformat()}"' in page
    assert '<strong class="overdue">overdue</strong>' in page
    dashboard = client.get(reverse("support_services:staff_dashboard")).content.decode()
    assert item.title in dashboard and support_url(partnership) in dashboard

    bad = client.post(
        reverse("admin:support_services_partnership_checklist", args=[partnership.pk]),
        {f"status-{item.pk}": ChecklistStatus.DONE, f"due-{item.pk}": "2026-13-45"},
        follow=True,
    )
    assert "the due date is not valid" in bad.content.decode()
    row.refresh_from_db()
    assert row.status == ChecklistStatus.IN_PROGRESS and row.due_on == last_week


def test_the_dashboard_counts_overdue_items_and_follow_ups(partnership, staff):
    today = timezone.localdate()
    before = staff_dashboard(today=today)
    item = ChecklistItem.objects.filter(stage=Stage.DESIGN).first()
    services.checklist_item_set_status(
        partnership=partnership,
        item=item,
        status=ChecklistStatus.OPEN,
        by=staff,
        due_on=today - datetime.timedelta(days=2),
    )
    after = staff_dashboard(today=today)
    assert after["overdue_items_count"] == before["overdue_items_count"] + 1
    assert any(row.partnership_id == partnership.pk for row in after["overdue_items"])
    close_stage(partnership, Stage.DESIGN, staff)
    assert staff_dashboard(today=today)["overdue_items_count"] == before["overdue_items_count"]


def results(response):
    """The admin changelist's result table, without the filter sidebar."""
    assert response.status_code == 200
    return response.content.decode().split('id="result_list"')[1].split("</table>")[0]


def test_the_dashboard_follow_up_links_open_the_matching_part_of_the_log(client, partnership, staff):
    today = timezone.localdate()
    for days, kind in [(-3, SupportActivityKind.MEETING), (2, SupportActivityKind.WORKSHOP)]:
        log_support_activity(
            partnership=partnership,
            kind=kind,
            date=today - datetime.timedelta(days=10),
            stage=Stage.DESIGN,
            follow_up_on=today + datetime.timedelta(days=days),
        )
    client.force_login(staff)
    page = client.get(reverse("support_services:staff_dashboard")).content.decode()
    links = {
        label: href.replace("&amp;", "&") + f"&partnership__id__exact={partnership.pk}"
        for href, label in re.findall(r'<a href="([^"]*supportactivity/\?[^"]*)">([^<]+)</a>', page)
    }
    overdue = results(client.get(links["Follow-ups overdue"]))
    assert "Meeting" in overdue and "Workshop" not in overdue
    due = results(client.get(links["Follow-ups due today or in the next 7 days"]))
    assert "Workshop" in due and "Meeting" not in due
