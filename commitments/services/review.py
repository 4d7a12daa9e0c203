"""Review and publication: the declaration's transitions, one named service each.

The rules, effects and e-mails of each transition are declared in ``commitments.workflows``; these
services name them (``declaration_<verb>``) and keep the keyword-only signatures callers use.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import workflows
from .history import review_event_write


def declaration_can_transition(*, declaration, to_status):
    """(allowed, reason) for moving ``declaration`` to ``to_status``."""
    return workflows.DECLARATION.can_move(declaration, to_status)


def declaration_submit(*, declaration, actor=None):
    return workflows.DECLARATION.run(declaration, "submit", actor=actor)


def declaration_request_changes(*, declaration, actor, comment):
    return workflows.DECLARATION.run(declaration, "request_changes", actor=actor, note=comment)


def declaration_approve(*, declaration, actor, comment=""):
    return workflows.DECLARATION.run(declaration, "approve", actor=actor, note=comment)


def declaration_countersign(*, declaration, actor):
    """Countersign: the declaration becomes signed, its PDF is rendered once, PAdES-signed, stored,
    fingerprinted and published with its partnership; the previous signed version becomes superseded."""
    return workflows.DECLARATION.run(declaration, "countersign", actor=actor)


def declaration_withdraw(*, declaration, actor, comment=""):
    return workflows.DECLARATION.run(declaration, "withdraw", actor=actor, note=comment)


def declaration_comment(*, declaration, actor, comment, internal=False):
    """A comment on the timeline without a change of status; ``internal`` ones only staff see."""
    if not comment.strip():
        raise ValidationError(_("Write a comment."))
    return review_event_write(
        declaration, actor=actor, action="commented", comment=comment.strip(), internal=internal
    )
