"""The applicant's pages: the multi-step form, the status page behind the secret link, the privacy notice."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pact_portal import antispam, ratelimit
from pact_portal.validators import show_on_form
from pact_portal.views import found_or_404

from ..forms.applications import STEP_FORMS, AnswerForm, ResumeLinkForm, WithdrawForm
from ..models.applications import EoiStatus
from ..selectors import applications as selectors
from ..services import applications as services
from ..workflows.applications import APPLICATION
from .common import error_page, limit_body, spam_refused, too_many_requests

STEP_NAMES = {
    1: gettext_lazy("Organisation"),
    2: gettext_lazy("Contact person"),
    3: gettext_lazy("Proposed partnership"),
    4: gettext_lazy("Review and submit"),
}


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
    if request.method == "POST" and "show_regions" in request.POST:
        return _render_step(request, None, 1, form_class.refreshed(request.POST))
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_spam():
            return spam_refused(request)
        if form.is_valid():
            if ratelimit.hit(request, bucket="eoi-submit", rate=settings.RATE_LIMIT_EOI_SUBMISSIONS):
                return too_many_requests(request)
            try:
                eoi, _created = services.eoi_start(
                    idempotency_key=_browser_bound_key(request, form.cleaned_data["idempotency_key"]),
                    data=form.cleaned_data,
                    language=get_language() or settings.LANGUAGE_CODE,
                )
            except ValidationError as error:
                show_on_form(form, error)
            else:
                return redirect(_step_url(eoi, 2))
        return _render_step(request, None, 1, form, status=200)
    return _render_step(request, None, 1, form_class(initial=form_class.initial_for(None)))


def _may_send_link(request, eoi, email):
    """Each change of the contact address sends the secret link: limited per client address, per application
    and per recipient (RATE_LIMIT_EOI_MAILS), so the form cannot be used to send mail in bulk."""
    rate = settings.RATE_LIMIT_EOI_MAILS
    over = [
        ratelimit.hit(request, bucket="eoi-mail", rate=rate),
        ratelimit.hit(request, bucket="eoi-mail-draft", rate=rate, key=eoi.token),
        ratelimit.hit(request, bucket="eoi-mail-to", rate=rate, key=email.strip().lower()),
    ]
    return not any(over)


def _browser_bound_key(request, client_key):
    """The draft's idempotency key, bound to this browser (see ``pact_portal.antispam.browser_bound_key``)."""
    return antispam.browser_bound_key(request, client_key, salt="eoi-idempotency")


def _get_eoi(token):
    return found_or_404(selectors.eoi_by_token, token=token)


def _expired(request):
    return error_page(
        request,
        410,
        _("This draft has expired"),
        _("Drafts are kept for %(days)s days after they were last saved. Please start a new application.")
        % {"days": settings.EOI_DRAFT_EXPIRY_DAYS},
        back=(reverse("support_services:eoi_start"), _("Back to the Expression of Interest")),
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

    if step == 1 and "show_regions" in request.POST:
        return _render_step(request, eoi, step, form_class.refreshed(request.POST))
    form = form_class(request.POST)
    if form.is_spam():
        return spam_refused(request)
    if not form.is_valid():
        return _render_step(request, eoi, step, form)
    if step < 4 and ratelimit.hit(request, bucket="eoi-step", rate=settings.RATE_LIMIT_EOI_STEPS):
        return too_many_requests(request)
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
        wants_link = services.eoi_will_send_resume_link(
            eoi=eoi, step=step, contact_email=data.get("contact_email")
        )
        may_mail = not wants_link or _may_send_link(request, eoi, data["contact_email"])
        eoi = services.eoi_save_step(
            eoi=eoi,
            step=step,
            data=data,
            regions=data.get("regions") if step == 3 else None,
            ecosystems=data.get("ecosystems") if step == 3 else None,
            send_resume_link=may_mail,
        )
    except ValidationError as error:
        show_on_form(form, error)
        return _render_step(request, eoi, step, form)
    if step == 2 and eoi.resume_link_sent_to != link_sent_to:
        messages.info(
            request,
            _("We have sent a link to %(email)s: use it to come back to this application on any device.")
            % {"email": eoi.resume_link_sent_to},
        )
    elif not may_mail:
        messages.warning(
            request,
            _(
                "Your changes are saved, but we sent no link to the new address: too many e-mails were sent for "
                "this application in the last hour. Keep this page's address to come back, or try again later."
            ),
        )
    return redirect(_step_url(eoi, step + 1))


def _status_page(request, eoi, answer_form=None, status=200):
    can_answer, _reason = APPLICATION.check(eoi, "answer")
    can_withdraw, _reason = APPLICATION.check(eoi, "withdraw")
    return render(
        request,
        "support_services/eoi_status.html",
        {
            "eoi": eoi,
            "events": eoi.public_events,
            "answer_form": answer_form or AnswerForm(),
            "can_answer": can_answer,
            "can_withdraw": can_withdraw,
        },
        status=status,
    )


def _status_form_post(request, eoi, form, *, act, done, form_name):
    """A form of the status page: an invalid one is shown again there; otherwise ``act(cleaned_data)``, and
    back to the status page with ``done`` or the refusal's reason."""
    if not form.is_valid():
        return _status_page(request, eoi, **{form_name: form})
    try:
        act(form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(eoi.get_absolute_url())


@require_POST
@never_cache
@limit_body
def eoi_answer(request, token):
    eoi = _get_eoi(token)
    return _status_form_post(
        request,
        eoi,
        AnswerForm(request.POST),
        act=lambda data: services.eoi_answer(eoi=eoi, text=data["text"]),
        done=_("Thank you: your answer has been sent to the support services."),
        form_name="answer_form",
    )


@never_cache
@limit_body
def eoi_withdraw(request, token):
    """GET: the confirmation page (it cannot be undone); POST from it: withdraw."""
    eoi = _get_eoi(token)
    can_withdraw, reason = APPLICATION.check(eoi, "withdraw")
    if request.method != "POST":
        if not can_withdraw:
            messages.error(request, reason)
            return redirect(eoi.get_absolute_url())
        return _withdraw_page(request, eoi, WithdrawForm())
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.eoi_withdraw(eoi=eoi, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your application has been withdrawn."))
        return redirect(eoi.get_absolute_url())
    return _withdraw_page(request, eoi, form)


def _withdraw_page(request, eoi, form):
    return render(request, "support_services/eoi_withdraw.html", {"eoi": eoi, "form": form})


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
