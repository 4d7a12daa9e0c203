"""The EoI state machine (DESIGN §3) and what each transition writes and sends."""

import re
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from partnerships.models import CoordinatorAccess, Membership, Organisation, Partnership, StageChange
from support_services import services
from support_services.models import EoiEvent, EoiEventKind, EoiStatus, ExpressionOfInterest
from support_services.workflows import EOI_TRANSITIONS
from tests.partnerships.builders import make_organisation, make_user
from tests.support_services.builders import eoi_perform as perform
from tests.support_services.builders import make_eoi_draft, make_eoi_submitted

pytestmark = pytest.mark.django_db

ALL = list(EoiStatus)
YEAR = timezone.localdate().year


ALLOWED = [(a, b) for a in ALL for b in ALL if b in EOI_TRANSITIONS[a]]
# Nothing leads back to draft (no service exists for it); submitting a submitted application again is the
# idempotent no-op tested in test_a_repeated_submit_keeps_the_reference_and_does_not_use_a_number.
FORBIDDEN = [
    (a, b)
    for a in ALL
    for b in ALL
    if b not in EOI_TRANSITIONS[a] and b != EoiStatus.DRAFT and (a, b) != ("submitted", "submitted")
]


def test_the_transition_table_is_the_one_of_the_design():
    assert set(ALLOWED) == {
        ("draft", "submitted"),
        ("draft", "withdrawn"),
        ("submitted", "under_assessment"),
        ("submitted", "withdrawn"),
        ("under_assessment", "information_requested"),
        ("under_assessment", "accepted"),
        ("under_assessment", "declined"),
        ("under_assessment", "withdrawn"),
        ("information_requested", "under_assessment"),
        ("information_requested", "withdrawn"),
    }


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED, ids=lambda s: str(s))
def test_every_allowed_transition_changes_the_status_and_writes_an_audit_entry(
    make_in_status, staff, from_status, to_status
):
    eoi = make_in_status(from_status)
    assert services.eoi_can_transition(eoi=eoi, to_status=to_status) == (True, "")
    changed = perform(to_status, eoi, staff)
    changed.refresh_from_db()
    assert changed.status == to_status
    last = changed.events.filter(kind=EoiEventKind.STATUS).last()
    assert (last.from_status, last.to_status) == (from_status, to_status)
    assert last.by_applicant == (
        to_status in ("submitted", "withdrawn") or from_status == "information_requested"
    )
    if not last.by_applicant:
        assert last.actor == staff


@pytest.mark.parametrize(("from_status", "to_status"), FORBIDDEN, ids=lambda s: str(s))
def test_every_forbidden_transition_is_refused_and_changes_nothing(
    make_in_status, staff, from_status, to_status
):
    eoi = make_in_status(from_status)
    allowed, reason = services.eoi_can_transition(eoi=eoi, to_status=to_status)
    assert not allowed and reason
    events_before = eoi.events.count()
    with pytest.raises(ValidationError):
        perform(to_status, eoi, staff)
    eoi.refresh_from_db()
    assert eoi.status == from_status
    assert eoi.events.count() == events_before


def test_submit_gives_consecutive_references_and_records_consent(settings):
    settings.PRIVACY_NOTICE_VERSION = "2026-7"
    first, second = make_eoi_submitted(), make_eoi_submitted()
    assert first.reference == f"EOI-{YEAR}-0001"
    assert second.reference == f"EOI-{YEAR}-0002"
    assert first.privacy_notice_version == "2026-7" and first.consent_at is not None
    assert first.expires_at is None


def test_a_repeated_submit_keeps_the_reference_and_does_not_use_a_number():
    eoi = make_eoi_draft()
    once = services.eoi_submit(eoi=eoi, consent=True)
    twice = services.eoi_submit(eoi=eoi, consent=True)
    assert once.reference == twice.reference == f"EOI-{YEAR}-0001"
    assert make_eoi_submitted().reference == f"EOI-{YEAR}-0002"


def test_submit_needs_consent_and_every_step():
    with pytest.raises(ValidationError, match="privacy notice"):
        services.eoi_submit(eoi=make_eoi_draft(), consent=False)
    with pytest.raises(ValidationError, match="missing"):
        services.eoi_submit(eoi=make_eoi_draft(step=2), consent=True)
    assert ExpressionOfInterest.objects.filter(reference__isnull=False).count() == 0


def test_submit_mails_the_applicant_a_summary_and_working_link_and_notifies_the_mailbox(
    client, settings, django_capture_on_commit_callbacks
):
    eoi = make_eoi_draft()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        eoi = services.eoi_submit(eoi=eoi, consent=True)
    applicant, staff_mail = mail.outbox
    assert applicant.to == ["giulia.bianchi@example.it"]
    assert eoi.reference in applicant.subject
    assert "Lombardy Green Skills Partnership" in applicant.body and "Lombardia (ITC4)" in applicant.body
    link = re.search(r"http://\S+/expression-of-interest/\S+/", applicant.body).group(0)
    response = client.get(link.split("127.0.0.1:8000", 1)[1])
    assert response.status_code == 200 and eoi.reference in response.content.decode()
    assert staff_mail.to == [settings.SUPPORT_SERVICES_EMAIL]
    assert eoi.reference in staff_mail.subject and f"/{eoi.pk}/change/" in staff_mail.body


def test_an_email_failure_never_loses_the_submission(django_capture_on_commit_callbacks, caplog):
    eoi = make_eoi_draft()
    with (
        mock.patch("pact_portal.mail.EmailMessage.send", side_effect=OSError("SMTP down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        submitted = services.eoi_submit(eoi=eoi, consent=True)
    submitted.refresh_from_db()
    assert submitted.status == EoiStatus.SUBMITTED and submitted.reference
    assert "could not be sent" in caplog.text


@pytest.mark.parametrize(
    ("scope", "regions", "message"),
    [
        ("single_region", ("ITC4", "ITC1"), "exactly one region"),
        ("macro_region", ("ITC4", "ITC1"), "more than one Member State"),
        ("network_of_regions", ("ITC4",), "at least two regions"),
        ("network_of_regions", ("ITC4", "FR10"), "within one Member State"),
    ],
)
def test_the_scope_and_the_regions_must_agree(scope, regions, message):
    with pytest.raises(ValidationError, match=message):
        make_eoi_draft(proposal={"scope": scope}, regions=regions)


def test_scopes_with_matching_regions_are_saved():
    assert (
        make_eoi_draft(proposal={"scope": "macro_region"}, regions=("ITC4", "FR10")).scope == "macro_region"
    )
    assert (
        make_eoi_draft(proposal={"scope": "network_of_regions"}, regions=("ITC4", "ITC1")).regions.count()
        == 2
    )


def test_a_company_must_say_whether_it_is_an_sme_and_the_region_must_be_in_the_country():
    with pytest.raises(ValidationError, match="SME"):
        make_eoi_draft(step=1, organisation_type="company", organisation_is_sme=None)
    with pytest.raises(ValidationError, match="Choose a region in"):
        make_eoi_draft(step=1, organisation_country="FR")


def test_accept_creates_exactly_the_partnership_membership_and_coordinator(
    make_in_status, staff, django_capture_on_commit_callbacks
):
    eoi = make_in_status(EoiStatus.UNDER_ASSESSMENT, regions=("ITC4",), ecosystems=("digital", "tourism"))
    counts = {
        m: m.objects.count() for m in (Partnership, Organisation, Membership, StageChange, CoordinatorAccess)
    }
    users = get_user_model().objects.count()
    before = list(Partnership.objects.values_list("pk", flat=True))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        accepted = services.eoi_accept(eoi=eoi, by=staff, note="Strong regional backing")
    partnership = Partnership.objects.exclude(pk__in=before).get()
    assert accepted.partnership == partnership
    assert (partnership.kind, partnership.scope, partnership.stage) == ("rsp", "single_region", "design")
    assert partnership.is_published is False
    assert sorted(partnership.regions.values_list("code", flat=True)) == ["ITC4"]
    assert sorted(partnership.ecosystems.values_list("slug", flat=True)) == ["digital", "tourism"]
    membership = Membership.objects.get(partnership=partnership)
    assert (membership.role, membership.is_lead) == ("coordinator", True)
    assert membership.organisation == accepted.organisation
    assert membership.organisation.name == "Agenzia Regionale per il Lavoro"
    coordinator = get_user_model().objects.get(email="giulia.bianchi@example.it")
    assert (coordinator.first_name, coordinator.last_name) == ("Giulia", "Bianchi")
    assert not coordinator.has_usable_password()
    assert CoordinatorAccess.objects.get(partnership=partnership).user == coordinator
    after = {m: m.objects.count() for m in counts}
    assert {m: after[m] - counts[m] for m in counts} == {
        Partnership: 1,
        Organisation: 1,
        Membership: 1,
        StageChange: 1,
        CoordinatorAccess: 1,
    }
    assert get_user_model().objects.count() == users + 1
    subjects = sorted(message.subject for message in mail.outbox)
    assert any("You coordinate Lombardy Green Skills Partnership" in s for s in subjects)
    assert any("Accepted" in s for s in subjects)
    assert "/accounts/reset/" in next(m.body for m in mail.outbox if "coordinate" in m.subject)


def test_accept_matches_an_existing_organisation_by_name_and_country(make_in_status, staff):
    existing = make_organisation(
        name="AGENZIA regionale per il lavoro", country="IT", stakeholder_type="regional_authority"
    )
    eoi = make_in_status(EoiStatus.UNDER_ASSESSMENT)
    organisations = Organisation.objects.count()
    accepted = services.eoi_accept(eoi=eoi, by=staff)
    assert accepted.organisation == existing
    assert Organisation.objects.count() == organisations


def test_a_failing_accept_rolls_everything_back(make_in_status, staff):
    eoi = make_in_status(EoiStatus.UNDER_ASSESSMENT)
    partnerships, memberships = Partnership.objects.count(), Membership.objects.count()
    with (
        mock.patch("partnerships.services.coordinator_invite", side_effect=ValidationError("boom")),
        pytest.raises(ValidationError),
    ):
        services.eoi_accept(eoi=eoi, by=staff)
    eoi.refresh_from_db()
    assert eoi.status == EoiStatus.UNDER_ASSESSMENT and eoi.partnership is None
    assert (Partnership.objects.count(), Membership.objects.count()) == (partnerships, memberships)


def test_request_information_and_decline_mail_their_text_to_the_applicant(
    make_in_status, staff, django_capture_on_commit_callbacks
):
    eoi = make_in_status(EoiStatus.UNDER_ASSESSMENT)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.eoi_request_information(eoi=eoi, by=staff, message="Which schools take part?")
    assert mail.outbox[-1].to == ["giulia.bianchi@example.it"]
    assert "Which schools take part?" in mail.outbox[-1].body
    assert eoi.token in mail.outbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        services.eoi_answer(eoi=eoi, text="Twelve schools.")
        services.eoi_decline(eoi=eoi, by=staff, reason="The region already has a partnership.")
    assert "The region already has a partnership." in mail.outbox[-1].body
    assert "Declined" in mail.outbox[-1].subject


def test_messages_and_reasons_may_not_be_empty(make_in_status, staff):
    eoi = make_in_status(EoiStatus.UNDER_ASSESSMENT)
    with pytest.raises(ValidationError):
        services.eoi_request_information(eoi=eoi, by=staff, message="  ")
    with pytest.raises(ValidationError):
        services.eoi_decline(eoi=eoi, by=staff, reason="")
    eoi = make_in_status(EoiStatus.INFORMATION_REQUESTED)
    with pytest.raises(ValidationError):
        services.eoi_answer(eoi=eoi, text="")


def test_assignment_and_notes_are_on_the_timeline_but_not_public(make_in_status, staff):
    from support_services import selectors

    eoi = make_in_status(EoiStatus.SUBMITTED)
    services.eoi_assign(eoi=eoi, to=staff, by=staff)
    services.eoi_add_note(eoi=eoi, by=staff, text="Call the region first")
    kinds = list(eoi.events.values_list("kind", flat=True))
    assert EoiEventKind.ASSIGNMENT in kinds and EoiEventKind.NOTE in kinds
    public = selectors.eoi_by_token(token=eoi.token).public_events
    assert all(event.kind not in ("note", "assignment") for event in public)
    outsider = make_user()
    with pytest.raises(ValidationError):
        services.eoi_assign(eoi=eoi, to=outsider, by=staff)


def test_an_expired_draft_can_neither_be_changed_nor_submitted():
    eoi = make_eoi_draft()
    ExpressionOfInterest.objects.filter(pk=eoi.pk).update(
        expires_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    eoi.refresh_from_db()
    with pytest.raises(ValidationError, match="expired"):
        services.eoi_save_step(eoi=eoi, step=2, data={"contact_role": "x"})
    with pytest.raises(ValidationError, match="expired"):
        services.eoi_submit(eoi=eoi, consent=True)


def test_the_same_idempotency_key_creates_one_draft():
    from tests.support_services.builders import organisation_data

    first, created = services.eoi_start(idempotency_key="k-1", data=organisation_data())
    again, created_again = services.eoi_start(idempotency_key="k-1", data=organisation_data())
    assert created and not created_again and first.pk == again.pk
    assert ExpressionOfInterest.objects.count() == 1


def test_tokens_are_long_random_and_unique():
    tokens = {make_eoi_draft(step=1).token for _ in range(20)}
    assert len(tokens) == 20
    assert all(len(token) >= 43 and re.fullmatch(r"[A-Za-z0-9_-]+", token) for token in tokens)
    assert EoiEvent.objects.count() == 0  # drafts have no history yet
