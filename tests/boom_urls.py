"""The portal's URLs plus a view that fails, for tests of what a server error leaves in the log."""

from django.urls import path

from pact_portal.urls import urlpatterns as portal_urlpatterns


def boom(request):
    raise RuntimeError("the test view failed on purpose")


urlpatterns = [path("boom/", boom), *portal_urlpatterns]
