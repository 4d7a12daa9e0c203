"""The public registry: list filters and search, facets, open-data exports, map, statistics, bad input."""

import csv
import io
import json
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from partnerships import services
from partnerships.models import Organisation, Partnership, Region

pytestmark = pytest.mark.django_db

LIST = "/partnerships/"


def slugs(client, query="", **params):
    """Every slug the list shows for these parameters, across all pages."""
    response = client.get(LIST + ("?" + query if query else ""), params)
    assert response.status_code == 200
    page = response.context["page_obj"]
    found = [p.slug for p in page.object_list]
    while page.has_next():
        nxt = client.get(LIST, {**params, "page": page.next_page_number()})
        page = nxt.context["page_obj"]
        found += [p.slug for p in page.object_list]
    return found


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"region": "ITC4"}, {"lombardy-rsp", "promis-rsp"}),  # ProMIS covers all of Italy
        ({"region": "ITC"}, {"lombardy-rsp", "promis-rsp"}),  # a NUTS 1 region finds its sub-regions
        ({"region": "ITF47"}, {"bari-metropolitan-rsp", "promis-rsp"}),
        ({"region": "ITF"}, {"bari-metropolitan-rsp", "promis-rsp"}),
        ({"region": "NL42"}, {"ecrn-rsp"}),  # a macro-region that contains the region
        ({"region": "IE05"}, {"beara-more"}),  # IE053 lies inside IE05
        ({"country": "IT"}, {"lombardy-rsp", "promis-rsp", "bari-metropolitan-rsp"}),
        ({"country": "ES"}, {"ksigune", "4gune"}),
        ({"ecosystem": "health", "country": "IT"}, {"lombardy-rsp", "promis-rsp"}),
        ({"ecosystem": "health"}, {"lombardy-rsp", "promis-rsp", "health-workforce-lsp"}),
        ({"kind": "rsp", "stage": "set_up"}, {"beara-more", "bari-metropolitan-rsp", "4gune"}),
        ({"scope": "macro_region"}, {"ecrn-rsp"}),
        # ProMIS's launch (May 2024) comes from the sourced facts.
        (
            {"year": "2024", "kind": "rsp"},
            {"ksigune", "beara-more", "bari-metropolitan-rsp", "4gune", "promis-rsp"},
        ),
    ],
)
def test_filters_follow_the_region_hierarchy_and_combine(client, demo_registry, params, expected):
    assert set(slugs(client, **params)) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Beara", "beara-more"),
        ("Region Lombardia", "lombardy-rsp"),  # prefix match: "region" finds "Regione"
        ("regione lombardía", "lombardy-rsp"),  # accents do not matter
        ("Citta Metropolitana", "bari-metropolitan-rsp"),  # nor in the data ("Città")
        ("Cork County Council", "beara-more"),  # member organisation names are searched
        ("B-MORE", "beara-more"),  # acronym
        ("chemical workers", "ecrn-rsp"),  # challenge text
    ],
)
def test_search_finds_by_name_acronym_text_and_members(client, demo_registry, q, expected):
    assert expected in slugs(client, q=q)


def test_search_ranks_name_matches_first_and_filters_combine(client, demo_registry):
    found = slugs(client, q="tourism")
    assert found[0] == "tourism-lsp"
    assert slugs(client, q="health", kind="lsp") == ["health-workforce-lsp"]
    assert slugs(client, q="xyzzy-nothing") == []


def test_search_sees_new_members_and_unpublished_partnerships_stay_hidden(client, demo_registry):
    beara = Partnership.objects.get(slug="beara-more")
    organisation = services.organisation_create(
        name="Skibbereen Maritime Academy", country_code="IE", stakeholder_type="vet_provider"
    )
    services.membership_add(partnership=beara, organisation=organisation)
    assert slugs(client, q="Skibbereen") == ["beara-more"]
    services.partnership_update(partnership=beara, is_published=False)
    assert slugs(client, q="Skibbereen") == []


def test_facet_counts_describe_the_current_results(client, demo_registry):
    response = client.get(LIST, {"country": "IT"})
    options = response.context["options"]
    counts = {o["value"]: o["count"] for o in options["ecosystem"]}
    assert counts["health"] == 2 and counts["digital"] == 1 and counts["cross-sectoral"] == 1
    assert {o["value"]: o["count"] for o in options["stage"]} == {"set_up": 1, "delivery": 2}
    regions = {o["value"]: o["count"] for _, group in options["region_groups"] for o in group}
    assert regions["ITC4"] == 2 and regions["ITF47"] == 2 and regions["ITF4"] == 2
    content = response.content.decode()
    assert "Health (2)" in content and "3 partnerships found" in content


def test_sort_orders(client, demo_registry):
    by_name = slugs(client, kind="rsp", sort="name")
    names = list(Partnership.objects.filter(slug__in=by_name).order_by("name").values_list("slug", flat=True))
    assert by_name == names
    newest = slugs(client, kind="rsp", sort="newest")
    assert newest[0] in {"bari-metropolitan-rsp", "4gune"}  # launched November 2024
    most = slugs(client, sort="members")
    first = Partnership.objects.get(slug=most[0])
    assert first.memberships.count() == max(p.memberships.count() for p in Partnership.objects.all())


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "zzz"},
        {"year": "abc"},
        {"year": "1800"},
        {"region": "ZZ99"},
        {"region": "<script>"},
        {"ecosystem": "no-such"},
        {"country": "XX"},
        {"sort": "sideways"},
        {"page": "999"},
        {"page": "-1"},
        {"page": "abc"},
        {"q": "x" * 5000},
        {"q": "'; DROP TABLE partnerships_partnership; --"},
        {"q": "a & b | !c :* <->"},
    ],
)
def test_bad_parameters_get_a_polite_message_not_an_error(client, demo_registry, params):
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert Partnership.objects.count() == 24
    if set(params) - {"q", "sort"}:
        shown = [str(m) for m in response.context["messages"]]
        assert shown, f"no message for {params}"
    assert "<script>" not in response.content.decode().split("</head>")[1].replace("<script>alert", "")


def test_exports_match_the_filtered_list(client, demo_registry):
    params = {"ecosystem": "health", "country": "IT"}
    listed = slugs(client, **params)
    response = client.get(reverse("partnerships:export_csv"), params)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row["slug"] for row in rows] == listed
    assert rows[0]["regions"] and rows[0]["countries"] == "IT"

    response = client.get(reverse("partnerships:export_json"), params)
    data = json.loads(b"".join(response.streaming_content))
    assert [p["slug"] for p in data["partnerships"]] == listed
    lombardy = next(p for p in data["partnerships"] if p["slug"] == "lombardy-rsp")
    assert lombardy["regions"] == ["ITC4"] and "health" in lombardy["ecosystems"]
    assert lombardy["launch_date"] == "2022-12-01" and lombardy["launch_date_precision"] == "month"


def test_unfiltered_exports_list_every_published_partnership(client, demo_registry):
    response = client.get(reverse("partnerships:export_json"))
    data = json.loads(b"".join(response.streaming_content))
    assert len(data["partnerships"]) == 24


def test_atom_feed_lists_published_partnerships(client, demo_registry):
    services.partnership_update(partnership=Partnership.objects.get(slug="paris-rsp"), is_published=False)
    response = client.get(reverse("partnerships:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert (
        len(titles) == 23
        and "Beara Peninsula, Marine and the potential for Offshore Renewable Energy" in titles
    )
    assert "Municipality of Paris Regional Skills Partnership" not in titles


def sitemap_sections(client):
    """Every address of the sitemap index's sections, with each address's hreflang alternates."""
    index = ET.fromstring(client.get("/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    entries = {}
    for loc in index.findall("s:sitemap/s:loc", ns):
        section = ET.fromstring(client.get(urlsplit(loc.text).path).content)
        for url in section.findall("s:url", ns):
            alternates = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
            entries[urlsplit(url.find("s:loc", ns).text).path] = alternates
    return entries


def test_sitemap_lists_pages_and_partnerships_in_every_language(client, demo_registry):
    entries = sitemap_sections(client)
    assert {"/partnerships/beara-more/", "/statistics/", "/regions/ITC4/"} <= set(entries)
    alternates = entries["/partnerships/beara-more/"]
    assert set(alternates) == {code for code, _name in settings.LANGUAGES} | {"x-default"}
    assert alternates["el"].endswith("/partnerships/beara-more/?lang=el")
    assert alternates["x-default"].endswith("/partnerships/beara-more/")


def test_map_has_every_nuts2_region_of_the_seeded_partnerships(client, demo_registry):
    response = client.get(reverse("partnerships:map"))
    content = response.content.decode()
    expected = set()
    for partnership in Partnership.objects.prefetch_related("regions"):
        for region in partnership.regions.all():
            if region.level >= 2:
                expected.add(region.code[:4])
            else:  # a country or NUTS 1 region: every NUTS 2 region inside it
                expected |= set(
                    Region.objects.filter(level=2, code__startswith=region.code).values_list(
                        "code", flat=True
                    )
                )
    assert expected >= {"ITC4", "ITF4", "DEE0", "NL42", "ES21", "IE05", "FR10"}
    for code in expected:
        assert f'href="/regions/{code}/"' in content, code
    assert 'aria-label="Lombardia (ITC4): 2 partnerships"' in content
    assert "© EuroGeographics for the administrative boundaries" in content
    table = {r["code"]: r["count"] for r in response.context["table"]}
    assert table["ITC4"] == 2 and table["IE05"] == 1


def test_statistics_show_composition_and_pledges(client, demo_registry):
    response = client.get(reverse("partnerships:statistics"))
    stats = response.context["stats"]
    members = Organisation.objects.filter(memberships__isnull=False).distinct()
    assert stats["member_count"] == members.count()
    assert stats["sme_count"] == members.filter(is_sme=True).count()
    assert (
        stats["authority_count"]
        == members.filter(
            stakeholder_type__in=["national_authority", "regional_authority", "local_authority"]
        ).count()
    )
    # People pledged: the upskilling/training targets counted in people (not "New recruits").
    assert stats["people_to_upskill"] == 700_000 + 250_000 + 200_000 + 200_000 + 3_000_000 + 150
    by_kind = {row["label"]: row["value"] for row in stats["by_kind"]}
    assert by_kind == {"Regional Skills Partnership": 8, "Large-Scale Skills Partnership": 16}
    content = response.content.decode()
    assert "<svg" in content and "<table" in content and "Health" in content


def test_region_page_breadcrumbs_partnerships_and_members(client, demo_registry):
    response = client.get("/regions/ITC4/")
    content = response.content.decode()
    assert [r.code for r in response.context["region"].ancestors] == ["IT", "ITC"]
    assert "Lombardy Region Regional Skills Partnership" in content and "ProMIS" in content
    assert "Regione Lombardia" in content
    assert client.get("/regions/itc4/").status_code == 301
    assert client.get("/regions/ZZ9/").status_code == 404


def test_ecosystem_page_lists_its_partnerships(client, demo_registry):
    content = client.get("/ecosystems/health/").content.decode()
    assert "Health Workforce Skills Partnership" in content and "ProMIS" in content
    assert client.get("/ecosystems/nothing/").status_code == 404


def test_organisation_list_filters(client, demo_registry):
    response = client.get("/organisations/", {"sme": "true", "country": "IE"})
    orgs = list(response.context["page_obj"].object_list)
    assert orgs and all(o.is_sme and o.country_id == "IE" for o in orgs)
    assert "Bere Island Boatyard" in [o.name for o in orgs]
    response = client.get("/organisations/", {"q": "cork county"})
    assert [o.name for o in response.context["page_obj"].object_list] == ["Cork County Council"]
    assert client.get("/organisations/", {"stakeholder_type": "pirate"}).status_code == 200


def test_profile_groups_members_by_type_and_shows_locator_and_timeline(client, demo_registry):
    response = client.get("/partnerships/beara-more/")
    groups = {g["type"]: g["count"] for g in response.context["member_groups"]}
    beara = Partnership.objects.get(slug="beara-more")
    assert sum(groups.values()) == beara.memberships.current().count()
    assert groups["local_authority"] >= 2  # Cork County Council and the Local Enterprise Office
    assert "IE053" in response.context["locator"]["highlighted"]
    content = response.content.decode()
    assert 'aria-current="step"' in content and "Set-up" in content
    assert response.context["locator"] is not None
    lsp = client.get("/partnerships/tourism-lsp/")
    assert lsp.context["locator"] is None  # EU-wide: no regional map


def test_organisations_only_in_unpublished_partnerships_have_no_public_page(client, demo_registry):
    hidden = services.partnership_create(
        name="Draft Skills Partnership", kind="rsp", scope="single_region", regions=["ITC4"]
    )
    organisation = services.organisation_create(
        name="Secret Applicant Org", country_code="IT", stakeholder_type="ngo"
    )
    services.membership_add(partnership=hidden, organisation=organisation)
    assert client.get(organisation.get_absolute_url()).status_code == 404
    assert "Secret Applicant Org" not in client.get("/organisations/", {"q": "secret"}).content.decode()


def test_an_unpublished_umbrella_is_not_shown(client, demo_registry):
    umbrella = services.partnership_create(name="Confidential Draft LSP", kind="lsp", scope="eu_wide")
    child = Partnership.objects.get(slug="lombardy-rsp")
    services.partnership_update(partnership=child, parent=umbrella)
    assert "Confidential Draft LSP" not in client.get(child.get_absolute_url()).content.decode()
    data = json.loads(b"".join(client.get(reverse("partnerships:export_json")).streaming_content))
    assert next(p for p in data["partnerships"] if p["slug"] == "lombardy-rsp")["parent"] is None
    services.partnership_update(partnership=umbrella, is_published=True)
    assert "Confidential Draft LSP" in client.get(child.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "path", ["/regions/%00/", "/regions/IT%00/", "/regions/ITC4%27/", "/regions/toolong/"]
)
def test_malformed_region_paths_are_not_found(client, db, path):
    assert client.get(path).status_code == 404


def test_csv_cells_cannot_run_as_spreadsheet_formulas(client, demo_registry):
    services.partnership_update(
        partnership=Partnership.objects.get(slug="beara-more"), acronym='=HYPERLINK("http://evil","x")'
    )
    response = client.get(reverse("partnerships:export_csv"), {"q": "beara"})
    row = next(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert row["acronym"] == '\'=HYPERLINK("http://evil","x")'


@pytest.mark.parametrize("url", ["export_csv", "export_json"])
def test_exports_refuse_filters_they_do_not_understand(client, demo_registry, url):
    response = client.get(reverse(f"partnerships:{url}"), {"country": "XX", "year": "2020.5"})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"country", "year"}


def test_a_fractional_year_is_refused_with_a_message(client, demo_registry):
    response = client.get(LIST, {"year": "2024.5"})
    assert [str(m) for m in response.context["messages"]]
    assert response.context["page_obj"].paginator.count == 24
