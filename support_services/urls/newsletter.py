"""The newsletter (namespace ``newsletter``): subscribe, confirm, unsubscribe."""

from django.urls import path, re_path

from ..views import newsletter as views

app_name = "newsletter"

urlpatterns = [
    path("newsletter/", views.newsletter_subscribe, name="subscribe"),
    # A signed token: URL-safe base64 and colons (payload:timestamp:signature).
    re_path(
        r"^newsletter/confirm/(?P<token>[A-Za-z0-9_:-]{20,200})/$", views.newsletter_confirm, name="confirm"
    ),
    re_path(
        r"^newsletter/unsubscribe/(?P<token>[A-Za-z0-9_-]{20,64})/$",
        views.newsletter_unsubscribe,
        name="unsubscribe",
    ),
]
