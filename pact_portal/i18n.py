"""Which language a request is answered in, and the addresses of a page in the other languages.

Pages keep one address in every language: the visitor's choice (the language cookie set by the switcher), else
the browser's ``Accept-Language``, picks the language. ``?lang=xx`` asks for one language explicitly; that is
the address each page names in its ``hreflang`` alternates and in the sitemap, so search engines can index
every language. It applies to that request only and sets no cookie, so it can be cached like any other URL.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation

LANGUAGE_PARAMETER = "lang"


def requested_language(request):
    """The language ``?lang=`` asks for, if it is one the portal speaks."""
    code = request.GET.get(LANGUAGE_PARAMETER, "")
    return code if code in dict(settings.LANGUAGES) else None


def request_language(request):
    """The language the request is answered in: ``?lang=``, else the cookie, else ``Accept-Language``."""
    return requested_language(request) or translation.get_language_from_request(request)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, with ``?lang=`` taking precedence for the request that carries it."""

    def process_request(self, request):
        language = requested_language(request)
        if language is None:
            return super().process_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        return None


def with_language(url, code):
    """``url`` with ``?lang=code`` (replacing any); without it when ``code`` is None (the x-default)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != LANGUAGE_PARAMETER]
    if code:
        query.append((LANGUAGE_PARAMETER, code))
    return urlunsplit(parts._replace(query=urlencode(query)))


def alternates(url):
    """The ``hreflang`` alternates of ``url``: one per language, and x-default (the negotiated page)."""
    return [
        {"lang_code": code, "location": with_language(url, code)} for code, _name in settings.LANGUAGES
    ] + [{"lang_code": "x-default", "location": with_language(url, None)}]


class TranslatedSitemap(Sitemap):
    """A sitemap whose every address lists its alternates in all the portal's languages (``?lang=``).

    25 alternates make an entry about 3 kB: a page of the sitemap holds 5,000 entries (search engines take
    up to 50 MB a file)."""

    limit = 5000

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            url["alternates"] = alternates(url["location"])
        return urls
