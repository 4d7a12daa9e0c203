"""The declaration state machine: every allowed and forbidden transition, each audited."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from commitments import services
from commitments.models import Declaration, DeclarationStatus, ReviewEvent
from commitments.workflows import TRANSITIONS
from tests.commitments.builders import make_approved, make_draft, make_signed, sign_all
from tests.partnerships.builders import make_coordinator, make_staff

pytestmark = pytest.mark.django_db
S = DeclarationStatus


@pytest.mark.parametrize("from_status", list(S))
@pytest.mark.parametrize("to_status", list(S))
def test_guard_refuses_every_move_outside_the_table(from_status, to_status):
    declaration = Declaration(status=from_status)
    if to_status in TRANSITIONS[from_status]:
        return  # the allowed moves are tested one by one below, with their content rules
    allowed, reason = services.declaration_can_transition(declaration=declaration, to_status=to_status)
    assert not allowed and reason


def statuses(declaration):
    return list(declaration.events.exclude(to_status="").values_list("from_status", "to_status"))


def test_full_journey_with_a_round_of_changes(django_capture_on_commit_callbacks):
    staff = make_staff()
    declaration = make_draft()
    coordinator = make_coordinator(declaration.partnership)
    with django_capture_on_commit_callbacks(execute=True):
        services.declaration_submit(declaration=declaration, actor=coordinator)
    assert declaration.status == S.SUBMITTED and declaration.submitted_at
    assert mail.outbox[-1].to == ["support-services@pact-for-skills.example"]
    with django_capture_on_commit_callbacks(execute=True):
        services.declaration_request_changes(
            declaration=declaration, actor=staff, comment="Add a KPI on SMEs."
        )
    assert declaration.status == S.CHANGES_REQUESTED
    assert mail.outbox[-1].to == [coordinator.email] and "Add a KPI on SMEs." in mail.outbox[-1].body
    services.declaration_submit(declaration=declaration, actor=coordinator)
    services.declaration_approve(declaration=declaration, actor=staff)
    assert declaration.status == S.APPROVED
    assert declaration.approved_fingerprint == services.declaration_fingerprint(declaration)
    sign_all(declaration)
    services.declaration_countersign(declaration=declaration, actor=staff)
    assert declaration.status == S.SIGNED and declaration.pdf and declaration.verification_code
    assert statuses(declaration) == [
        ("", S.DRAFT),
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.CHANGES_REQUESTED),
        (S.CHANGES_REQUESTED, S.SUBMITTED),
        (S.SUBMITTED, S.APPROVED),
        (S.APPROVED, S.SIGNED),
    ]
    assert declaration.events.filter(action="signed").count() == 3


def test_submit_needs_content():
    declaration = make_draft(objectives=0, kpis=0)
    with pytest.raises(ValidationError, match="objective or KPI"):
        services.declaration_submit(declaration=declaration)
    services.declaration_save_content(
        declaration=declaration,
        challenge="",
        ambition="An ambition",
        principles=set(),
        objectives=["One"],
        actions=[],
        kpis=[],
    )
    with pytest.raises(ValidationError, match="challenge"):
        services.declaration_submit(declaration=declaration)
    assert Declaration.objects.get().status == S.DRAFT


def test_request_changes_needs_a_comment():
    declaration = make_draft()
    services.declaration_submit(declaration=declaration)
    with pytest.raises(ValidationError):
        services.declaration_request_changes(declaration=declaration, actor=make_staff(), comment="  ")
    assert Declaration.objects.get().status == S.SUBMITTED


@pytest.mark.parametrize("service", ["approve", "request_changes", "countersign"])
def test_staff_moves_are_refused_on_a_draft(service):
    declaration = make_draft()
    staff = make_staff()
    with pytest.raises(ValidationError):
        if service == "countersign":
            services.declaration_countersign(declaration=declaration, actor=staff)
        elif service == "approve":
            services.declaration_approve(declaration=declaration, actor=staff)
        else:
            services.declaration_request_changes(declaration=declaration, actor=staff, comment="x")
    assert Declaration.objects.get().status == S.DRAFT
    assert not ReviewEvent.objects.filter(to_status__in=[S.APPROVED, S.SIGNED, S.CHANGES_REQUESTED]).exists()


def test_countersign_waits_for_every_signature():
    declaration = make_approved()
    with pytest.raises(ValidationError, match="signatories"):
        services.declaration_countersign(declaration=declaration, actor=make_staff())
    from tests.commitments.builders import invite_all

    links = invite_all(declaration)
    signatory, token = next(iter(links.items()))
    services.signature_sign_online(token=token, name="A", title="B", statement_accepted=True)
    with pytest.raises(ValidationError, match="Waiting for 2"):
        services.declaration_countersign(declaration=declaration, actor=make_staff())
    assert Declaration.objects.get().status == S.APPROVED


def test_withdraw_from_open_states_and_not_after_signing():
    for status_path in ([], ["submit"], ["submit", "changes"], ["submit", "approve"]):
        declaration = make_draft()
        staff = make_staff()
        for step in status_path:
            if step == "submit":
                services.declaration_submit(declaration=declaration)
            elif step == "changes":
                services.declaration_request_changes(declaration=declaration, actor=staff, comment="x")
            else:
                services.declaration_approve(declaration=declaration, actor=staff)
        services.declaration_withdraw(declaration=declaration, actor=staff)
        assert declaration.status == S.WITHDRAWN
        with pytest.raises(ValidationError):
            services.declaration_submit(declaration=declaration)
    signed = make_signed()
    with pytest.raises(ValidationError):
        services.declaration_withdraw(declaration=signed, actor=make_staff())


def test_content_is_frozen_outside_draft_and_changes_requested():
    declaration = make_draft()
    services.declaration_submit(declaration=declaration)
    with pytest.raises(ValidationError, match="edited"):
        services.declaration_save_content(
            declaration=declaration,
            challenge="x",
            ambition="y",
            principles=set(),
            objectives=[],
            actions=[],
            kpis=[],
        )


def test_a_newer_signed_version_supersedes_the_previous_one():
    staff = make_staff()
    first = make_signed(staff=staff)
    with pytest.raises(ValidationError):  # one open version at a time
        services.declaration_create(partnership=first.partnership)
        services.declaration_create(partnership=first.partnership)
    second = first.partnership.declarations.get(version=2)
    assert [o.text for o in second.objectives.all()] == [o.text for o in first.objectives.all()]
    services.declaration_submit(declaration=second)
    services.declaration_approve(declaration=second, actor=staff)
    sign_all(second)
    services.declaration_countersign(declaration=second, actor=staff)
    first.refresh_from_db()
    assert (first.status, second.status) == (S.SUPERSEDED, S.SIGNED)
    assert first.events.filter(action="superseded", to_status=S.SUPERSEDED).exists()
    with pytest.raises(ValidationError):
        services.declaration_submit(declaration=first)


def test_fingerprint_depends_on_every_part_of_the_content():
    declaration = make_draft()
    base = services.declaration_fingerprint(declaration)
    assert base == services.declaration_fingerprint(Declaration.objects.get(pk=declaration.pk))
    kpi = declaration.kpis.first()
    kpi.target += 1
    kpi.save()
    assert services.declaration_fingerprint(declaration) != base
    kpi.target -= 1
    kpi.save()
    declaration.principle_equality = True
    assert services.declaration_fingerprint(declaration) != base


def test_kpi_progress_only_on_a_signed_declaration():
    import datetime

    declaration = make_approved()
    with pytest.raises(ValidationError):
        services.kpi_progress_report(
            kpi=declaration.kpis.first(), value=10, reported_on=datetime.date(2026, 6, 1)
        )
    signed = make_signed()
    progress = services.kpi_progress_report(
        kpi=signed.kpis.first(), value=10, reported_on=datetime.date(2026, 6, 1)
    )
    assert progress.pk and signed.events.filter(action="progress_reported").exists()
