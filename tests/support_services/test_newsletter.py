"""Newsletter: double opt-in, expiring confirmation links, no address probing, one-click unsubscribe."""

import datetime
import io
import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from support_services import services
from support_services.models import NewsletterSubscription, SubscriptionStatus

pytestmark = pytest.mark.django_db

SAME_ANSWER = "If the address is already subscribed, nothing changes."


def subscribe(client, capture, email="ada@example.org", **extra):
    data = {"email": email, "language": "en", "consent": "on", **extra}
    with capture(execute=True):
        return client.post("/newsletter/", data, follow=True, REMOTE_ADDR=extra.pop("ip", "192.0.2.1"))


def link(message, kind):
    return re.search(rf"https?://\S+(/newsletter/{kind}/[^/\s]+/)", message.body).group(1)


@pytest.fixture
def confirmed(client, django_capture_on_commit_callbacks):
    subscribe(client, django_capture_on_commit_callbacks)
    client.post(link(mail.outbox[-1], "confirm"))
    mail.outbox.clear()
    return NewsletterSubscription.objects.get(email="ada@example.org")


def test_the_form_is_reachable_from_the_footer_and_the_events_page(client):
    assert 'href="/newsletter/"' in client.get("/").content.decode()
    assert 'href="/newsletter/"' in client.get("/events/").content.decode()
    page = client.get("/newsletter/").content.decode()
    assert 'name="email"' in page and 'name="ecosystems"' in page and 'name="stages"' in page
    assert "csrfmiddlewaretoken" in page


def test_subscribing_sends_a_confirmation_link_and_stays_inactive_until_confirmed(
    client, django_capture_on_commit_callbacks
):
    response = subscribe(
        client, django_capture_on_commit_callbacks, ecosystems=["health", "digital"], stages=["design"]
    )
    assert SAME_ANSWER in response.content.decode()
    subscription = NewsletterSubscription.objects.get(email="ada@example.org")
    assert subscription.status == SubscriptionStatus.PENDING and subscription.confirmed_at is None
    assert set(subscription.ecosystems.values_list("slug", flat=True)) == {"health", "digital"}
    assert subscription.stages == ["design"]
    (message,) = mail.outbox
    assert message.to == ["ada@example.org"]
    assert "Confirm your subscription" in message.subject
    unsubscribe = link(message, "unsubscribe")
    assert unsubscribe == f"/newsletter/unsubscribe/{subscription.token}/"
    assert message.extra_headers["List-Unsubscribe"].endswith(f"{unsubscribe}>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert services.send_newsletter(subject="Issue 1", body="Hello") == 0  # nobody confirmed yet


def test_the_confirmation_link_shows_a_button_and_only_a_post_confirms(
    client, django_capture_on_commit_callbacks
):
    subscribe(client, django_capture_on_commit_callbacks)
    confirm = link(mail.outbox[0], "confirm")
    page = client.get(confirm).content.decode()
    assert "Yes, subscribe me" in page and 'method="post"' in page
    subscription = NewsletterSubscription.objects.get(email="ada@example.org")
    assert subscription.status == SubscriptionStatus.PENDING  # a link scanner's GET changes nothing

    response = client.post(confirm, REMOTE_ADDR="198.51.100.7")
    assert "Your subscription is confirmed" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CONFIRMED and subscription.confirmed_at
    assert subscription.consent_ip_hash and "198.51.100.7" not in subscription.consent_ip_hash
    assert subscription.consent_ip_hash == services.ip_hash("198.51.100.7")
    assert subscription.privacy_notice_version


def test_confirming_needs_a_csrf_token(client, django_capture_on_commit_callbacks):
    subscribe(client, django_capture_on_commit_callbacks)
    confirm = link(mail.outbox[0], "confirm")
    assert Client(enforce_csrf_checks=True).post(confirm).status_code == 403
    assert NewsletterSubscription.objects.get().status == SubscriptionStatus.PENDING


def test_confirmation_links_expire(client, settings, django_capture_on_commit_callbacks):
    settings.NEWSLETTER_CONFIRM_DAYS = 7
    subscribe(client, django_capture_on_commit_callbacks)
    confirm = link(mail.outbox[0], "confirm")
    eight_days_later = time.time() + 8 * 86400
    with mock.patch("django.core.signing.time.time", return_value=eight_days_later):
        response = client.post(confirm)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert NewsletterSubscription.objects.get().status == SubscriptionStatus.PENDING


def test_a_forged_or_altered_confirmation_link_is_not_found(client, django_capture_on_commit_callbacks):
    subscribe(client, django_capture_on_commit_callbacks)
    confirm = link(mail.outbox[0], "confirm")
    assert client.get(confirm[:-3] + "xx/").status_code == 404
    assert client.get("/newsletter/confirm/" + "a" * 40 + "/").status_code == 404


def test_a_repeated_subscription_gives_the_same_answer_and_does_not_spam(
    client, confirmed, django_capture_on_commit_callbacks
):
    new = subscribe(client, django_capture_on_commit_callbacks, email="new@example.org")
    again = subscribe(client, django_capture_on_commit_callbacks, email="new@example.org")
    known = subscribe(client, django_capture_on_commit_callbacks, email="ADA@example.org", language="fr")
    messages = [
        re.search(r"Thank you\..*?changes\.", response.content.decode(), re.S).group(0).replace(email, "X")
        for response, email in (
            (new, "new@example.org"),
            (again, "new@example.org"),
            (known, "ADA@example.org"),
        )
    ]
    assert messages[0] == messages[1] == messages[2]
    # One e-mail to the new address; the repeat and the known address got nothing: each was mailed
    # within NEWSLETTER_MAIL_INTERVAL_MINUTES.
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    confirmed.refresh_from_db()
    assert confirmed.status == SubscriptionStatus.CONFIRMED and confirmed.language == "en"

    # Later, the owner of a subscribed address is told (only they can read it), and nothing changes.
    NewsletterSubscription.objects.update(last_mailed_at=timezone.now() - datetime.timedelta(hours=1))
    subscribe(client, django_capture_on_commit_callbacks, email="ada@example.org", language="de")
    subscribe(client, django_capture_on_commit_callbacks, email="ada@example.org")
    assert [m.to for m in mail.outbox] == [["new@example.org"], ["ada@example.org"]]
    assert "already" in mail.outbox[1].subject
    confirmed.refresh_from_db()
    assert confirmed.status == SubscriptionStatus.CONFIRMED and confirmed.language == "en"
    assert NewsletterSubscription.objects.filter(email__iexact="ada@example.org").count() == 1


def test_the_form_is_rate_limited_per_client_address(client, settings, django_capture_on_commit_callbacks):
    settings.RATE_LIMIT_NEWSLETTER = "2/3600"
    for n in range(2):
        assert (
            subscribe(client, django_capture_on_commit_callbacks, email=f"p{n}@example.org").status_code
            == 200
        )
    response = subscribe(client, django_capture_on_commit_callbacks, email="p9@example.org")
    assert response.status_code == 429
    assert not NewsletterSubscription.objects.filter(email="p9@example.org").exists()


def test_bad_input_and_bots_are_refused_without_mail(client, django_capture_on_commit_callbacks):
    response = subscribe(client, django_capture_on_commit_callbacks, email="not-an-address")
    assert response.status_code == 200 and "Enter a valid email address" in response.content.decode()
    response = subscribe(client, django_capture_on_commit_callbacks, consent="")
    assert "Tick this box to subscribe." in response.content.decode()
    response = subscribe(client, django_capture_on_commit_callbacks, homepage="http://spam.example")
    assert response.status_code == 400
    assert mail.outbox == [] and not NewsletterSubscription.objects.exists()


def test_unsubscribe_get_shows_a_button_and_post_unsubscribes(client, confirmed):
    url = confirmed.get_unsubscribe_url()
    page = client.get(url).content.decode()
    assert "Unsubscribe" in page and 'method="post"' in page
    confirmed.refresh_from_db()
    assert confirmed.status == SubscriptionStatus.CONFIRMED
    response = client.post(url)
    assert "You are unsubscribed" in response.content.decode()
    confirmed.refresh_from_db()
    assert confirmed.status == SubscriptionStatus.UNSUBSCRIBED and confirmed.unsubscribed_at
    assert confirmed.confirmed_at is None and confirmed.consent_ip_hash == ""


def test_one_click_unsubscribe_works_without_a_csrf_token(confirmed):
    response = Client(enforce_csrf_checks=True).post(
        confirmed.get_unsubscribe_url(),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    confirmed.refresh_from_db()
    assert confirmed.status == SubscriptionStatus.UNSUBSCRIBED
    assert services.send_newsletter(subject="Issue 2", body="Hello") == 0


def test_an_unknown_unsubscribe_token_is_not_found(client):
    assert client.get("/newsletter/unsubscribe/" + "x" * 43 + "/").status_code == 404
    assert (
        Client(enforce_csrf_checks=True).post("/newsletter/unsubscribe/" + "x" * 43 + "/").status_code == 404
    )


def test_an_old_confirmation_link_does_not_undo_an_unsubscription(client, django_capture_on_commit_callbacks):
    subscribe(client, django_capture_on_commit_callbacks)
    confirm = link(mail.outbox[0], "confirm")
    subscription = NewsletterSubscription.objects.get()
    client.post(subscription.get_unsubscribe_url())
    assert client.post(confirm).status_code == 410
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.UNSUBSCRIBED


def test_send_newsletter_reaches_confirmed_subscribers_with_unsubscribe_headers(
    client, settings, confirmed, django_capture_on_commit_callbacks
):
    subscribe(client, django_capture_on_commit_callbacks, email="pending@example.org")
    mail.outbox.clear()
    assert (
        services.send_newsletter(subject="Pact news\nsecond line", body="New partnerships this month.") == 1
    )
    (message,) = mail.outbox
    assert message.to == ["ada@example.org"] and message.subject == "Pact news second line"
    assert "New partnerships this month." in message.body
    assert f"/newsletter/unsubscribe/{confirmed.token}/" in message.body
    assert message.extra_headers["List-Unsubscribe"] == (
        f"<{settings.PORTAL_URL}/newsletter/unsubscribe/{confirmed.token}/>"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_daily_purge_deletes_subscriptions_left_unconfirmed(settings, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    settings.NEWSLETTER_CONFIRM_DAYS = 7
    stale, _ = services.newsletter_subscribe(email="typed-by-someone-else@example.org")
    fresh, _ = services.newsletter_subscribe(email="still-deciding@example.org")
    NewsletterSubscription.objects.filter(pk=stale.pk).update(
        last_mailed_at=timezone.now() - datetime.timedelta(days=8)
    )
    out = io.StringIO()
    call_command("purge_eoi_personal_data", stdout=out)
    assert "1 unconfirmed newsletter subscriptions deleted" in out.getvalue()
    assert not NewsletterSubscription.objects.filter(pk=stale.pk).exists()
    assert NewsletterSubscription.objects.filter(pk=fresh.pk).exists()
