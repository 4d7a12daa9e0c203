"""Newsletter: double opt-in, one-click unsubscribe, sending, purging unconfirmed addresses."""

import datetime
import hashlib
import hmac
import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from pact_portal import workflow
from pact_portal.mail import absolute_url, send_after_commit

from ..models.newsletter import NewsletterSubscription, SubscriptionStatus

logger = logging.getLogger(__name__)


CONFIRM_SALT = "support_services.newsletter.confirm"


def newsletter_confirm_token(*, subscription):
    """A signed, timestamped token for the confirmation link (checked against NEWSLETTER_CONFIRM_DAYS)."""
    return signing.dumps(subscription.token, salt=CONFIRM_SALT, compress=False)


def newsletter_by_confirm_token(*, token):
    """The subscription behind a confirmation token; raises SignatureExpired (older than
    NEWSLETTER_CONFIRM_DAYS), BadSignature or NewsletterSubscription.DoesNotExist."""
    max_age = datetime.timedelta(days=settings.NEWSLETTER_CONFIRM_DAYS)
    value = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    return NewsletterSubscription.objects.get(token=value)


def ip_hash(address):
    """A keyed hash of the client address: enough to spot abuse in the consent record, not to find anyone."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"newsletter-ip:{address}".encode(), hashlib.sha256
    ).hexdigest()[:32]


def _unsubscribe_url(subscription):
    return absolute_url(subscription.get_unsubscribe_url())


def _unsubscribe_headers(subscription):
    # RFC 2369 and RFC 8058: mail clients offer an unsubscribe button that POSTs to the link.
    return {
        "List-Unsubscribe": f"<{_unsubscribe_url(subscription)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _newsletter_mail(subscription, template, context=None, connection=None):
    """Render in the subscriber's language; returns an EmailMessage with the unsubscribe headers."""
    with translation.override(subscription.language or settings.LANGUAGE_CODE):
        text = render_to_string(
            template,
            {
                "PORTAL_URL": settings.PORTAL_URL,
                "subscription": subscription,
                "unsubscribe_url": _unsubscribe_url(subscription),
                **(context or {}),
            },
        )
    subject, _sep, body = text.strip().partition("\n")
    return EmailMessage(
        subject.strip(),
        body.strip() + "\n",
        to=[subscription.email],
        headers=_unsubscribe_headers(subscription),
        connection=connection,
    )


def _may_mail(subscription, now):
    interval = datetime.timedelta(minutes=settings.NEWSLETTER_MAIL_INTERVAL_MINUTES)
    return subscription.last_mailed_at is None or now - subscription.last_mailed_at >= interval


@transaction.atomic
def newsletter_subscribe(*, email, language="en", ecosystems=(), stages=(), now=None):
    """Record a request to subscribe and e-mail a confirmation link.

    The caller shows the same answer whatever happens here, so nobody can learn whether an address is
    subscribed; an address gets at most one e-mail per NEWSLETTER_MAIL_INTERVAL_MINUTES.
    Returns the subscription and whether an e-mail was sent.
    """
    now = now or timezone.now()
    email = email.strip()
    subscription, created = workflow.lock_or_create(
        NewsletterSubscription, email__iexact=email, defaults={"email": email.lower(), "language": language}
    )
    if not created and not _may_mail(subscription, now):
        return subscription, False
    if subscription.status == SubscriptionStatus.CONFIRMED:
        # Already subscribed: tell the owner (not the visitor), and change nothing else.
        subscription.last_mailed_at = now
        subscription.save(update_fields=["last_mailed_at"])
        template, context = "support_services/email/newsletter_already_subscribed.txt", {}
    else:
        subscription.status = SubscriptionStatus.PENDING
        subscription.language = language
        subscription.stages = [str(stage) for stage in stages]
        subscription.last_mailed_at = now
        subscription.full_clean(exclude=["email"])
        subscription.save()
        subscription.ecosystems.set(ecosystems)
        confirm_path = reverse(
            "newsletter:confirm", kwargs={"token": newsletter_confirm_token(subscription=subscription)}
        )
        template = "support_services/email/newsletter_confirm.txt"
        context = {
            "confirm_url": absolute_url(confirm_path),
            "days": settings.NEWSLETTER_CONFIRM_DAYS,
        }
    send_after_commit(
        template=template,
        context={"subscription": subscription, "unsubscribe_url": _unsubscribe_url(subscription), **context},
        recipients=[subscription.email],
        language=subscription.language or settings.LANGUAGE_CODE,
        headers=_unsubscribe_headers(subscription),
    )
    return subscription, True


@transaction.atomic
def newsletter_confirm(*, subscription, ip_address="", now=None):
    """The owner followed the link: the subscription becomes active and the consent is recorded."""
    subscription = workflow.lock(NewsletterSubscription, pk=subscription.pk)
    if subscription.status == SubscriptionStatus.CONFIRMED:
        return subscription
    subscription.status = SubscriptionStatus.CONFIRMED
    subscription.confirmed_at = now or timezone.now()
    subscription.consent_ip_hash = ip_hash(ip_address) if ip_address else ""
    subscription.privacy_notice_version = settings.PRIVACY_NOTICE_VERSION
    subscription.unsubscribed_at = None
    subscription.save()
    return subscription


@transaction.atomic
def newsletter_unsubscribe(*, subscription, now=None):
    """Stop every newsletter e-mail to this address; the consent record is cleared with it."""
    subscription = workflow.lock(NewsletterSubscription, pk=subscription.pk)
    if subscription.status == SubscriptionStatus.UNSUBSCRIBED:
        return subscription
    subscription.status = SubscriptionStatus.UNSUBSCRIBED
    subscription.unsubscribed_at = now or timezone.now()
    subscription.confirmed_at = None
    subscription.consent_ip_hash = ""
    subscription.save()
    return subscription


def send_newsletter(*, subject, body):
    """Send one newsletter to every confirmed subscriber, each with their own unsubscribe link and the
    List-Unsubscribe headers; returns how many e-mails were sent."""
    connection = get_connection()
    messages = [
        _newsletter_mail(
            subscription,
            "support_services/email/newsletter.txt",
            {"subject": " ".join(str(subject).split()), "body": body},
            connection=connection,
        )
        for subscription in NewsletterSubscription.objects.filter(
            status=SubscriptionStatus.CONFIRMED
        ).order_by("pk")
    ]
    return connection.send_messages(messages) or 0


def newsletter_purge_unconfirmed(*, now=None):
    """Delete subscriptions nobody confirmed within NEWSLETTER_CONFIRM_DAYS (their link has expired): the
    address may have been typed by someone else, so it is not kept. Returns how many were deleted."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.NEWSLETTER_CONFIRM_DAYS)
    stale = NewsletterSubscription.objects.filter(status=SubscriptionStatus.PENDING).filter(
        Q(last_mailed_at__lt=cutoff) | Q(last_mailed_at__isnull=True, created_at__lt=cutoff)
    )
    deleted, _by_model = stale.delete()
    return deleted
