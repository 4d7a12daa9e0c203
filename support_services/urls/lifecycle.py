"""Lifecycle support: the staff dashboard and a coordinator's view of the support record."""

from django.urls import path

from ..views import lifecycle as views

urlpatterns = [
    path("support/dashboard/", views.staff_dashboard, name="staff_dashboard"),
    path("coordinator/support/<slug:slug>/", views.coordinator_record, name="coordinator_record"),
]
