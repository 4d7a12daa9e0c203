"""Every public list and detail page runs the same number of queries with a few rows and with many."""

import pytest

from partnerships import services
from partnerships.models import Partnership
from partnerships.synthetic import generate
from tests.partnerships.builders import make_organisation

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/partnerships/",
    "/partnerships/?ecosystem=health&country=IT&sort=members",
    "/partnerships/?q=skills+partnership",
    "/partnerships/?region=ITC4&stage=delivery",
    "/partnerships/lombardy-rsp/",
    "/organisations/",
    "/organisations/?sme=true&country=IT",
    "/organisations/{organisation}/",
    "/regions/ITC4/",
    "/regions/IT/",
    "/ecosystems/health/",
    "/partnerships/map/",
    "/statistics/",
    "/partnerships/export.csv?country=IT",
    "/partnerships/export.json",
    "/partnerships/feed/",
    "/sitemap.xml",
    "/sitemap-organisations.xml",
    "/sitemap-partnerships.xml",
]


def grow_registry():
    """Many more partnerships, members and memberships, including on the pages measured."""
    generate(partnerships=120, organisations=400, memberships=1500, seed=7)
    lombardy = Partnership.objects.get(slug="lombardy-rsp")
    busy = make_organisation(
        name="Busy Lombard Cluster", region="ITC4", stakeholder_type="business_association"
    )
    for n in range(40):
        services.membership_add(
            partnership=lombardy,
            organisation=make_organisation(region="ITC4", stakeholder_type="company", is_sme=n % 2 == 0),
        )
    for partnership in Partnership.objects.filter(slug__startswith="synthetic-")[:30]:
        services.membership_add(partnership=partnership, organisation=busy)
    return busy


def test_page_query_counts_do_not_grow_with_rows(client, demo_registry, count_queries):
    organisation = (
        Partnership.objects.get(slug="lombardy-rsp").memberships.get(role="coordinator").organisation
    )
    few = {url: count_queries(client, url.format(organisation=organisation.slug)) for url in PAGES}
    busy = grow_registry()
    many = {url: count_queries(client, url.format(organisation=busy.slug)) for url in PAGES}
    grown = {url: (few[url], many[url]) for url in PAGES if many[url] > few[url]}
    assert not grown, f"query counts grew with the rows (few, many): {grown}"
    assert max(many.values()) <= 15, many
