"""The coordinator's organisation picker (hundreds of organisations): a search that works without JavaScript,
narrowing the list on the server and keeping the role chosen."""

import re

import pytest
from django.urls import reverse

from partnerships import services
from partnerships.models import Membership, MembershipRole, Organisation
from tests.partnerships.builders import make_coordinator, make_organisation, make_partnership

pytestmark = pytest.mark.django_db


def options(page):
    select = re.search(r'<select name="existing-organisation".*?</select>', page, re.S).group(0)
    return [
        label
        for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
        if value
    ]


@pytest.fixture
def members_page(client, demo_registry):
    partnership = make_partnership(name="Harbour Skills Partnership")
    client.force_login(make_coordinator(partnership))
    return partnership, reverse("partnerships:coordinator_members", args=[partnership.slug])


def test_the_picker_has_a_search_field_and_button(client, members_page):
    _partnership, url = members_page
    page = client.get(url).content.decode()
    assert 'name="existing-q"' in page and 'name="search_existing"' in page
    assert len(options(page)) == Organisation.objects.with_public_page().count() > 50
    assert "js/filter_select.js" in page


def test_search_narrows_the_list_on_the_server_and_keeps_the_role(client, members_page):
    partnership, url = members_page
    target = make_organisation(name="Câmara Municipal de Évora Demo")
    services.membership_add(
        partnership=make_partnership(name="Alentejo Skills Partnership"),
        organisation=target,
        role=MembershipRole.MEMBER,
    )
    response = client.post(
        url, {"existing-q": "camara evora", "existing-role": MembershipRole.ASSOCIATE, "search_existing": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert options(page) == ["Câmara Municipal de Évora Demo"]
    assert "1 organisation matches “camara evora”." in page
    assert 'value="camara evora"' in page
    assert re.search(rf'<option value="{MembershipRole.ASSOCIATE}" selected>', page)
    assert not Membership.objects.filter(organisation=target, partnership=partnership).exists()


def test_a_search_without_matches_says_so(client, members_page):
    _partnership, url = members_page
    page = client.post(url, {"existing-q": "zzzz no such name", "search_existing": "1"}).content.decode()
    assert options(page) == [] and "0 organisations match “zzzz no such name”." in page


def test_adding_after_a_search_adds_the_organisation(client, members_page):
    partnership, url = members_page
    organisation = Organisation.objects.with_public_page().order_by("name").first()
    response = client.post(
        url,
        {
            "existing-q": organisation.name,
            "existing-organisation": organisation.pk,
            "existing-role": MembershipRole.MEMBER,
            "add_existing": "1",
        },
    )
    assert response.status_code == 302
    assert partnership.memberships.current().filter(organisation=organisation).exists()
