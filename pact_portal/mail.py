"""E-mail from the portal: rendered now, in the recipient's language, sent once the transaction commits.

A failure to send is logged and never undoes the saved change (staff can resend)."""

import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import lazy

logger = logging.getLogger(__name__)


def absolute_url(path):
    """``path`` on the portal's public address (PORTAL_URL), for links that leave the site: e-mails, feeds,
    calendar files, PDFs."""
    return settings.PORTAL_URL.rstrip("/") + path


def send_after_commit(*, template, context, recipients, subject=None, language=None, headers=None):
    """Render a plain-text e-mail now, in ``language`` (default: the active one), and send it once the
    transaction commits; a failure is logged, the saved data is kept.

    Without ``subject`` the template's first line is the subject and the rest is the body; with it, the
    whole rendered template is the body. ``headers`` are added to the message (e.g. List-Unsubscribe).
    An empty ``recipients`` sends nothing.
    """
    recipients = [address for address in recipients if address]
    if not recipients:
        return
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        text = render_to_string(template, {"PORTAL_URL": settings.PORTAL_URL, **context})
        subject = str(subject) if subject is not None else None
    if subject is None:
        first_line, _sep, rest = text.strip().partition("\n")
        subject, body = first_line.strip(), rest.strip() + "\n"
    else:
        body = text
    message = EmailMessage(
        subject,
        body,
        to=recipients,
        headers=headers,
        connection=get_connection(),  # the backend configured now: the demo seed binds a dummy one
    )

    def send():
        try:
            message.send()
        except Exception:  # the data is saved; the mail can be re-sent by staff
            logger.exception("E-mail %r to %s could not be sent", subject, recipients)

    transaction.on_commit(send)


def lazy_format(message, **params):
    """``message % params``, worked out when it is read: a subject made in the actor's request is read in the
    recipient's language, inside ``send_after_commit``. ``message`` is a ``gettext_lazy`` string."""
    return lazy(lambda: str(message) % params, str)()


def send_to_accounts(*, accounts, template, context, subject=None):
    """``send_after_commit`` to each of ``accounts`` (a queryset of users) in the language the account reads
    the portal in (``AccountLanguage``), the portal's default for an account that never chose: one message
    per language. Returns how many addresses it wrote to."""
    recipients = defaultdict(list)
    rows = accounts.filter(is_active=True).exclude(email="").order_by("pk")
    for email, language in rows.values_list("email", "portal_language__language"):
        recipients[language or settings.LANGUAGE_CODE].append(email)
    for language, emails in recipients.items():
        send_after_commit(
            template=template, context=context, recipients=emails, subject=subject, language=language
        )
    return sum(len(emails) for emails in recipients.values())
