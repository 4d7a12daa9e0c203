"""The workflow core: every state machine of the portal, declared as data and run the same way.

It imports no app: a domain declares its machine next to its models (``<app>/workflows.py``) and its
named services (``declaration_approve``...) call :meth:`Workflow.run`. The admin integration is
``pact_portal.admin_workflow``.

Declaring a workflow
--------------------
::

    from pact_portal import workflow as wf

    def _has_content(declaration):                      # a guard: (allowed, reason), never raises
        if not declaration.objectives.exists():
            return False, _("Add at least one objective before submitting.")
        return True, ""

    DECLARATION = wf.Workflow(
        model=Declaration,
        field="status",                                  # a TextChoices field: its labels name the states
        audit=write_review_event,                        # audit(obj, ctx) -> the domain's own audit row
        audience=_("the partnership's coordinators"),    # who reads a *public* note
        wrong_state=_("A declaration cannot go from “%(from)s” to “%(to)s”."),
        select_related=("partnership",),                 # joined to the locked row (only the row is locked)
        transitions=[
            wf.Transition(
                name="request_changes",                  # the URL segment and the audit action
                source=[S.SUBMITTED],                    # the states it leaves from
                target=S.CHANGES_REQUESTED,
                label=_("Request changes"),              # the button
                may="commitments.change_declaration",    # a permission, or may(actor, obj) -> bool, or wf.ANYONE
                guard=None,                              # or guard(obj) -> (allowed, reason)
                note=wf.REQUIRED,                        # NONE, OPTIONAL, REQUIRED, or note(obj) -> one of them
                note_visibility=wf.PUBLIC,               # PUBLIC or INTERNAL: required whenever a note is taken
                note_label=_("Changes needed"),
                note_missing=_("Say which changes are needed."),
                confirm="",                              # text of a confirmation step in the admin
                apply=None,                              # apply(obj, ctx): more field changes on the locked row
                after=None,                              # after(obj, ctx): other writes, same transaction
                notify=tell_coordinators,                # notify(obj, ctx): prepares e-mails sent on commit
            ),
        ],
    )

Every choice that matters is spelled out: who may act (``may`` has no default; ``wf.ANYONE`` says that the
caller checked something else, such as a secret link), and whether a note is public or internal (a
transition that takes a note without ``note_visibility`` is refused at import time).

Running a transition
--------------------
``DECLARATION.run(declaration, "request_changes", actor=user, note="Add a KPI")`` (or the module-level
``workflow.run(obj, name, ...)``, which finds the workflow of ``obj``'s model) does, in one
``transaction.atomic``:

1. locks the row (``SELECT ... FOR UPDATE``) and reads it again;
2. checks that ``actor`` may act (``PermissionDenied`` if not; ``actor=None`` is trusted code acting on
   its own: the demo seed, a cascade from another transition);
3. re-checks the source state and the guard **on the locked row** (``ValidationError(reason)``), then the
   note (``ValidationError(note_missing)``);
4. sets the target state, runs ``apply``, sets ``updates={...}``, calls ``full_clean()`` and saves;
5. writes the audit entry through the workflow's ``audit(obj, ctx)``;
6. runs ``after`` (for instance: supersede the previous version, by running *its* transition);
7. calls ``notify(obj, ctx)``, still inside the transaction, to prepare the e-mails now (in the actor's
   language, with the mail settings in force) and hand each to ``transaction.on_commit``: the portal's
   mail helper (``send_after_commit``) renders at once and sends once the transaction commits, logging a
   failed delivery while the committed change stays. Nothing is sent when the transaction rolls back.
   A hook must never send directly; :func:`after_commit` schedules anything else that must wait.

It returns the locked, updated row and refreshes the instance it was given. ``ctx`` is a :class:`Context`:
``transition``, ``actor`` (and ``account``: the actor as a user account to record, or None), ``note``,
``internal`` (the declared visibility of the note), ``from_state``, ``to_state``, ``extra`` (keyword
arguments given to ``run``, for ``apply``/``audit``/``notify``) and ``event`` (what ``audit`` returned).

Asking what is possible
-----------------------
``workflow.available(obj, actor)`` lists the transitions leaving ``obj``'s current state as
:class:`Option` rows (``transition``, ``permitted``, ``allowed``, ``reason``): pages show or explain their
buttons with it, the admin builds its buttons from it, tests assert on it. ``wf.check(obj, name)`` and
``DECLARATION.can_move(obj, to_state)`` give one ``(allowed, reason)``.

Locking outside a transition
----------------------------
``workflow.lock(Model_or_queryset, pk=...)`` is the one ``select_for_update`` of the code base: call it
inside ``transaction.atomic``. With ``select_related`` it locks the row of the model itself only
(PostgreSQL refuses to lock the nullable side of an outer join). ``workflow.lock_all(queryset)`` does the
same for every row of a queryset, in one query, for sweeps over many rows.
``workflow.lock_or_create(Model_or_queryset, defaults={...}, **lookup)`` is the same for a row that may not
exist yet (one row per key, such as a partnership's status on one checklist item): it returns
``(row, created)``, the row locked either way; two transactions racing to create it end with one row,
the second waiting for the first and then reading it.

Plugging it into the admin
--------------------------
``class DeclarationAdmin(WorkflowAdminMixin, admin.ModelAdmin): workflow = DECLARATION`` and include
``admin/includes/workflow_buttons.html`` in the change form: see ``pact_portal.admin_workflow``.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import connections, router, transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

NONE, OPTIONAL, REQUIRED = "none", "optional", "required"
PUBLIC, INTERNAL = "public", "internal"
ANYONE = object()  # ``may=ANYONE``: the caller checked who acts (a secret link, a coordinator page)

_REGISTRY = {}


def _for_update(queryset):
    connection = connections[router.db_for_write(queryset.model)]
    if queryset.query.select_related and connection.features.has_select_for_update_of:
        return queryset.select_for_update(of=("self",))
    return queryset.select_for_update()


def lock(queryset_or_model, **lookup):
    """The row matching ``lookup``, locked until the transaction ends (raises ``DoesNotExist``)."""
    if isinstance(queryset_or_model, QuerySet):
        queryset = queryset_or_model
    else:
        queryset = queryset_or_model._default_manager.all()
    return _for_update(queryset).get(**lookup)


def lock_all(queryset):
    """Every row of ``queryset``, as a list, each locked until the transaction ends: one query for a
    sweep over many rows (a retention purge), instead of one ``lock`` per row."""
    return list(_for_update(queryset))


def lock_or_create(queryset_or_model, defaults=None, **lookup):
    """(row, created): the row matching ``lookup``, created with ``defaults`` when missing, locked either way.

    Call it inside ``transaction.atomic``. A unique constraint on the lookup's fields makes the race safe:
    the losing insert fails inside a savepoint and the row the other transaction committed is read (locked).
    """
    if isinstance(queryset_or_model, QuerySet):
        queryset = queryset_or_model
    else:
        queryset = queryset_or_model._default_manager.all()
    return _for_update(queryset).get_or_create(defaults=defaults, **lookup)


@dataclass(frozen=True)
class Transition:
    name: str
    source: Any
    target: str
    label: Any
    may: Any
    guard: Any = None
    note: Any = NONE
    note_visibility: str = ""
    note_label: Any = ""
    note_missing: Any = ""
    confirm: Any = ""
    apply: Any = None
    after: Any = None
    notify: Any = None
    admin: bool = True  # offered as a button in the admin (False: run by the code, e.g. a cascade)
    done: Any = ""  # the success message; default: "<label>: done."

    def __post_init__(self):
        object.__setattr__(self, "source", frozenset(self.source))
        if self.note != NONE and self.note_visibility not in (PUBLIC, INTERNAL):
            raise ImproperlyConfigured(
                f"Transition {self.name!r} takes a note: declare note_visibility=PUBLIC or INTERNAL."
            )
        if self.may is None:
            raise ImproperlyConfigured(f"Transition {self.name!r}: declare who may act (may=...).")

    def note_mode(self, obj):
        return self.note(obj) if callable(self.note) else self.note

    @property
    def internal_note(self):
        return self.note_visibility == INTERNAL


@dataclass
class Context:
    """What ``apply``, ``after``, ``audit`` and ``notify`` are told about the running transition."""

    workflow: "Workflow"
    transition: Transition
    actor: Any
    note: str
    from_state: str
    to_state: str
    extra: dict = field(default_factory=dict)
    event: Any = None

    @property
    def internal(self):
        return self.transition.internal_note

    @property
    def account(self):
        """The user account to record as having acted; None for trusted code or an anonymous visitor."""
        actor = self.actor
        return actor if actor is not None and actor.is_authenticated else None


@dataclass(frozen=True)
class Option:
    """One transition leaving the current state, as a page or the admin shows it."""

    transition: Transition
    permitted: bool  # the actor may perform it at all
    allowed: bool  # ...and the state and guard let it happen now
    reason: str

    @property
    def name(self):
        return self.transition.name

    @property
    def label(self):
        return self.transition.label


class Workflow:
    def __init__(
        self,
        *,
        model,
        transitions,
        audit,
        field="status",
        audience="",
        wrong_state="",
        select_related=(),
        register=True,
    ):
        self.model = model
        self.field = field
        self.audit = audit
        self.audience = audience
        self.wrong_state = wrong_state or _("This cannot go from “%(from)s” to “%(to)s”.")
        self.select_related = tuple(select_related)
        self.transitions = {}
        for transition in transitions:
            if transition.name in self.transitions:
                raise ImproperlyConfigured(f"Two transitions are named {transition.name!r}.")
            self.transitions[transition.name] = transition
        if register:
            _REGISTRY[model] = self

    def __getitem__(self, name):
        return self.transitions[name]

    def __iter__(self):
        return iter(self.transitions.values())

    # --- The machine as data -----------------------------------------------------------------------

    def graph(self):
        """{state: {states reachable in one transition}}, every state of the field included."""
        states = {value for value, _label in self.model._meta.get_field(self.field).choices}
        graph = {state: set() for state in states}
        for transition in self:
            for state in transition.source:
                graph[state].add(transition.target)
        return graph

    def state_label(self, state):
        return dict(self.model._meta.get_field(self.field).choices).get(state, state)

    def state(self, obj):
        return getattr(obj, self.field)

    # --- Rules ---------------------------------------------------------------------------------------

    def permitted(self, transition, actor, obj):
        """May ``actor`` perform ``transition`` on ``obj`` at all? ``None`` is trusted code."""
        if actor is None or transition.may is ANYONE:
            return True
        if not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_active", True):
            return False
        if isinstance(transition.may, str):
            return actor.has_perm(transition.may)
        return bool(transition.may(actor, obj))

    def _wrong_state(self, obj, transition):
        return self.wrong_state % {
            "from": self.state_label(self.state(obj)),
            "to": self.state_label(transition.target),
        }

    def check(self, obj, name):
        """(allowed, reason) by the state and the guard (not the actor, not the note)."""
        transition = self.transitions[name]
        if self.state(obj) not in transition.source:
            return False, self._wrong_state(obj, transition)
        if transition.guard is not None:
            allowed, reason = transition.guard(obj)
            if not allowed:
                return False, str(reason)
        return True, ""

    def can_move(self, obj, to_state):
        """(allowed, reason) for reaching ``to_state`` from the current state by any one transition."""
        candidates = [t for t in self if t.target == to_state and self.state(obj) in t.source]
        if not candidates:
            return False, self.wrong_state % {
                "from": self.state_label(self.state(obj)),
                "to": self.state_label(to_state),
            }
        refusals = []
        for transition in candidates:
            allowed, reason = self.check(obj, transition.name)
            if allowed:
                return True, ""
            refusals.append(reason)
        return False, refusals[0]

    def available(self, obj, actor):
        """The transitions leaving the current state, each with ``permitted``, ``allowed`` and ``reason``."""
        options = []
        for transition in self:
            if self.state(obj) not in transition.source:
                continue
            if not self.permitted(transition, actor, obj):
                options.append(Option(transition, False, False, _("You may not do this.")))
                continue
            allowed, reason = self.check(obj, transition.name)
            options.append(Option(transition, True, allowed, reason))
        return options

    # --- Running ---------------------------------------------------------------------------------------

    def lock(self, obj):
        return lock(self.model._default_manager.select_related(*self.select_related), pk=obj.pk)

    def run(self, obj, name, *, actor=None, note="", updates=None, **extra):
        """Perform transition ``name`` on ``obj`` (see the module's manual). Returns the locked row."""
        transition = self.transitions[name]
        note = (note or "").strip()
        with transaction.atomic(using=router.db_for_write(self.model)):
            locked = self.lock(obj)
            if not self.permitted(transition, actor, locked):
                raise PermissionDenied(_("You may not do this."))
            allowed, reason = self.check(locked, name)
            if not allowed:
                raise ValidationError(reason)
            mode = transition.note_mode(locked)
            if mode == REQUIRED and not note:
                missing = transition.note_missing
                raise ValidationError(
                    str(missing(locked) if callable(missing) else missing or _("Write a note."))
                )
            if mode == NONE:
                note = ""
            ctx = Context(
                workflow=self,
                transition=transition,
                actor=actor,
                note=note,
                from_state=self.state(locked),
                to_state=transition.target,
                extra=extra,
            )
            setattr(locked, self.field, transition.target)
            if transition.apply is not None:
                transition.apply(locked, ctx)
            for attribute, value in (updates or {}).items():
                setattr(locked, attribute, value)
            locked.full_clean()
            locked.save()
            ctx.event = self.audit(locked, ctx)
            if transition.after is not None:
                transition.after(locked, ctx)
            if transition.notify is not None:
                # Prepared now (the actor's language, the mail settings in force), delivered on commit.
                transition.notify(locked, ctx)
        if isinstance(obj, Model) and obj is not locked:
            obj.refresh_from_db()
        return locked


def after_commit(function):
    """Run ``function`` once the current transaction commits (a failure is logged, the change stays)."""
    transaction.on_commit(function, robust=True)


# --- Module-level shortcuts: the workflow of an object's model -----------------------------------------


def for_model(model):
    model = model._meta.concrete_model
    try:
        return _REGISTRY[model]
    except KeyError:
        raise ImproperlyConfigured(f"No workflow is declared for {model._meta.label}.") from None


def available(obj, actor):
    return for_model(type(obj)).available(obj, actor)


def check(obj, name):
    return for_model(type(obj)).check(obj, name)


def run(obj, name, **kwargs):
    return for_model(type(obj)).run(obj, name, **kwargs)
