"""The public navigation: "Sign in" for visitors; "My partnerships" and "Sign out" once signed in; where the
link leads after signing in (staff: the workspace; coordinators: their partnerships)."""

import re

import pytest

from tests.partnerships.builders import PASSWORD, make_partnership

pytestmark = pytest.mark.django_db


def nav(html):
    return re.search(r'<nav class="portal-nav".*?</nav>', html, re.S).group(0)


def follow_sign_in_link(client, user):
    """Click "Sign in" on a public page and sign in on the page it leads to; returns the landing response."""
    link = re.search(r'<a class="nav-link" href="([^"]+)"[^>]*>Sign in</a>', client.get("/").content.decode())
    assert link, "no Sign in link in the navigation"
    assert client.get(link.group(1)).status_code == 200
    return client.post(link.group(1), {"username": user.username, "password": PASSWORD}, follow=True)


def test_visitors_see_sign_in_and_nothing_of_an_account(client, demo_registry):
    menu = nav(client.get("/").content.decode())
    assert ">Sign in</a>" in menu
    assert "Sign out" not in menu and "My partnerships" not in menu


def test_a_coordinator_signs_in_from_the_navigation_and_lands_on_their_partnerships(client, coordinator_of):
    partnership = make_partnership(name="Alpine Skills Partnership")
    coordinator = coordinator_of(partnership)
    response = follow_sign_in_link(client, coordinator)
    assert response.redirect_chain[-1][0] == "/coordinator/"
    menu = nav(response.content.decode())
    assert 'href="/coordinator/" aria-current="page">My partnerships</a>' in menu
    assert ">Sign out</button>" in menu and "Sign in" not in menu
    # The home page, cached for visitors, is the signed-in version for them.
    menu = nav(client.get("/").content.decode())
    assert "Sign out" in menu and "Sign in" not in menu


def test_staff_sign_in_from_the_navigation_and_land_in_the_workspace(client, staff):
    response = follow_sign_in_link(client, staff)
    assert response.redirect_chain[-1][0] == "/admin/"


def test_sign_out_is_a_post_from_the_navigation(client, coordinator_of):
    coordinator = coordinator_of(make_partnership())
    client.force_login(coordinator)
    menu = nav(client.get("/partnerships/").content.decode())
    form = re.search(r'<form method="post" action="([^"]+)">', menu)
    assert form and 'name="csrfmiddlewaretoken"' in menu
    response = client.post(form.group(1), follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert ">Sign in</a>" in nav(response.content.decode())
    assert client.get("/coordinator/").status_code == 302  # signed out
