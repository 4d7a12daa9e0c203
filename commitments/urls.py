from django.urls import path

from . import views

app_name = "commitments"

urlpatterns = [
    path("declarations/<slug:slug>/v<int:version>/", views.declaration_detail, name="declaration"),
    path("declarations/<slug:slug>/v<int:version>/pdf/", views.declaration_pdf, name="declaration_pdf"),
    path("verify/", views.verify_start, name="verify_start"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("sign/<str:token>/", views.sign, name="sign"),
    path("coordinator/", views.coordinator_dashboard, name="coordinator_dashboard"),
    path(
        "coordinator/partnerships/<slug:slug>/declarations/new/",
        views.coordinator_declaration_create,
        name="coordinator_declaration_create",
    ),
    path("coordinator/declarations/<int:pk>/", views.coordinator_declaration, name="coordinator_declaration"),
    path(
        "coordinator/declarations/<int:pk>/edit/",
        views.coordinator_declaration_edit,
        name="coordinator_declaration_edit",
    ),
    path(
        "coordinator/declarations/<int:pk>/preview.pdf",
        views.coordinator_declaration_preview,
        name="coordinator_declaration_preview",
    ),
    path(
        "coordinator/declarations/<int:pk>/submit/",
        views.coordinator_declaration_submit,
        name="coordinator_declaration_submit",
    ),
    path(
        "coordinator/declarations/<int:pk>/signatories/",
        views.coordinator_signatories,
        name="coordinator_signatories",
    ),
    path(
        "coordinator/declarations/<int:pk>/signatories/<int:signatory_pk>/resend/",
        views.coordinator_signatory_resend,
        name="coordinator_signatory_resend",
    ),
    path(
        "coordinator/declarations/<int:pk>/kpis/<int:kpi_pk>/progress/",
        views.coordinator_kpi_progress,
        name="coordinator_kpi_progress",
    ),
]
