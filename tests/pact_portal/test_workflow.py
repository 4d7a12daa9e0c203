"""The workflow core (pact_portal.workflow), run on the project's own declaration model and machine."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core import mail
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments.models import Declaration, DeclarationStatus, ReviewEvent
from commitments.workflows import DECLARATION, write_review_event
from pact_portal import workflow as wf
from tests.commitments.builders import make_approved, make_draft
from tests.partnerships.builders import make_coordinator, make_staff, make_user

pytestmark = pytest.mark.django_db
S = DeclarationStatus


def submitted():
    declaration = make_draft()
    DECLARATION.run(declaration, "submit")
    return declaration


def machine_from_submitted(**transition):
    """A machine of the test's own over declarations (not registered), with one transition leaving
    "submitted"."""
    return wf.Workflow(
        model=Declaration,
        audit=write_review_event,
        register=False,
        transitions=[wf.Transition(source=[S.SUBMITTED], **transition)],
    )


def events(declaration, **filters):
    return list(
        ReviewEvent.objects.filter(declaration=declaration, **filters).values_list(
            "action", "from_status", "to_status", "comment", "internal"
        )
    )


# --- Lock and guard -----------------------------------------------------------------------------------


def test_the_guard_is_checked_again_on_the_locked_row():
    """A page read the declaration as approved; meanwhile someone withdrew it. The stale copy cannot
    countersign: the core reads the row again under its lock and refuses."""
    staff = make_staff()
    declaration = make_approved(staff=staff)
    stale = Declaration.objects.get(pk=declaration.pk)
    DECLARATION.run(declaration, "withdraw", actor=staff, note="Replaced by a new draft.")
    assert stale.status == S.APPROVED
    with pytest.raises(ValidationError, match="cannot go from “Withdrawn” to “Signed”"):
        DECLARATION.run(stale, "countersign", actor=staff)
    assert Declaration.objects.get(pk=declaration.pk).status == S.WITHDRAWN
    assert not events(declaration, action="countersigned")


def test_run_locks_the_row_it_changes():
    declaration = submitted()
    with CaptureQueriesContext(connection) as queries:
        DECLARATION.run(declaration, "approve", actor=make_staff())
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "commitments_declaration"' in q["sql"]]
    if connection.features.has_select_for_update:
        # Only the declaration's row is locked, not the joined partnership.
        assert 'FOR UPDATE OF "commitments_declaration"' in reads[0]
    else:  # SQLite: one writer at a time, the transaction itself is the lock
        assert "FOR UPDATE" not in reads[0]


def test_lock_finds_one_row_or_says_so():
    declaration = make_draft()
    with transaction.atomic():
        assert wf.lock(Declaration, pk=declaration.pk) == declaration
        assert wf.lock(Declaration.objects.select_related("partnership"), pk=declaration.pk).partnership
        with pytest.raises(Declaration.DoesNotExist):
            wf.lock(Declaration, pk=-1)


def test_lock_all_locks_every_row_of_a_queryset_in_one_query():
    first, second, other = make_draft(), make_draft(), make_draft()
    wanted = Declaration.objects.filter(pk__in=[first.pk, second.pk]).select_related("partnership")
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        rows = wf.lock_all(wanted.order_by("pk"))
    assert rows == [first, second] and other not in rows
    assert rows[0].partnership == first.partnership  # joined, but only the declarations are locked
    assert len(queries.captured_queries) == 1
    sql = queries.captured_queries[0]["sql"]
    if connection.features.has_select_for_update:
        assert 'FOR UPDATE OF "commitments_declaration"' in sql
    else:  # SQLite: one writer at a time, the transaction itself is the lock
        assert "FOR UPDATE" not in sql


def test_lock_or_create_gives_the_one_row_of_a_key_locked_whether_new_or_not():
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        first, created = wf.lock_or_create(Group, name="Reviewers")
        again, created_again = wf.lock_or_create(
            Group.objects.all(), name="Reviewers", defaults={"name": "x"}
        )
    assert created and not created_again and again == first and again.name == "Reviewers"
    assert Group.objects.filter(name="Reviewers").count() == 1
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    if connection.features.has_select_for_update:
        assert all("FOR UPDATE" in sql for sql in reads)


def test_available_gives_the_guards_answers_to_pages_admin_and_tests():
    staff = make_staff()
    declaration = make_approved(staff=staff)
    options = {o.name: (o.permitted, o.allowed, o.reason) for o in wf.available(declaration, staff)}
    assert options == {
        "countersign": (True, False, "Choose the signatories first."),
        "withdraw": (True, True, ""),
    }
    coordinator = make_coordinator(declaration.partnership)
    assert {o.name: o.permitted for o in wf.available(declaration, coordinator)} == {
        "countersign": False,
        "withdraw": False,
    }
    assert wf.check(declaration, "approve") == (
        False,
        "A declaration cannot go from “Approved, collecting signatures” to “Approved, collecting signatures”.",
    )


# --- Audit and notifications ----------------------------------------------------------------------------


def test_each_transition_writes_its_audit_entry():
    staff = make_staff()
    declaration = submitted()
    DECLARATION.run(declaration, "request_changes", actor=staff, note="  Add a KPI on SMEs.  ")
    event = ReviewEvent.objects.filter(declaration=declaration).latest("id")
    assert (event.action, event.from_status, event.to_status, event.comment, event.actor) == (
        "changes_requested",
        S.SUBMITTED,
        S.CHANGES_REQUESTED,
        "Add a KPI on SMEs.",
        staff,
    )
    assert not event.internal


def test_the_e_mail_leaves_only_once_the_transaction_commits(django_capture_on_commit_callbacks):
    declaration = submitted()
    coordinator = make_coordinator(declaration.partnership)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        DECLARATION.run(declaration, "request_changes", actor=make_staff(), note="Add a KPI.")
        assert mail.outbox == []  # still inside the transaction: nothing sent
    assert callbacks
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert "Add a KPI." in mail.outbox[0].body


def test_nothing_is_sent_nor_kept_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    declaration = submitted()
    make_coordinator(declaration.partnership)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        DECLARATION.run(declaration, "request_changes", actor=make_staff(), note="Add a KPI.")
        raise RuntimeError("the caller's next step failed")
    assert callbacks == [] and mail.outbox == []
    assert Declaration.objects.get(pk=declaration.pk).status == S.SUBMITTED
    assert not events(declaration, action="changes_requested")


def test_a_failing_after_step_undoes_the_whole_transition(django_capture_on_commit_callbacks):
    def fail(declaration, ctx):
        raise ValidationError("The cascade failed.")

    machine = machine_from_submitted(
        name="approve",
        target=S.APPROVED,
        label="Approve",
        may=wf.ANYONE,
        after=fail,
        notify=lambda declaration, ctx: wf.after_commit(
            lambda: mail.send_mail("x", "y", None, ["a@example.eu"])
        ),
    )
    declaration = submitted()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError, match="cascade failed"),
    ):
        machine.run(declaration, "approve")
    assert Declaration.objects.get(pk=declaration.pk).status == S.SUBMITTED
    assert not events(declaration, to_status=S.APPROVED) and mail.outbox == []


# --- Notes -------------------------------------------------------------------------------------------------


def test_a_required_note_must_be_written():
    declaration = submitted()
    with pytest.raises(ValidationError, match="Say which changes are needed."):
        DECLARATION.run(declaration, "request_changes", actor=make_staff(), note="   ")
    assert Declaration.objects.get(pk=declaration.pk).status == S.SUBMITTED


def test_a_note_without_declared_visibility_is_refused_when_declared():
    with pytest.raises(ImproperlyConfigured, match="note_visibility"):
        wf.Transition(
            name="x", source=[S.DRAFT], target=S.SUBMITTED, label="x", may=wf.ANYONE, note=wf.OPTIONAL
        )
    with pytest.raises(ImproperlyConfigured, match="who may act"):
        wf.Transition(name="x", source=[S.DRAFT], target=S.SUBMITTED, label="x", may=None)


def test_an_internal_note_never_reaches_the_coordinator_a_public_one_does(client):
    machine = machine_from_submitted(
        name="withdraw",
        target=S.WITHDRAWN,
        label="Withdraw",
        may="commitments.change_declaration",
        note=wf.OPTIONAL,
        note_visibility=wf.INTERNAL,
    )
    staff = make_staff()
    declaration = submitted()
    coordinator = make_coordinator(declaration.partnership)
    DECLARATION.run(declaration, "request_changes", actor=staff, note="Please add a KPI on SMEs.")
    DECLARATION.run(declaration, "submit", actor=coordinator)
    machine.run(declaration, "withdraw", actor=staff, note="Duplicate of the other partnership's file.")
    assert events(declaration, action="withdrawn") == [
        ("withdrawn", S.SUBMITTED, S.WITHDRAWN, "Duplicate of the other partnership's file.", True)
    ]
    client.force_login(coordinator)
    page = client.get(reverse("commitments:coordinator_declaration", args=[declaration.pk])).content.decode()
    assert "Please add a KPI on SMEs." in page
    assert "Duplicate of the other partnership" not in page


# --- Who may act -------------------------------------------------------------------------------------------


def test_only_those_the_transition_names_may_act():
    declaration = submitted()
    coordinator = make_coordinator(declaration.partnership)
    for outsider in (coordinator, make_user(), AnonymousUser()):
        with pytest.raises(PermissionDenied):
            DECLARATION.run(declaration, "approve", actor=outsider)
    assert Declaration.objects.get(pk=declaration.pk).status == S.SUBMITTED
    DECLARATION.run(declaration, "approve", actor=make_staff())
    assert declaration.status == S.APPROVED


def test_the_coordinator_of_another_partnership_cannot_submit():
    declaration = make_draft()
    other = make_coordinator(make_draft().partnership)
    with pytest.raises(PermissionDenied):
        DECLARATION.run(declaration, "submit", actor=other)
    DECLARATION.run(declaration, "submit", actor=make_coordinator(declaration.partnership))
    assert declaration.status == S.SUBMITTED


def test_the_graph_is_the_design():
    assert DECLARATION.graph() == {
        S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
        S.SUBMITTED: {S.CHANGES_REQUESTED, S.APPROVED, S.WITHDRAWN},
        S.CHANGES_REQUESTED: {S.SUBMITTED, S.WITHDRAWN},
        S.APPROVED: {S.SIGNED, S.WITHDRAWN},
        S.SIGNED: {S.SUPERSEDED},
        S.SUPERSEDED: set(),
        S.WITHDRAWN: set(),
    }
