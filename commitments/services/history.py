"""The declaration's audit trail (ReviewEvent) and the e-mails to its partnership's coordinators."""

from django.urls import reverse

from pact_portal.mail import absolute_url, send_to_accounts
from partnerships.selectors import coordinator_accounts

from ..models import ReviewEvent


def review_event_write(
    declaration, *, actor, action, from_status="", to_status="", comment="", internal=False
):
    """One entry of the timeline; ``internal`` entries are for the support services only."""
    return ReviewEvent.objects.create(
        declaration=declaration,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        internal=internal,
    )


def notify_coordinators(declaration, *, subject, comment=""):
    """E-mail the partnership's coordinators, each in the language they read the portal in."""
    send_to_accounts(
        accounts=coordinator_accounts(declaration.partnership),
        subject=subject,
        template="commitments/email/declaration_status.txt",
        context={
            "declaration": declaration,
            "comment": comment,
            "coordinator_url": absolute_url(
                reverse("commitments:coordinator_declaration", kwargs={"pk": declaration.pk})
            ),
        },
    )
