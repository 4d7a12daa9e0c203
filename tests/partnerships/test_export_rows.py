"""The export reads its rows in chunks, as values: same rows, order and figures as the list, in a few queries per
chunk whatever the number of rows."""

import json

import pytest
from django.urls import reverse

from partnerships.models import Partnership
from partnerships.synthetic import generate

pytestmark = pytest.mark.django_db


def exported(client, **params):
    response = client.get(reverse("partnerships:export_json"), params)
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content))["partnerships"]


@pytest.mark.parametrize("sort", ["name", "newest", "members"])
def test_the_export_follows_the_list_in_every_order_across_chunks(client, demo_registry, monkeypatch, sort):
    generate(partnerships=40, organisations=150, memberships=500, seed=11)
    whole = exported(client, sort=sort)
    monkeypatch.setattr("partnerships.exports.EXPORT_CHUNK", 7)
    chunked = exported(client, sort=sort)
    assert chunked == whole
    published = Partnership.objects.published()
    assert len(chunked) == published.count()
    listed = client.get(reverse("partnerships:list"), {"sort": sort}).context["page_obj"].object_list
    assert [row["slug"] for row in chunked[: len(listed)]] == [p.slug for p in listed]
    for row in chunked[:10]:
        partnership = published.get(slug=row["slug"])
        assert row["member_count"] == partnership.memberships.filter(left_on__isnull=True).count()
        assert row["regions"] == sorted(r.code for r in partnership.regions.all())
        assert row["ecosystems"] == [e.slug for e in partnership.ecosystems.order_by("name")]
        assert row["countries"] == sorted({code[:2] for code in row["regions"]})
        assert row["url"].endswith(f"/partnerships/{partnership.slug}/")


def test_the_export_runs_a_few_queries_per_chunk(client, demo_registry, monkeypatch, count_queries):
    generate(partnerships=40, organisations=150, memberships=500, seed=11)
    monkeypatch.setattr("partnerships.exports.EXPORT_CHUNK", 10)
    url = reverse("partnerships:export_csv")
    rows = Partnership.objects.published().count()
    chunks = -(-rows // 10)
    queries = count_queries(client, url)
    monkeypatch.setattr("partnerships.exports.EXPORT_CHUNK", 1000)
    assert queries - count_queries(client, url) == 3 * (chunks - 1)
