"""The one PDF helper: a template rendered to HTML, then to PDF bytes by WeasyPrint.

Fonts and the base URL are set here only: the print CSS names the vendored DejaVu fonts from ``static/``,
so a PDF looks the same on every machine, and nothing is ever fetched from a remote host.
"""

from django.conf import settings
from django.template.loader import render_to_string

STATIC_SOURCE = settings.BASE_DIR / "static"


def html_to_pdf(html):
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Only local files (static/) and data: URIs may be embedded: a PDF never fetches from a remote host.
    fetcher = URLFetcher(allowed_protocols=("file", "data"), fail_on_errors=True)
    return HTML(string=html, base_url=STATIC_SOURCE.as_uri() + "/", url_fetcher=fetcher).write_pdf()


def render_pdf(template_name, context):
    """Render ``template_name`` with ``context`` and return the PDF as bytes."""
    return html_to_pdf(render_to_string(template_name, context))
