"""
WSGI config for pact_portal project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pact_portal.settings")
# Serving: settings refuse to start without a real SECRET_KEY (unless DEBUG).
os.environ["PACT_SERVING"] = "1"

application = get_wsgi_application()
