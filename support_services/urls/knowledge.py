"""Knowledge for partnerships: the resource library and the KPI repository."""

from django.urls import path, re_path

from ..views import knowledge as views

urlpatterns = [
    path("resources/", views.resource_list, name="resource_list"),
    path("resources/kpis/", views.kpi_repository, name="kpi_repository"),
    path("resources/kpis/copy/", views.kpi_copy, name="kpi_copy"),
    path("resources/<slug:slug>/", views.resource_detail, name="resource_detail"),
    re_path(
        r"^resources/(?P<slug>[-\w]+)/(?P<language>[a-z]{2})/download/$",
        views.resource_download,
        name="resource_download",
    ),
]
