"""Requests to join a partnership: the public form on a published profile, the requester's status page behind its
secret link (as an Expression of Interest's), and the coordinators' page where they decide.

Routed from ``partnerships/urls.py``; the coordinators' pages are under ``/coordinator/``, guarded object by
object by ``services.coordinator_can_manage`` (a coordinator of another partnership gets a 404).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pact_portal import antispam, ratelimit
from pact_portal.validators import show_on_form

from . import selectors, services
from .coordinator_views import _managed
from .forms import JoinDecisionForm, JoinRequestForm
from .models import JoinRequest, Partnership
from .workflows import JOIN_REQUEST


@never_cache
@antispam.limit_body
def join_request_create(request, slug):
    try:
        partnership = selectors.joinable_partnership(slug=slug)
    except Partnership.DoesNotExist:
        raise Http404 from None
    if request.method != "POST":
        form = JoinRequestForm(initial=JoinRequestForm.initial_for_new())
        return _render_form(request, partnership, form)
    form = JoinRequestForm(request.POST)
    if form.is_spam():
        return antispam.spam_refused(request)
    if not form.is_valid():
        return _render_form(request, partnership, form)
    rate = settings.RATE_LIMIT_JOIN_REQUESTS
    email = form.cleaned_data["contact_email"].strip().lower()
    if ratelimit.hit(request, bucket="join-request", rate=rate) or ratelimit.hit(
        request, bucket="join-request-to", rate=rate, key=email
    ):
        return ratelimit.too_many_requests(request)
    try:
        join_request, created = services.join_request_submit(
            partnership=partnership,
            idempotency_key=antispam.browser_bound_key(
                request, form.cleaned_data["idempotency_key"], salt="join-request-idempotency"
            ),
            data=form.cleaned_data,
            consent=form.cleaned_data["consent"],
            language=get_language() or settings.LANGUAGE_CODE,
        )
    except ValidationError as error:
        show_on_form(form, error)
        return _render_form(request, partnership, form)
    if created:
        messages.success(
            request,
            _(
                "Thank you: your request was sent to the coordinators of %(partnership)s. We have e-mailed you "
                "the link to this page."
            )
            % {"partnership": partnership.name},
        )
    return redirect(join_request)


def _render_form(request, partnership, form):
    return render(
        request,
        "partnerships/join_request_form.html",
        {"partnership": partnership, "form": form, "privacy_notice_version": settings.PRIVACY_NOTICE_VERSION},
    )


@never_cache
def join_request_status(request, token):
    try:
        join_request = selectors.join_request_by_token(token=token)
    except JoinRequest.DoesNotExist:
        raise Http404 from None
    return render(request, "partnerships/join_request_status.html", {"join_request": join_request})


# --- The coordinators' page ---------------------------------------------------------------------------------


@login_required
def coordinator_join_requests(request, slug):
    partnership = _managed(request, slug)
    join_requests = list(selectors.coordinator_join_requests(partnership=partnership))
    return render(
        request,
        "partnerships/coordinator/join_requests.html",
        {
            "partnership": partnership,
            # The buttons by state alone (the page checked who acts): a guard's refusal, such as "already a
            # member", is the message of the POST, so the page runs the same queries for 2 requests or 200.
            "rows": [(row, [t for t in JOIN_REQUEST if row.status in t.source]) for row in join_requests],
        },
    )


def _decide(join_request, transition, by, message):
    if transition == "accept":
        return services.join_request_accept(join_request=join_request, by=by, message=message)
    if transition == "decline":
        return services.join_request_decline(join_request=join_request, by=by, message=message)
    return services.join_request_confirm(join_request=join_request, by=by)


@login_required
@require_POST
def coordinator_join_request_decide(request, slug, pk, transition):
    partnership = _managed(request, slug)
    join_request = get_object_or_404(partnership.join_requests, pk=pk)
    if transition not in JOIN_REQUEST.transitions:
        raise Http404
    form = JoinDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return redirect("partnerships:coordinator_join_requests", slug=slug)
    try:
        _decide(join_request, transition, request.user, form.cleaned_data["message"])
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(JOIN_REQUEST[transition].done))
    return redirect("partnerships:coordinator_join_requests", slug=slug)
