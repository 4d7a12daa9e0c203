from django.urls import path, re_path

from . import knowledge_views, views

app_name = "support_services"

# Secret links: 43 URL-safe characters today; accept 20–64 so nothing shorter can ever be guessed at.
TOKEN = r"(?P<token>[A-Za-z0-9_-]{20,64})"

urlpatterns = [
    path("expression-of-interest/", views.eoi_start, name="eoi_start"),
    path("expression-of-interest/resume/", views.eoi_resume, name="eoi_resume"),
    re_path(rf"^expression-of-interest/{TOKEN}/$", views.eoi_detail, name="eoi_detail"),
    re_path(rf"^expression-of-interest/{TOKEN}/answer/$", views.eoi_answer, name="eoi_answer"),
    re_path(rf"^expression-of-interest/{TOKEN}/withdraw/$", views.eoi_withdraw, name="eoi_withdraw"),
    path("privacy/", views.privacy, name="privacy"),
    path("support/dashboard/", views.staff_dashboard, name="staff_dashboard"),
    path("resources/", knowledge_views.resource_list, name="resource_list"),
    path("resources/kpis/", knowledge_views.kpi_repository, name="kpi_repository"),
    path("resources/kpis/copy/", knowledge_views.kpi_copy, name="kpi_copy"),
    path("resources/<slug:slug>/", knowledge_views.resource_detail, name="resource_detail"),
    re_path(
        r"^resources/(?P<slug>[-\w]+)/(?P<language>[a-z]{2})/download/$",
        knowledge_views.resource_download,
        name="resource_download",
    ),
    path("coordinator/support/", views.coordinator_requests, name="coordinator_requests"),
    path("coordinator/support/new/", views.coordinator_request_new, name="coordinator_request_new"),
    path("coordinator/support/<slug:slug>/", views.coordinator_record, name="coordinator_record"),
]
