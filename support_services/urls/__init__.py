"""The support services' URLs (namespace ``support_services``), gathered from one module per domain.

Events and the newsletter have their own namespaces: ``pact_portal/urls.py`` includes ``urls.events`` and
``urls.newsletter`` directly.
"""

from . import applications, knowledge, lifecycle, support_requests

app_name = "support_services"

# Order matters: ``coordinator/support/new/`` (support requests) before ``coordinator/support/<slug>/`` (lifecycle).
urlpatterns = [
    *applications.urlpatterns,
    *knowledge.urlpatterns,
    *support_requests.urlpatterns,
    *lifecycle.urlpatterns,
]
