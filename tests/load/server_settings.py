"""Settings of the servers the load and fault tests start: production settings (DEBUG off), except that
static files are not collected (plain storage: no manifest to build, and the tests fetch no stylesheet)."""

from pact_portal.settings import *  # noqa: F403
from pact_portal.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
