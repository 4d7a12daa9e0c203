from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views

admin.site.site_header = _("Pact for Skills · Support services")
admin.site.site_title = _("Pact for Skills support services")
admin.site.index_title = _("Workspace")

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("commitments.urls")),
    path("", include("partnerships.urls")),
]
