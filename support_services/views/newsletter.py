"""The newsletter's pages: subscribe, confirm, unsubscribe."""

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from pact_portal import ratelimit

from ..forms.newsletter import NewsletterForm, UnsubscribeForm
from ..models.newsletter import NewsletterSubscription, SubscriptionStatus
from ..services import newsletter as services
from .common import error_page, limit_body, spam_refused, too_many_requests


def _link_expired(request, title, message):
    return error_page(
        request, 410, title, message, back=(reverse("newsletter:subscribe"), _("Subscribe to the newsletter"))
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
        return _link_expired(
            request,
            _("This confirmation link has expired"),
            _("Confirmation links are valid for %(days)s days. Please subscribe again to get a new one.")
            % {"days": settings.NEWSLETTER_CONFIRM_DAYS},
        )
    except (signing.BadSignature, NewsletterSubscription.DoesNotExist):
        raise Http404 from None
    if subscription.status == SubscriptionStatus.UNSUBSCRIBED:
        # An old link must not undo a later unsubscription.
        return _link_expired(
            request,
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
