from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with the portal's admin site (pact_portal/admin_site.py)."""

    default_site = "pact_portal.admin_site.PortalAdminSite"
