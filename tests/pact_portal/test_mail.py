"""The portal's one mail helper: rendered at once, sent after commit, with the caller's headers."""

from unittest import mock

import pytest
from django.core import mail

from pact_portal.mail import send_after_commit

pytestmark = pytest.mark.django_db


def send(**overrides):
    send_after_commit(
        **{
            "template": "support_services/email/newsletter_already_subscribed.txt",
            "context": {"unsubscribe_url": "https://portal.example/u/"},
            "recipients": ["ada@example.org", ""],
            **overrides,
        }
    )


def test_nothing_leaves_before_the_commit_and_the_headers_travel(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        send(headers={"List-Unsubscribe": "<https://portal.example/u/>"})
        assert mail.outbox == []
    for callback in callbacks:
        callback()
    (message,) = mail.outbox
    assert message.to == ["ada@example.org"] and message.subject and "\n" not in message.subject
    assert message.extra_headers == {"List-Unsubscribe": "<https://portal.example/u/>"}


def test_a_given_subject_keeps_the_whole_text_as_body(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(subject="Hello")
    (message,) = mail.outbox
    assert message.subject == "Hello" and message.extra_headers == {}


def test_no_recipient_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send(recipients=["", None])
    assert callbacks == [] and mail.outbox == []


def test_a_failure_is_logged_not_raised(django_capture_on_commit_callbacks, caplog):
    with (
        mock.patch("pact_portal.mail.EmailMessage.send", side_effect=OSError("SMTP down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send()
    assert "could not be sent" in caplog.text
