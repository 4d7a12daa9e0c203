"""Support requests: the coordinator's list and the form to ask for help."""

from django.urls import path

from ..views import support_requests as views

urlpatterns = [
    path("coordinator/support/", views.coordinator_requests, name="coordinator_requests"),
    path("coordinator/support/new/", views.coordinator_request_new, name="coordinator_request_new"),
]
