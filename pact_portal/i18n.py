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
from django.views.i18n import LANGUAGE_QUERY_PARAMETER
from django.views.i18n import set_language as django_set_language

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


def page_address(request):
    """The page's path with the query parameters its view declares (``public_page``'s ``vary_on``), without
    ``?lang=``: what its alternates in other languages add ``?lang=`` to. Tracking and junk parameters stay
    out; a page that declares none (a form) is its path alone."""
    match = getattr(request, "resolver_match", None)
    declared = getattr(match.func, "cache_parameters", frozenset()) if match else frozenset()
    query = [
        (name, value)
        for name in request.GET
        if name in declared and name != LANGUAGE_PARAMETER
        for value in request.GET.getlist(name)
    ]
    return request.path + (f"?{urlencode(query)}" if query else "")


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

    # Addresses on the portal's public address (PORTAL_URL), like the hreflang links of the pages' heads.
    def get_protocol(self, protocol=None):
        return urlsplit(settings.PORTAL_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.PORTAL_URL).netloc

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            url["alternates"] = alternates(url["location"])
        return urls


def account_language_set(*, user, language, keep_chosen=False):
    """Keep ``language`` as the one ``user`` reads the portal in (their e-mails follow it); with
    ``keep_chosen``, only for an account that has none yet (a guess must not overwrite a choice)."""
    from .models import AccountLanguage

    if user is None or not user.pk or language not in dict(settings.LANGUAGES):
        return
    if keep_chosen:
        AccountLanguage.objects.get_or_create(user=user, defaults={"language": language})
    else:
        AccountLanguage.objects.update_or_create(user=user, defaults={"language": language})


def account_language_sign_in(*, user, request):
    """At sign-in: the switcher's choice (the language cookie) is the account's; without one, the browser's
    language is a guess, kept only for an account that never chose."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in dict(settings.LANGUAGES):
        account_language_set(user=user, language=chosen)
    else:
        account_language_set(user=user, language=request_language(request), keep_chosen=True)


def record_note(message, **params):
    """A note the portal writes into a record (a stage change, a timeline entry), in the portal's working
    language, English, whatever the language of the person acting: pages in other languages mark record notes
    with ``lang="en"``. ``message`` is a ``gettext_lazy`` string."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % params


def account_language(user):
    """The language ``user`` reads the portal in; the portal's own for an account that never chose."""
    from .models import AccountLanguage

    found = AccountLanguage.objects.filter(user=user).values_list("language", flat=True).first()
    return found or settings.LANGUAGE_CODE


def set_language(request):
    """Django's ``set_language``, returning to the page without its ``?lang=`` (which would win over the new
    choice); a signed-in account's choice is also kept for its e-mails."""
    if request.method == "POST" and request.POST.get("next"):
        request.POST = request.POST.copy()
        request.POST["next"] = with_language(request.POST["next"], None)
    if request.META.get("HTTP_REFERER"):
        request.META["HTTP_REFERER"] = with_language(request.META["HTTP_REFERER"], None)
    response = django_set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        account_language_set(user=request.user, language=request.POST.get(LANGUAGE_QUERY_PARAMETER))
    return response
