"""Coordinator accounts: invitations, access granted and revoked, who may manage a partnership."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy

from pact_portal.i18n import account_language, account_language_set
from pact_portal.mail import lazy_format, send_after_commit

# A module, not its names: the workflow's hooks use this module's services in turn.
from ..models import (
    CoordinatorAccess,
)

logger = logging.getLogger(__name__)

# --- Coordinator accounts ---------------------------------------------------------------------------


def coordinator_can_manage(*, user, partnership):
    """Object-level permission: may this user manage this partnership in the coordinator area?"""
    if not user.is_authenticated or not user.is_active:
        return False
    return CoordinatorAccess.objects.filter(user=user, partnership=partnership).exists()


def coordinator_grant(*, partnership, user, granted_by=None):
    """Let ``user`` manage ``partnership``; granting twice changes nothing."""
    access, created = CoordinatorAccess.objects.get_or_create(
        partnership=partnership, user=user, defaults={"granted_by": granted_by}
    )
    if created:
        logger.info(
            "Coordinator access to %s granted to user %s by %s", partnership.pk, user.pk, _who(granted_by)
        )
    return access


@transaction.atomic
def coordinator_revoke(*, accesses, revoked_by=None):
    """Take coordinator access away (each a CoordinatorAccess row)."""
    for access in accesses:
        access.delete()
        logger.info(
            "Coordinator access to %s revoked from user %s by %s",
            access.partnership_id,
            access.user_id,
            _who(revoked_by),
        )


def _who(user):
    return f"user {user.pk}" if user is not None else "the system"


def set_password_url(user):
    """An absolute, single-use link to choose a password (Django's password-reset token)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.PORTAL_URL.rstrip("/") + path


@transaction.atomic
def coordinator_invite(*, partnership, email, first_name="", last_name="", invited_by=None, language=None):
    """Find or create the account for ``email``, grant it the partnership and e-mail a set-password link.

    A new account is written to in ``language`` (default: the language of the partnership's texts) until it
    chooses its own."""
    email = get_user_model().objects.normalize_email(email).strip()
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User(username=email.lower(), email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.full_clean()
        user.save()
    coordinator_grant(partnership=partnership, user=user, granted_by=invited_by)
    if created:
        account_language_set(user=user, language=language or partnership.text_language, keep_chosen=True)
    send_after_commit(
        subject=lazy_format(
            gettext_lazy("You coordinate %(partnership)s on the Pact for Skills portal"),
            partnership=partnership.name,
        ),
        language=account_language(user),
        template="partnerships/email/coordinator_invite.txt",
        context={
            "user": user,
            "partnership": partnership,
            "new_account": created,
            "set_password_url": set_password_url(user) if created else None,
            "login_url": settings.PORTAL_URL.rstrip("/") + reverse("login"),
        },
        recipients=[email],
    )
    return user
