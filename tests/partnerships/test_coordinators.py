import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from partnerships import services
from tests.partnerships.builders import make_partnership

pytestmark = pytest.mark.django_db


def invite(partnership, email="ana.costa@example.org", **kwargs):
    return services.coordinator_invite(partnership=partnership, email=email, first_name="Ana", **kwargs)


def test_invite_creates_an_account_grants_access_and_mails_a_working_set_password_link(
    client, django_capture_on_commit_callbacks
):
    partnership = make_partnership(name="Algarve Tourism Skills Partnership")
    with django_capture_on_commit_callbacks(execute=True):
        user = invite(partnership)
    assert not user.has_usable_password()
    assert services.coordinator_can_manage(user=user, partnership=partnership)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana.costa@example.org"]
    assert "Algarve Tourism Skills Partnership" in message.subject
    link = re.search(r"http://\S+/accounts/reset/\S+/", message.body).group(0)

    # The link leads to the set-password form; the new password then signs the coordinator in.
    path = link.split("127.0.0.1:8000", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200 and "Choose your password" in form_page.content.decode()
    password = "a-Long-and-unusual-passphrase-42"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    assert done.status_code == 302
    assert client.login(username="ana.costa@example.org", password=password)


def test_no_mail_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    partnership = make_partnership()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invite(partnership)
    assert mail.outbox == []
    assert "send" in [callback.__name__ for callback in callbacks]  # the e-mail waits for the commit


def test_inviting_an_existing_account_reuses_it_and_grants_once(django_capture_on_commit_callbacks):
    first, second = make_partnership(), make_partnership()
    with django_capture_on_commit_callbacks(execute=True):
        user = invite(first)
        again = invite(second, email="ANA.COSTA@example.org")
        invite(second, email="ana.costa@example.org")
    assert again.pk == user.pk
    assert get_user_model().objects.count() == 1
    assert user.coordinator_access.count() == 2
    assert "Sign in with your existing account" in mail.outbox[-1].body


def test_coordinator_of_one_partnership_cannot_manage_another(django_capture_on_commit_callbacks):
    mine, theirs = make_partnership(), make_partnership()
    user = invite(mine)
    assert services.coordinator_can_manage(user=user, partnership=mine)
    assert not services.coordinator_can_manage(user=user, partnership=theirs)
    user.is_active = False
    user.save()
    assert not services.coordinator_can_manage(user=user, partnership=mine)


def test_login_page_renders(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200 and 'name="password"' in response.content.decode()
