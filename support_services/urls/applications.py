"""Expressions of Interest: the applicant's form, the status page behind the secret link, the privacy notice."""

from django.urls import path, re_path

from ..views import applications as views

# Secret links: 43 URL-safe characters today; accept 20–64 so nothing shorter can ever be guessed at.
TOKEN = r"(?P<token>[A-Za-z0-9_-]{20,64})"

urlpatterns = [
    path("expression-of-interest/", views.eoi_start, name="eoi_start"),
    path("expression-of-interest/resume/", views.eoi_resume, name="eoi_resume"),
    re_path(rf"^expression-of-interest/{TOKEN}/$", views.eoi_detail, name="eoi_detail"),
    re_path(rf"^expression-of-interest/{TOKEN}/answer/$", views.eoi_answer, name="eoi_answer"),
    re_path(rf"^expression-of-interest/{TOKEN}/withdraw/$", views.eoi_withdraw, name="eoi_withdraw"),
    path("privacy/", views.privacy, name="privacy"),
]
