"""Open data: the list's selection as CSV and JSON, an Atom feed, and the sitemap."""

import csv
import json

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Count
from django.http import JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from pact_portal.i18n import TranslatedSitemap

from . import selectors
from .models import Ecosystem, Membership, Organisation, Partnership, Region, published_q

EXPORT_FIELDS = [
    "slug",
    "name",
    "acronym",
    "kind",
    "scope",
    "stage",
    "launch_date",
    "launch_date_precision",
    "countries",
    "regions",
    "ecosystems",
    "member_count",
    "parent",
    "website",
    "contact_email",
    "url",
    "updated_at",
]
DEMO_NOTE = "member_count includes member organisations flagged as demo data in the registry"
LICENCE = "CC BY 4.0; regions: Eurostat GISCO, © EuroGeographics for the administrative boundaries"


EXPORT_CHUNK = 1000
# The export's fields that are not a column of the partnership: export_rows computes them.
COMPUTED = {"countries", "regions", "ecosystems", "member_count", "parent", "url"}


def export_rows(filterset):
    """One dict per partnership of the list's selection (same filters, same order), streamed in chunks.

    Rows are read as values, with each chunk's region links, ecosystem links and member counts in one query
    each: the export costs a few queries per thousand partnerships and builds no model instance."""
    from .filters import EcosystemLink, RegionLink

    columns = ["pk", "parent__slug", "parent__is_published", *(f for f in EXPORT_FIELDS if f not in COMPUTED)]
    url = settings.PORTAL_URL.rstrip("/") + reverse("partnerships:detail", kwargs={"slug": "-"})[:-2] + "{}/"
    ecosystem_slugs = dict(Ecosystem.objects.values_list("pk", "slug"))  # in the ecosystems' order (by name)
    ecosystem_order = {pk: n for n, pk in enumerate(ecosystem_slugs)}
    chunk = []
    for row in filterset.qs.values(*columns).iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(row)
        if len(chunk) == EXPORT_CHUNK:
            yield from _export_chunk(chunk, url, ecosystem_slugs, ecosystem_order, RegionLink, EcosystemLink)
            chunk = []
    if chunk:
        yield from _export_chunk(chunk, url, ecosystem_slugs, ecosystem_order, RegionLink, EcosystemLink)


def _export_chunk(chunk, url, ecosystem_slugs, ecosystem_order, RegionLink, EcosystemLink):
    ids = [row["pk"] for row in chunk]
    regions, ecosystems = {}, {}
    for partnership_id, code in (
        RegionLink.objects.filter(partnership_id__in=ids)
        .order_by("region_id")
        .values_list("partnership_id", "region_id")
    ):
        regions.setdefault(partnership_id, []).append(code)
    member_counts = dict(
        Membership.objects.current()
        .settled()
        .filter(partnership_id__in=ids)
        .order_by()
        .values("partnership_id")
        .annotate(n=Count("pk"))
        .values_list("partnership_id", "n")
    )
    for partnership_id, ecosystem_id in EcosystemLink.objects.filter(partnership_id__in=ids).values_list(
        "partnership_id", "ecosystem_id"
    ):
        ecosystems.setdefault(partnership_id, []).append(ecosystem_id)
    for row in chunk:
        codes = regions.get(row["pk"], [])
        launch = row["launch_date"]
        computed = {  # the computed fields, and the columns written otherwise than as stored
            "launch_date": launch.isoformat() if launch else None,
            "launch_date_precision": row["launch_date_precision"] if launch else None,
            "countries": sorted({code[:2] for code in codes}),
            "regions": codes,
            "ecosystems": [
                ecosystem_slugs[pk] for pk in sorted(ecosystems.get(row["pk"], []), key=ecosystem_order.get)
            ],
            "member_count": member_counts.get(row["pk"], 0),
            "parent": row["parent__slug"] if row["parent__is_published"] else None,
            "url": url.format(row["slug"]),
            "updated_at": row["updated_at"].isoformat(),
        }
        yield {field: computed[field] if field in computed else row[field] for field in EXPORT_FIELDS}


def invalid_filters(request):
    """The bound filters, or a 400 answer naming the parameters that are not understood."""
    filterset = selectors.partnership_search(request.GET)
    if filterset.is_valid():
        return filterset, None
    errors = {field: [str(e) for e in messages] for field, messages in filterset.errors.items()}
    return None, JsonResponse({"error": "invalid filter parameters", "fields": errors}, status=400)


def spreadsheet_safe(value):
    """Neutralise cells a spreadsheet would run as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def export_csv(request):
    filterset, error = invalid_filters(request)
    if error:
        return error
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # so spreadsheet programs read UTF-8
        yield writer.writerow(EXPORT_FIELDS)
        for row in export_rows(filterset):
            yield writer.writerow(
                [
                    spreadsheet_safe(";".join(v) if isinstance(v, list) else ("" if v is None else v))
                    for v in row.values()
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="pact-for-skills-partnerships.csv"'
    return response


def export_json(request):
    filterset, error = invalid_filters(request)
    if error:
        return error

    def chunks():
        yield (
            json.dumps(
                {
                    "generated": timezone.now().isoformat(),
                    "licence": LICENCE,
                    "source": settings.PORTAL_URL,
                    "note": DEMO_NOTE,
                }
            )[:-1]
            + ', "partnerships": ['
        )
        for n, row in enumerate(export_rows(filterset)):
            yield ("," if n else "") + json.dumps(row, ensure_ascii=False)
        yield "]}"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="pact-for-skills-partnerships.json"'
    return response


class PartnershipFeed(Feed):
    feed_type = Atom1Feed
    title = _("Pact for Skills: new and updated partnerships")
    subtitle = _("Regional and Large-Scale Skills Partnerships published or updated in the registry.")

    def link(self):
        return reverse("partnerships:list")

    def items(self):
        return Partnership.objects.published().order_by("-updated_at")[:50]

    def item_title(self, item):
        return item.name

    def item_description(self, item):
        return item.summary or item.ambition or item.challenge

    def item_updateddate(self, item):
        return item.updated_at

    def item_pubdate(self, item):
        return item.created_at


class PartnershipSitemap(TranslatedSitemap):
    changefreq = "weekly"

    def items(self):
        return Partnership.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class OrganisationSitemap(TranslatedSitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Organisation.objects.with_public_page().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class RegionSitemap(TranslatedSitemap):
    changefreq = "weekly"
    priority = 0.3

    def items(self):
        return Region.objects.filter(published_q("partnerships")).distinct().only("code").order_by("code")


class EcosystemSitemap(TranslatedSitemap):
    changefreq = "weekly"

    def items(self):
        return Ecosystem.objects.all()


class PageSitemap(TranslatedSitemap):
    priority = 0.8

    def items(self):
        return [
            "partnerships:home",
            "partnerships:list",
            "partnerships:organisations",
            "partnerships:map",
            "partnerships:statistics",
        ]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": PageSitemap,
    "partnerships": PartnershipSitemap,
    "organisations": OrganisationSitemap,
    "regions": RegionSitemap,
    "ecosystems": EcosystemSitemap,
}
