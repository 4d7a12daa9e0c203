from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from . import i18n, views

admin.site.site_header = _("Pact for Skills · Support services")
admin.site.site_title = _("Pact for Skills support services")
admin.site.index_title = _("Workspace")

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Exempt from CSRF so public pages carry no per-visitor token and can be cached whole; the worst a
    # forged request can do is change a visitor's interface language. (A signed-in account's choice is kept
    # for its e-mails too, but a cross-site POST carries no session cookie: SESSION_COOKIE_SAMESITE is Lax.)
    path("i18n/setlang/", csrf_exempt(i18n.set_language), name="set_language"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("admin/", admin.site.urls),
    path("accounts/login/", views.PortalLoginView.as_view(), name="login"),
    path("accounts/password_reset/", views.PortalPasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("commitments.urls")),
    path("", include("partnerships.urls")),
    path("", include("support_services.urls")),
    path("", include("support_services.urls.events")),
    path("", include("support_services.urls.newsletter")),
]

handler400 = views.bad_request
handler500 = views.server_error

if settings.BENCHMARK_VIEWS:
    urlpatterns.append(path("bench/bare", views.bare, name="bench_bare"))
