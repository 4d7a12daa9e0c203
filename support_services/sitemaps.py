"""The knowledge pages in the portal's sitemap (registered from ``apps.ready``: the registry app that serves
``/sitemap.xml`` knows nothing of this app)."""

from django.urls import reverse

from pact_portal.i18n import TranslatedSitemap

from .models.knowledge import Resource


class KnowledgePageSitemap(TranslatedSitemap):
    priority = 0.6

    def items(self):
        return ["support_services:resource_list", "support_services:kpi_repository"]

    def location(self, item):
        return reverse(item)


class ResourceSitemap(TranslatedSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Resource.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


def register(sitemaps):
    sitemaps.setdefault("knowledge", KnowledgePageSitemap)
    sitemaps.setdefault("resources", ResourceSitemap)
