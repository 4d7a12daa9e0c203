from django.contrib.sitemaps import views as sitemaps
from django.urls import path, re_path

from pact_portal.cache import public_page

from . import coordinator_views, exports, join_views, views

app_name = "partnerships"

urlpatterns = [
    path("", views.home, name="home"),
    path("partnerships/", views.partnership_list, name="list"),
    path("partnerships/map/", views.partnership_map, name="map"),
    path("partnerships/export.csv", exports.export_csv, name="export_csv"),
    path("partnerships/export.json", exports.export_json, name="export_json"),
    path("partnerships/feed/", exports.PartnershipFeed(), name="feed"),
    path("partnerships/<slug:slug>/", views.partnership_detail, name="detail"),
    path("partnerships/<slug:slug>/join/", join_views.join_request_create, name="join_request"),
    path("join-requests/<str:token>/", join_views.join_request_status, name="join_request_status"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    re_path(r"^regions/(?P<code>[A-Za-z]{2}[A-Za-z0-9]{0,3})/$", views.region_detail, name="region"),
    path("ecosystems/<slug:slug>/", views.ecosystem_detail, name="ecosystem"),
    path("statistics/", views.statistics, name="statistics"),
    # An index of sections: each address lists its 24 languages, so a section is split in pages of 5,000.
    # Cached like the pages, per registry version: a section's page of 5,000 addresses is costly to write.
    path(
        "sitemap.xml",
        public_page(sitemaps.index),
        {"sitemaps": exports.SITEMAPS, "sitemap_url_name": "partnerships:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        public_page(sitemaps.sitemap, vary_on=["p"]),
        {"sitemaps": exports.SITEMAPS},
        name="sitemap_section",
    ),
    # The coordinator area (its dashboard is the declarations' page, commitments:coordinator_dashboard).
    path(
        "coordinator/partnerships/<slug:slug>/",
        coordinator_views.partnership_edit,
        name="coordinator_partnership",
    ),
    path(
        "coordinator/partnerships/<slug:slug>/members/",
        coordinator_views.members_edit,
        name="coordinator_members",
    ),
    path(
        "coordinator/partnerships/<slug:slug>/join-requests/",
        join_views.coordinator_join_requests,
        name="coordinator_join_requests",
    ),
    path(
        "coordinator/partnerships/<slug:slug>/join-requests/<int:pk>/<slug:transition>/",
        join_views.coordinator_join_request_decide,
        name="coordinator_join_request_decide",
    ),
]
