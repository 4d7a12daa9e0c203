"""The one PDF helper: a template rendered to HTML, then to PDF bytes by WeasyPrint.

Fonts, the print stylesheet and the base URL are set here only: ``static/css/print.css`` names the
vendored DejaVu fonts, so a PDF looks the same on every machine, and nothing is ever fetched from a
remote host (only file: and data: URLs load).
"""

import atexit
import threading

from django.conf import settings
from django.template.loader import render_to_string

STATIC_SOURCE = settings.BASE_DIR / "static"
PRINT_CSS = STATIC_SOURCE / "css" / "print.css"
_local = threading.local()


@atexit.register
def _release_fonts():
    # Let WeasyPrint remove its temporary font folder while the interpreter can still run its cleanup.
    _local.__dict__.pop("setup", None)


def _print_setup():
    """The URL fetcher, font configuration and parsed print stylesheet, made once per thread
    (loading the @font-face fonts is a third of a small document's rendering time)."""
    setup = getattr(_local, "setup", None)
    if setup is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcher

        fetcher = URLFetcher(allowed_protocols=("file", "data"), fail_on_errors=True)
        fonts = FontConfiguration()
        css = CSS(filename=str(PRINT_CSS), font_config=fonts, url_fetcher=fetcher)
        setup = _local.setup = (fetcher, fonts, css)
    return setup


def html_to_pdf(html):
    from weasyprint import HTML

    fetcher, fonts, css = _print_setup()
    document = HTML(string=html, base_url=STATIC_SOURCE.as_uri() + "/", url_fetcher=fetcher)
    # Tagged (structure tree, reading order, language): screen readers can read the declaration.
    return document.write_pdf(stylesheets=[css], font_config=fonts, pdf_tags=True)


def render_pdf(template_name, context):
    """Render ``template_name`` with ``context`` and return the PDF as bytes."""
    return html_to_pdf(render_to_string(template_name, context))
