"""Public events pages and their iCalendar files; the newsletter's subscribe, confirm and unsubscribe."""

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from pact_portal import ratelimit
from pact_portal.cache import public_page
from partnerships.views import active_filters, filter_errors, paginate, querystring_without

from . import ical, selectors, services
from .filters import PAST, UPCOMING
from .forms import NewsletterForm, UnsubscribeForm
from .models import Event, EventMaterial, NewsletterSubscription, SubscriptionStatus
from .views import limit_body, spam_refused, too_many_requests

EVENTS_PAGE_SIZE = 20
CALENDAR_TYPE = "text/calendar; charset=utf-8"


@public_page
def event_list(request):
    filterset = selectors.event_search(request.GET)
    filter_errors(request, filterset)
    page = paginate(request, selectors.event_rows(filterset.qs), per_page=EVENTS_PAGE_SIZE)
    when = filterset.period
    return render(
        request,
        "support_services/event_list.html",
        {
            "filterset": filterset,
            "page_obj": page,
            "when": when,
            "tabs": [
                (UPCOMING, _("Upcoming"), querystring_without(request.GET, "when")),
                (PAST, _("Past"), querystring_without(request.GET, "when")),
            ],
            "active_filters": [f for f in active_filters(request, filterset) if f["label"] != _("When")],
            "query": querystring_without(request.GET),
        },
    )


def _event(slug):
    try:
        return selectors.event_detail_public(slug=slug)
    except Event.DoesNotExist:
        raise Http404 from None


@public_page
def event_detail(request, slug):
    event = _event(slug)
    return render(
        request,
        "support_services/event_detail.html",
        {"event": event, "is_past": event.ends_at < timezone.now()},
    )


def event_material(request, slug, pk):
    """An uploaded material, always as an attachment (never rendered by the browser)."""
    material = EventMaterial.objects.select_related("event").filter(event__slug=slug, pk=pk).first()
    if material is None or not material.file:
        raise Http404
    try:
        stored = default_storage.open(material.file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = material.file.name.rsplit(".", 1)[-1]
    return FileResponse(
        stored, as_attachment=True, filename=f"{slug}-{pk}.{extension}", content_type=material.content_type
    )


def _calendar_response(content, filename):
    response = HttpResponse(content, content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@public_page
def event_ics(request, slug):
    event = _event(slug)
    return _calendar_response(ical.calendar_bytes([event], name=event.title), f"{event.slug}.ics")


@public_page
def calendar_ics(request):
    events = selectors.events_for_calendar()
    return _calendar_response(
        ical.calendar_bytes(events, name=_("Pact for Skills events")), "pact-for-skills-events.ics"
    )


# --- Newsletter --------------------------------------------------------------------------------------


def error_page(request, status, title, message):
    return render(
        request, "support_services/newsletter_error.html", {"title": title, "message": message}, status=status
    )


@never_cache
@limit_body
def newsletter_subscribe(request):
    if request.method == "POST":
        form = NewsletterForm(request.POST)
        if form.is_spam():
            return spam_refused(request)
        if form.is_valid():
            if ratelimit.hit(request, bucket="newsletter", rate=settings.RATE_LIMIT_NEWSLETTER):
                return too_many_requests(request)
            data = form.cleaned_data
            services.newsletter_subscribe(
                email=data["email"],
                language=data["language"],
                ecosystems=data["ecosystems"],
                stages=data["stages"],
            )
            # The same answer for a new, a pending and a confirmed address: nothing to learn here.
            messages.success(
                request,
                _(
                    "Thank you. We have sent an e-mail to %(email)s: follow the link in it to confirm your "
                    "subscription. If the address is already subscribed, nothing changes."
                )
                % {"email": data["email"]},
            )
            return redirect(reverse("newsletter:subscribe"))
    else:
        form = NewsletterForm(initial={"language": get_language() or settings.LANGUAGE_CODE})
    return render(
        request,
        "support_services/newsletter_form.html",
        {"form": form, "confirm_days": settings.NEWSLETTER_CONFIRM_DAYS},
    )


@never_cache
@limit_body
def newsletter_confirm(request, token):
    """GET shows a button (mail scanners follow links); the POST confirms."""
    try:
        subscription = services.newsletter_by_confirm_token(token=token)
    except signing.SignatureExpired:
        return error_page(
            request,
            410,
            _("This confirmation link has expired"),
            _("Confirmation links are valid for %(days)s days. Please subscribe again to get a new one.")
            % {"days": settings.NEWSLETTER_CONFIRM_DAYS},
        )
    except (signing.BadSignature, NewsletterSubscription.DoesNotExist):
        raise Http404 from None
    if subscription.status == SubscriptionStatus.UNSUBSCRIBED:
        # An old link must not undo a later unsubscription.
        return error_page(
            request,
            410,
            _("This confirmation link is no longer valid"),
            _("This address was unsubscribed since the link was sent. Please subscribe again."),
        )
    if request.method == "POST":
        services.newsletter_confirm(subscription=subscription, ip_address=ratelimit.client_address(request))
        return render(request, "support_services/newsletter_done.html", {"confirmed": True})
    return render(
        request,
        "support_services/newsletter_confirm.html",
        {"subscription": subscription, "confirmed": subscription.status == SubscriptionStatus.CONFIRMED},
    )


# Token-authenticated, and RFC 8058 one-click requests come from mail providers without a CSRF token.
@csrf_exempt
@never_cache
@limit_body
def newsletter_unsubscribe(request, token):
    try:
        subscription = NewsletterSubscription.objects.get(token=token)
    except NewsletterSubscription.DoesNotExist:
        raise Http404 from None
    if request.method == "POST":
        services.newsletter_unsubscribe(subscription=subscription)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("Unsubscribed."), content_type="text/plain; charset=utf-8")
        return render(request, "support_services/newsletter_done.html", {"unsubscribed": True})
    return render(
        request,
        "support_services/newsletter_unsubscribe.html",
        {"form": UnsubscribeForm(), "subscription": subscription},
    )
