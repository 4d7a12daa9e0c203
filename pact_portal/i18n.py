"""Which language a request is answered in, and the addresses of a page in the other languages.

Pages keep one address in every language: the visitor's choice (the language cookie set by the switcher), else
the browser's ``Accept-Language``, picks the language. ``?lang=xx`` asks for one language explicitly; that is
the address each page names in its ``hreflang`` alternates and in the sitemap, so search engines can index
every language. It applies to that request only and sets no cookie, so it can be cached like any other URL.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.sitemaps import Sitemap
from django.dispatch import receiver
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


def account_language_remember(user, code):
    """Keep ``code`` as the language ``user`` reads the portal in (their e-mails follow it)."""
    from .models import AccountLanguage

    if user is not None and user.pk and code in dict(settings.LANGUAGES):
        AccountLanguage.objects.update_or_create(user=user, defaults={"language": code})


def account_language(user, default=None):
    """The language ``user`` reads the portal in, ``default`` (else the portal's) when they never chose."""
    from .models import AccountLanguage

    found = AccountLanguage.objects.filter(user=user).values_list("language", flat=True).first()
    return found or default or settings.LANGUAGE_CODE


@receiver(user_logged_in, dispatch_uid="portal-account-language")
def _remember_on_login(sender, request, user, **kwargs):
    """Signing in, an account keeps the language it reads the portal in (its switcher choice, else its
    browser's)."""
    if request is not None:
        account_language_remember(user, request_language(request))


def set_language(request):
    """Django's ``set_language``; a signed-in account's choice is also kept for its e-mails."""
    response = django_set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        account_language_remember(request.user, request.POST.get(LANGUAGE_QUERY_PARAMETER))
    return response
