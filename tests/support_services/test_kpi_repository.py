"""The KPI repository: signed KPIs and announced targets, filters, and copying a KPI into a coordinator's draft."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from commitments import services as commitments_services
from commitments.models import KPI, DeclarationStatus
from partnerships.models import PledgedTarget
from tests.commitments.builders import make_draft, make_signed
from tests.partnerships.builders import make_coordinator, make_partnership

pytestmark = pytest.mark.django_db

URL = "/resources/kpis/"
COPY = "/resources/kpis/copy/"


def indicators(response):
    html = response.content.decode()
    return re.findall(r'<th scope="row" class="fw-normal">([^<]+)</th>', html)


def heading(response):
    return re.search(r'id="results-heading"[^>]*>([^<]+)<', response.content.decode()).group(1)


@pytest.fixture
def signed(db):
    """A signed declaration of a health partnership in delivery, with progress reported on its first KPI."""
    partnership = make_partnership(
        name="Alpha Health Skills Partnership", members=2, ecosystems=("health",), stage="delivery"
    )
    declaration = make_signed(partnership=partnership)
    kpi = declaration.kpis.order_by("position").first()
    commitments_services.kpi_progress_report(
        kpi=kpi, value=Decimal("120"), reported_on=datetime.date(2026, 3, 1)
    )
    commitments_services.kpi_progress_report(
        kpi=kpi, value=Decimal("340"), reported_on=datetime.date(2026, 9, 1)
    )
    return declaration


@pytest.fixture
def only_mine(db):
    """Hide the demo registry's announced targets so that counts in a test are its own."""
    PledgedTarget.objects.all().delete()


def test_signed_kpis_and_announced_targets_are_listed_drafts_are_not(client, signed):
    draft_partnership = make_partnership(name="Draft Partnership", members=2)
    draft = make_draft(partnership=draft_partnership)
    draft.kpis.update(indicator="Secret draft indicator")
    # Announced targets of a partnership whose signed declaration took over are not repeated.
    PledgedTarget.objects.create(
        partnership=signed.partnership,
        indicator="Old announced target",
        unit="people",
        target=5,
        target_year=2030,
    )
    response = client.get(URL)
    shown = indicators(response)
    assert "Workers trained in skill 1" in shown and "Workers trained in skill 2" in shown
    assert "Secret draft indicator" not in shown and "Old announced target" not in shown
    # The demo registry's real announced targets (Automotive LSP: about 700 000 people upskilled).
    assert "Around 700,000 people upskilled (5% a year over seven years)" in shown
    html = response.content.decode()
    assert 'href="/partnerships/automotive-lsp/"' in html and "Announced target" in html


def test_a_row_shows_baseline_target_year_latest_progress_and_its_partnership(client, signed, only_mine):
    html = client.get(URL, {"q": "skill 1"}).content.decode()
    row = re.search(r"<tr>\s*<th scope=\"row\".*?</tr>", html, re.S).group(0)
    cells = [
        re.sub(r"\s+", " ", re.sub("<[^>]+>", " ", c)).strip()
        for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
    ]
    assert cells[:5] == ["Workers trained in skill 1", "people", "0", "1,000", "2030"]
    assert cells[5].startswith("340 (")  # the latest report, not the first
    assert "Alpha Health Skills Partnership" in cells[6] and "Signed declaration v1" in cells[6]
    assert f'href="/partnerships/{signed.partnership.slug}/"' in row


def test_filters_by_ecosystem_stage_unit_and_text(client, signed, only_mine):
    other = make_partnership(name="Beta Digital Partnership", members=2, ecosystems=("digital",))
    PledgedTarget.objects.create(
        partnership=other, indicator="Digital badges issued", unit="badges", target=800, target_year=2028
    )
    assert indicators(client.get(URL, {"ecosystem": "health"})) == [
        "Workers trained in skill 1",
        "Workers trained in skill 2",
    ]
    assert indicators(client.get(URL, {"ecosystem": "digital"})) == ["Digital badges issued"]
    assert indicators(client.get(URL, {"stage": "design"})) == ["Digital badges issued"]
    assert indicators(client.get(URL, {"stage": "delivery", "unit": "people"})) == [
        "Workers trained in skill 1",
        "Workers trained in skill 2",
    ]
    assert indicators(client.get(URL, {"unit": "badges"})) == ["Digital badges issued"]
    assert indicators(client.get(URL, {"q": "BADGES"})) == ["Digital badges issued"]
    assert indicators(client.get(URL, {"q": "alpha health"})) == [
        "Workers trained in skill 1",
        "Workers trained in skill 2",
    ]
    response = client.get(URL, {"ecosystem": "health", "unit": "badges"})
    assert indicators(response) == [] and "No KPI matches this selection." in response.content.decode()
    html = client.get(URL, {"ecosystem": "digital"}).content.decode()
    assert "Industrial ecosystem: Digital" in html  # the active-filter chip


def test_unknown_filter_values_are_ignored_with_a_message(client, signed):
    response = client.get(URL, {"unit": "lightyears", "ecosystem": "nowhere"})
    assert response.status_code == 200
    assert "This filter was ignored." in response.content.decode()
    assert "Workers trained in skill 1" in indicators(response)


def test_indicators_are_escaped(client, only_mine):
    partnership = make_partnership(name="<b>Bold</b> partnership")
    PledgedTarget.objects.create(
        partnership=partnership,
        indicator="<script>alert(1)</script>",
        unit="people",
        target=1,
        target_year=2030,
    )
    html = client.get(URL).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>Bold</b>" not in html


def test_anonymous_visitors_see_a_note_not_a_copy_button(client, signed):
    html = client.get(URL).content.decode()
    assert "Coordinators of a partnership can copy any of these KPIs" in html
    assert "Copy into my draft" not in html and "csrfmiddlewaretoken" not in html


# --- Copy into my draft -------------------------------------------------------------------------------


@pytest.fixture
def coordinator_with_draft(db):
    partnership = make_partnership(name="Gamma Partnership", members=2)
    draft = make_draft(partnership=partnership, kpis=0)
    return make_coordinator(partnership), draft


def copy(client, *, source, pk, declaration, next_url=URL):
    return client.post(COPY, {"source": source, "id": pk, "declaration": declaration.pk, "next": next_url})


def test_a_coordinator_copies_a_signed_kpi_into_their_draft(client, signed, coordinator_with_draft):
    user, draft = coordinator_with_draft
    client.force_login(user)
    page = client.get(URL).content.decode()
    assert "Copy into my draft" in page and "csrfmiddlewaretoken" in page
    kpi = signed.kpis.order_by("position").first()
    response = copy(
        client, source="declaration", pk=kpi.pk, declaration=draft, next_url=URL + "?ecosystem=health"
    )
    assert response.status_code == 302 and response["Location"] == URL + "?ecosystem=health"
    added = draft.kpis.get(indicator="Workers trained in skill 1")
    assert (added.unit, added.target, added.target_year) == ("people", Decimal("1000.00"), 2030)
    assert draft.events.filter(action="kpi_added").exists()
    followed = client.get(response["Location"]).content.decode()
    assert "was added to your draft declaration of Gamma Partnership" in followed
    # Copying it again is refused with a message, not a duplicate.
    copy(client, source="declaration", pk=kpi.pk, declaration=draft)
    assert draft.kpis.filter(indicator="Workers trained in skill 1").count() == 1


def test_a_coordinator_copies_an_announced_target(client, coordinator_with_draft):
    user, draft = coordinator_with_draft
    client.force_login(user)
    indicator = "Upskill and reskill 5% of the workforce each year, by 2030"
    target = PledgedTarget.objects.get(partnership__slug="automotive-lsp", indicator=indicator)
    copy(client, source="pledge", pk=target.pk, declaration=draft)
    added = draft.kpis.get(indicator=indicator)
    assert (added.baseline, added.target, added.target_year) == (Decimal("0.00"), Decimal("5.00"), 2030)
    # A target announced without a year cannot become a KPI as it is: the coordinator is told why.
    yearless = PledgedTarget.objects.get(partnership__slug="automotive-lsp", unit="people")
    assert yearless.target_year is None
    followed = client.get(copy(client, source="pledge", pk=yearless.pk, declaration=draft)["Location"])
    assert "names no target year" in followed.content.decode()
    assert not draft.kpis.filter(indicator=yearless.indicator).exists()


def test_a_coordinator_cannot_copy_into_another_partnerships_draft(client, signed, coordinator_with_draft):
    user, _mine = coordinator_with_draft
    theirs = make_draft(partnership=make_partnership(name="Delta Partnership", members=2), kpis=0)
    client.force_login(user)
    kpi = signed.kpis.first()
    response = copy(client, source="declaration", pk=kpi.pk, declaration=theirs)
    assert response.status_code == 404
    assert not theirs.kpis.exists()


def test_anonymous_copy_redirects_to_sign_in(client, signed, coordinator_with_draft):
    _user, draft = coordinator_with_draft
    response = copy(client, source="declaration", pk=signed.kpis.first().pk, declaration=draft)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert draft.kpis.count() == 0


def test_a_declaration_that_is_not_a_draft_is_refused(client, signed, coordinator_with_draft):
    user, draft = coordinator_with_draft
    commitments_services.declaration_submit(declaration=draft)
    client.force_login(user)
    response = copy(client, source="declaration", pk=signed.kpis.first().pk, declaration=draft)
    assert response.status_code == 302
    assert draft.kpis.count() == 0
    assert "KPIs can only be added to a draft" in client.get(URL).content.decode()
    # Nor into the signed declaration itself, even by its own coordinator.
    owner = make_coordinator(signed.partnership)
    client.force_login(owner)
    copy(client, source="declaration", pk=signed.kpis.first().pk, declaration=signed)
    assert signed.kpis.count() == 2 and signed.status == DeclarationStatus.SIGNED


def test_only_kpis_the_repository_shows_can_be_copied(client, coordinator_with_draft):
    user, draft = coordinator_with_draft
    hidden = make_draft(partnership=make_partnership(members=2)).kpis.first()
    client.force_login(user)
    assert copy(client, source="declaration", pk=hidden.pk, declaration=draft).status_code == 404
    assert copy(client, source="nonsense", pk=1, declaration=draft).status_code == 404
    assert client.post(COPY, {"source": "pledge", "id": "x", "declaration": draft.pk}).status_code == 404
    assert client.get(COPY).status_code == 405


def test_an_offsite_next_address_is_not_followed(client, signed, coordinator_with_draft):
    user, draft = coordinator_with_draft
    client.force_login(user)
    response = copy(
        client,
        source="declaration",
        pk=signed.kpis.first().pk,
        declaration=draft,
        next_url="https://evil.example/",
    )
    assert response["Location"] == URL


def test_repository_queries_do_not_grow_with_rows(client, signed, coordinator_with_draft, count_queries):
    user, _draft = coordinator_with_draft
    client.force_login(user)
    client.get(URL)
    few = count_queries(client, URL)
    assert few <= 30
    for n in range(8):
        partnership = make_partnership(members=1, ecosystems=("health", "digital", "tourism"))
        for i in range(3):
            PledgedTarget.objects.create(
                partnership=partnership,
                indicator=f"Target {n}-{i}",
                unit=f"unit{n}",
                target=10,
                target_year=2030,
            )
    kpi = KPI.objects.filter(declaration=signed).first()
    for day in range(1, 6):
        commitments_services.kpi_progress_report(
            kpi=kpi, value=day * 10, reported_on=datetime.date(2026, 10, day)
        )
    assert count_queries(client, URL) <= few
    assert heading(client.get(URL)).endswith("KPIs found")
