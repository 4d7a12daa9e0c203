"""The applicant's pages: the multi-step form, the status page behind the secret link, the privacy notice."""

import functools

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pact_portal import ratelimit
from partnerships.models import Partnership
from partnerships.services import coordinator_can_manage

from . import selectors, services
from .forms import STEP_FORMS, AnswerForm, ResumeLinkForm, SupportRequestForm, WithdrawForm
from .models import EoiStatus, ExpressionOfInterest

STEP_NAMES = {
    1: gettext_lazy("Organisation"),
    2: gettext_lazy("Contact person"),
    3: gettext_lazy("Proposed partnership"),
    4: gettext_lazy("Review and submit"),
}


def error_page(request, status, title, message):
    return render(request, "support_services/error.html", {"title": title, "message": message}, status=status)


def too_many_requests(request):
    return error_page(
        request,
        429,
        _("Too many requests"),
        _(
            "We received too many requests from your address. Your data is safe; please wait a while "
            "and try again, or write to the support services."
        ),
    )


def limit_body(view):
    """Refuse request bodies larger than the forms can need (413), before Django parses them."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.EOI_MAX_REQUEST_BYTES:
            return error_page(
                request,
                413,
                _("Too much data"),
                _("The form sent more data than an application can hold. Shorten the longest answers."),
            )
        return view(request, *args, **kwargs)

    return wrapper


def spam_refused(request):
    return error_page(
        request,
        400,
        _("The form could not be accepted"),
        _("Please fill in the form again without automatic tools."),
    )


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _step_url(eoi, step):
    return f"{eoi.get_absolute_url()}?step={step}"


def _render_step(request, eoi, step, form, status=200):
    return render(
        request,
        "support_services/eoi_form.html",
        {
            "eoi": eoi,
            "step": step,
            "form": form,
            "steps": [
                (number, name, _step_url(eoi, number) if eoi and number <= eoi.last_step + 1 else None)
                for number, name in STEP_NAMES.items()
            ],
            "step_name": STEP_NAMES[step],
            "missing": services.eoi_missing_fields(eoi=eoi) if eoi and step == 4 else [],
            "privacy_notice_version": settings.PRIVACY_NOTICE_VERSION,
        },
        status=status,
    )


@never_cache
@limit_body
def eoi_start(request):
    """Step 1; a valid post creates the draft (once per idempotency key) and moves to its secret link."""
    form_class = STEP_FORMS[1]
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_spam():
            return spam_refused(request)
        if form.is_valid():
            if ratelimit.hit(request, bucket="eoi-submit", rate=settings.RATE_LIMIT_EOI_SUBMISSIONS):
                return too_many_requests(request)
            try:
                eoi, _created = services.eoi_start(
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    data=form.cleaned_data,
                    language=get_language() or settings.LANGUAGE_CODE,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return redirect(_step_url(eoi, 2))
        return _render_step(request, None, 1, form, status=200)
    return _render_step(request, None, 1, form_class(initial=form_class.initial_for(None)))


def _get_eoi(token):
    try:
        return selectors.eoi_by_token(token=token)
    except ExpressionOfInterest.DoesNotExist:
        raise Http404 from None


def _expired(request):
    return error_page(
        request,
        410,
        _("This draft has expired"),
        _("Drafts are kept for %(days)s days after they were last saved. Please start a new application.")
        % {"days": settings.EOI_DRAFT_EXPIRY_DAYS},
    )


@never_cache
@limit_body
def eoi_detail(request, token):
    """A draft: its steps. Anything else: the status page."""
    eoi = _get_eoi(token)
    if eoi.status != EoiStatus.DRAFT:
        if request.method == "POST":  # a retried or double submit: it is already done
            return redirect(eoi.get_absolute_url())
        return _status_page(request, eoi)
    if services.eoi_is_expired(eoi=eoi):
        return _expired(request)
    try:
        step = int(request.GET.get("step", ""))
    except ValueError:
        step = min(eoi.last_step + 1, 4)
    step = max(1, min(step, eoi.last_step + 1, 4))
    form_class = STEP_FORMS[step]
    if request.method != "POST":
        initial = form_class.initial_for(eoi) if hasattr(form_class, "initial_for") else {}
        return _render_step(request, eoi, step, form_class(initial=initial))

    form = form_class(request.POST)
    if form.is_spam():
        return spam_refused(request)
    if not form.is_valid():
        return _render_step(request, eoi, step, form)
    try:
        if step == 4:
            if ratelimit.hit(request, bucket="eoi-submit", rate=settings.RATE_LIMIT_EOI_SUBMISSIONS):
                return too_many_requests(request)
            eoi = services.eoi_submit(eoi=eoi, consent=form.cleaned_data["consent"])
            messages.success(
                request,
                _(
                    "Thank you. Your application %(reference)s has been submitted; we have sent a confirmation by e-mail."
                )
                % {"reference": eoi.reference},
            )
            return redirect(eoi.get_absolute_url())
        data = form.cleaned_data
        link_sent_to = eoi.resume_link_sent_to
        eoi = services.eoi_save_step(
            eoi=eoi,
            step=step,
            data=data,
            regions=data.get("regions") if step == 3 else None,
            ecosystems=data.get("ecosystems") if step == 3 else None,
        )
    except ValidationError as error:
        _add_errors(form, error)
        return _render_step(request, eoi, step, form)
    if step == 2 and eoi.resume_link_sent_to != link_sent_to:
        messages.info(
            request,
            _("We have sent a link to %(email)s: use it to come back to this application on any device.")
            % {"email": eoi.resume_link_sent_to},
        )
    return redirect(_step_url(eoi, step + 1))


def _status_page(request, eoi, answer_form=None, withdraw_form=None, status=200):
    can_withdraw, _reason = services.eoi_can_transition(eoi=eoi, to_status=EoiStatus.WITHDRAWN)
    return render(
        request,
        "support_services/eoi_status.html",
        {
            "eoi": eoi,
            "events": eoi.public_events,
            "answer_form": answer_form or AnswerForm(),
            "can_answer": eoi.status == EoiStatus.INFORMATION_REQUESTED,
            "withdraw_form": withdraw_form or WithdrawForm(),
            "can_withdraw": can_withdraw,
        },
        status=status,
    )


@require_POST
@never_cache
@limit_body
def eoi_answer(request, token):
    eoi = _get_eoi(token)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.eoi_answer(eoi=eoi, text=form.cleaned_data["text"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(eoi.get_absolute_url())
        messages.success(request, _("Thank you: your answer has been sent to the support services."))
        return redirect(eoi.get_absolute_url())
    return _status_page(request, eoi, answer_form=form)


@require_POST
@never_cache
@limit_body
def eoi_withdraw(request, token):
    eoi = _get_eoi(token)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.eoi_withdraw(eoi=eoi, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your application has been withdrawn."))
        return redirect(eoi.get_absolute_url())
    return _status_page(request, eoi, withdraw_form=form)


@limit_body
def eoi_resume(request):
    """Lost the link? Type the contact address and every open application's link is e-mailed again."""
    if request.method == "POST":
        form = ResumeLinkForm(request.POST)
        if form.is_spam():
            return spam_refused(request)
        if form.is_valid():
            if ratelimit.hit(request, bucket="eoi-resume", rate=settings.RATE_LIMIT_EOI_RESUME_LINKS):
                return too_many_requests(request)
            services.eoi_resend_links(email=form.cleaned_data["email"])
            # The same answer whether or not the address is known: no way to probe who applied.
            messages.info(
                request,
                _("If an open application uses this address, we have sent its link there."),
            )
            return redirect(reverse("support_services:eoi_resume"))
    else:
        form = ResumeLinkForm()
    return render(request, "support_services/eoi_resume.html", {"form": form})


def privacy(request):
    return render(
        request,
        "support_services/privacy.html",
        {
            "version": settings.PRIVACY_NOTICE_VERSION,
            "retention_days": settings.EOI_RETENTION_DAYS,
            "draft_days": settings.EOI_DRAFT_EXPIRY_DAYS,
            "confirm_days": settings.NEWSLETTER_CONFIRM_DAYS,
        },
    )


@never_cache
def staff_dashboard(request):
    """The support services' overview: what waits for them, with links into the admin."""
    context = {
        **admin.site.each_context(request),
        "title": _("Support services dashboard"),
        **selectors.staff_dashboard(),
    }
    return render(request, "support_services/staff_dashboard.html", context)


# The admin's own gate: staff only, and with STAFF_REQUIRE_2FA a session that gave its one-time code.
staff_dashboard = admin.site.admin_view(staff_dashboard)


# --- Coordinator area: support requests and the support record ------------------------------------------


def _coordinated(user):
    return Partnership.objects.filter(coordinator_access__user=user).order_by("name")


def _managed_partnership(request, slug):
    partnership = get_object_or_404(Partnership, slug=slug)
    if not coordinator_can_manage(user=request.user, partnership=partnership):
        raise Http404
    return partnership


@never_cache
@login_required
def coordinator_requests(request):
    return render(
        request,
        "support_services/coordinator/request_list.html",
        {
            "support_requests": selectors.coordinator_support_requests(user=request.user),
            "partnerships": _coordinated(request.user),
        },
    )


@never_cache
@login_required
def coordinator_request_new(request):
    partnerships = _coordinated(request.user)
    if request.method == "POST":
        posted = request.POST.get("partnership", "")
        if (
            posted.isascii()
            and posted.isdecimal()
            and Partnership.objects.filter(pk=posted).exists()
            and not partnerships.filter(pk=posted).exists()
        ):
            raise PermissionDenied
        form = SupportRequestForm(request.POST, partnerships=partnerships)
        if form.is_valid():
            try:
                services.support_request_create(
                    partnership=form.cleaned_data["partnership"],
                    user=request.user,
                    topic=form.cleaned_data["topic"],
                    stage=form.cleaned_data["stage"],
                    message=form.cleaned_data["message"],
                    language=get_language(),
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("Your request has been sent. The support services will answer here and by e-mail."),
                )
                return redirect("support_services:coordinator_requests")
    else:
        initial = {}
        if request.GET.get("partnership"):
            initial["partnership"] = _managed_partnership(request, request.GET["partnership"])
        form = SupportRequestForm(initial=initial, partnerships=partnerships)
    return render(
        request,
        "support_services/coordinator/request_form.html",
        {"form": form, "has_partnerships": partnerships.exists()},
    )


@never_cache
@login_required
def coordinator_record(request, slug):
    partnership = _managed_partnership(request, slug)
    return render(
        request,
        "support_services/coordinator/support_record.html",
        {"partnership": partnership, **selectors.coordinator_support_record(partnership=partnership)},
    )
