"""Public declaration pages, verification, signing links, and the coordinator's declaration pages."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pact_portal import ratelimit
from pact_portal.views import found_or_404
from partnerships.models import Partnership, current_q
from partnerships.services import coordinator_can_manage

from . import selectors, services
from .forms import (
    MAX_ROWS_ADDED,
    ActionFormSet,
    DeclarationForm,
    KPIFormSet,
    KPIProgressForm,
    ObjectiveFormSet,
    SignatoriesForm,
    SignForm,
    VerifyCodeForm,
    VerifyUploadForm,
    formset_with_more_rows,
    rows_to_add,
)
from .models import CHARTER_PRINCIPLES, KPI, Declaration, DeclarationStatus

# --- Public -------------------------------------------------------------------------------------


def declaration_detail(request, slug, version):
    declaration = found_or_404(selectors.declaration_public, slug=slug, version=version)
    return render(
        request,
        "commitments/declaration_detail.html",
        {"declaration": declaration, "kpi_rows": selectors.kpi_rows(declaration.kpis.all())},
    )


def declaration_pdf(request, slug, version):
    """The stored signed bytes, never re-rendered; the ETag is their SHA-256."""
    found = selectors.declaration_pdf_public(slug=slug, version=version)
    if found is None:
        raise Http404
    name, sha256 = found
    etag = f'"{sha256}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag})
    try:
        stored = default_storage.open(name, "rb")
    except FileNotFoundError:
        selectors.forget_pdf(slug=slug, version=version)
        found = selectors.declaration_pdf_public(slug=slug, version=version)
        if found is None:
            raise Http404 from None
        name, sha256 = found
        etag = f'"{sha256}"'
        stored = default_storage.open(name, "rb")
    response = FileResponse(
        stored,
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{slug}-declaration-v{version}.pdf",
    )
    response.block_size = 64 * 1024
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=86400"
    return response


UNKNOWN_CODE = gettext_lazy(
    "No signed declaration has this verification code. Check the code printed on the PDF and try again."
)


def _uploaded_sha256(upload):
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def _verify_result(request, declaration, *, form, result=None):
    # The declaration's pages answer 404 while its partnership is unpublished: then this page links to
    # none of them and shows neither the partnership's name nor its signatories, only the document's facts.
    listed = declaration.partnership.is_published
    newer = None
    if listed and declaration.is_superseded:
        newer = declaration.partnership.declarations.signed().order_by("-version").first()
    return render(
        request,
        "commitments/verify.html",
        {
            "declaration": declaration,
            "listed": listed,
            "code": declaration.verification_code,
            "form": form,
            "result": result,
            "newer": newer,
        },
    )


def verify_start(request):
    """/verify/: a code typed in any case, with or without dashes, or a PDF uploaded to find its declaration."""
    code_form = VerifyCodeForm(request.GET if "code" in request.GET else None)
    upload_form = VerifyUploadForm()
    if code_form.is_bound and code_form.is_valid():
        try:
            declaration = selectors.declaration_by_code(code=code_form.cleaned_data["code"])
        except Declaration.DoesNotExist:
            code_form.add_error(
                "code",
                UNKNOWN_CODE,
            )
        else:
            return redirect("commitments:verify", code=declaration.verification_code)
    if request.method == "POST":
        if ratelimit.hit(request, bucket="verify-upload", rate=settings.RATE_LIMIT_VERIFY_UPLOADS):
            return ratelimit.too_many_requests(request)
        upload_form = VerifyUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            found = selectors.declaration_by_pdf_sha256(
                sha256=_uploaded_sha256(upload_form.cleaned_data["file"])
            )
            if found is not None:
                return _verify_result(request, found, form=VerifyUploadForm(), result=True)
            upload_form.add_error(
                "file",
                _(
                    "This file matches no signed declaration stored on the portal: it was altered, or it is "
                    "another document."
                ),
            )
    return render(
        request,
        "commitments/verify_start.html",
        {
            "code_form": code_form,
            "upload_form": upload_form,
            "failed": code_form.errors or upload_form.errors,
        },
    )


def verify(request, code):
    if request.method == "POST" and ratelimit.hit(
        request, bucket="verify-upload", rate=settings.RATE_LIMIT_VERIFY_UPLOADS
    ):
        return ratelimit.too_many_requests(request)
    try:
        declaration = selectors.declaration_by_code(code=code)
    except Declaration.DoesNotExist:
        code_form = VerifyCodeForm({"code": code})
        code_form.is_valid()
        code_form.add_error(
            "code",
            UNKNOWN_CODE,
        )
        return render(
            request,
            "commitments/verify_start.html",
            {"code_form": code_form, "upload_form": VerifyUploadForm(), "failed": True},
            status=404,
        )
    if request.method == "GET" and code != declaration.verification_code:
        return redirect("commitments:verify", code=declaration.verification_code)
    result = None
    form = VerifyUploadForm()
    if request.method == "POST":
        form = VerifyUploadForm(request.POST, request.FILES)
        if form.is_valid():
            result = _uploaded_sha256(form.cleaned_data["file"]) == declaration.pdf_sha256
    return _verify_result(request, declaration, form=form, result=result)


@never_cache  # a personal link: no shared cache may keep the page
def sign(request, token):
    if request.method == "POST" and ratelimit.hit(request, bucket="sign", rate=settings.RATE_LIMIT_SIGNING):
        return ratelimit.too_many_requests(request)
    signatory, reason = services.signing_link_check(token=token)
    if signatory is None:
        signature = services.signing_link_signature(token=token)
        if signature is not None:
            return render(request, "commitments/sign_already.html", {"signature": signature})
        return render(request, "commitments/sign_invalid.html", {"reason": reason}, status=410)
    declaration = selectors.coordinator_declaration(pk=signatory.declaration_id)
    form = SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.signature_sign_online(
                token=token,
                name=form.cleaned_data["name"],
                title=form.cleaned_data["title"],
                statement_accepted=form.cleaned_data["statement"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(
                request, "commitments/sign_done.html", {"declaration": declaration, "signatory": signatory}
            )
    return render(
        request,
        "commitments/sign.html",
        {
            "declaration": declaration,
            "signatory": signatory,
            "form": form,
            "fingerprint": declaration.approved_fingerprint,
            "signatures": declaration.signatures.all(),
        },
    )


# --- Coordinator area: declarations -----------------------------------------------------------------


def _managed_partnership(request, slug):
    partnership = get_object_or_404(Partnership, slug=slug)
    if not coordinator_can_manage(user=request.user, partnership=partnership):
        raise Http404
    return partnership


def _managed_declaration(request, pk):
    declaration = found_or_404(selectors.coordinator_declaration, pk=pk)
    if not coordinator_can_manage(user=request.user, partnership=declaration.partnership):
        raise Http404
    return declaration


@login_required
def coordinator_dashboard(request):
    partnerships = selectors.coordinator_partnerships(user=request.user)
    return render(request, "commitments/coordinator/dashboard.html", {"partnerships": partnerships})


@login_required
@require_POST
def coordinator_declaration_create(request, slug):
    partnership = _managed_partnership(request, slug)
    try:
        declaration = services.declaration_create(partnership=partnership, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("commitments:coordinator_dashboard")
    return redirect("commitments:coordinator_declaration_edit", pk=declaration.pk)


@login_required
def coordinator_declaration(request, pk):
    declaration = _managed_declaration(request, pk)
    can_submit, submit_reason = services.declaration_can_transition(
        declaration=declaration, to_status=DeclarationStatus.SUBMITTED
    )
    return render(
        request,
        "commitments/coordinator/declaration.html",
        {
            "declaration": declaration,
            "can_submit": can_submit,
            "submit_reason": submit_reason,
            "signed_ids": {s.signatory_id for s in declaration.signatures.all()},
            "kpi_rows": selectors.kpi_rows(declaration.kpis.all()),
        },
    )


def _organisations(partnership):
    from partnerships.models import Organisation

    return Organisation.objects.filter(
        current_q("memberships"), memberships__partnership=partnership
    ).order_by("name")


@login_required
def coordinator_declaration_edit(request, pk):
    declaration = _managed_declaration(request, pk)
    if not declaration.is_editable:
        messages.error(request, _("This version can no longer be edited."))
        return redirect("commitments:coordinator_declaration", pk=pk)
    organisations = _organisations(declaration.partnership)
    if request.method == "POST" and request.POST.get("add_rows"):
        # "Add rows": the same page again with more empty rows in one formset, nothing saved.
        data, adding = request.POST, request.POST["add_rows"]
        form = DeclarationForm(
            initial={
                "challenge": data.get("challenge", ""),
                "ambition": data.get("ambition", ""),
                "principles": data.getlist("principles"),
            }
        )

        def more(formset_class, prefix, **kwargs):
            extra = rows_to_add(data, prefix) if adding == prefix else 0
            return formset_with_more_rows(formset_class, data, prefix=prefix, more=extra, **kwargs)

        objectives = more(ObjectiveFormSet, "objectives")
        actions = more(ActionFormSet, "actions", form_kwargs={"organisations": organisations})
        kpis = more(KPIFormSet, "kpis")
    elif request.method == "POST":
        form = DeclarationForm(request.POST)
        objectives = ObjectiveFormSet(request.POST, prefix="objectives")
        actions = ActionFormSet(request.POST, prefix="actions", form_kwargs={"organisations": organisations})
        kpis = KPIFormSet(request.POST, prefix="kpis")
        if all(f.is_valid() for f in (form, objectives, actions, kpis)):

            def kept(formset):
                return [
                    f.cleaned_data for f in formset if f.cleaned_data and not f.cleaned_data.get("DELETE")
                ]

            try:
                services.declaration_save_content(
                    declaration=declaration,
                    actor=request.user,
                    challenge=form.cleaned_data["challenge"],
                    ambition=form.cleaned_data["ambition"],
                    principles=set(form.cleaned_data["principles"]),
                    objectives=[row["text"] for row in kept(objectives)],
                    actions=[
                        {k: row[k] for k in ("what", "lead_organisation", "start", "end")}
                        for row in kept(actions)
                    ],
                    kpis=[
                        {k: row[k] for k in ("indicator", "unit", "baseline", "target", "target_year")}
                        for row in kept(kpis)
                    ],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Declaration saved."))
                return redirect("commitments:coordinator_declaration", pk=pk)
    else:
        form = DeclarationForm(
            initial={
                "challenge": declaration.challenge,
                "ambition": declaration.ambition,
                "principles": [f for f, _label in CHARTER_PRINCIPLES if getattr(declaration, f)],
            }
        )
        objectives = ObjectiveFormSet(
            prefix="objectives", initial=[{"text": o.text} for o in declaration.objectives.all()]
        )
        actions = ActionFormSet(
            prefix="actions",
            form_kwargs={"organisations": organisations},
            initial=[
                {"what": a.what, "lead_organisation": a.lead_organisation, "start": a.start, "end": a.end}
                for a in declaration.actions.all()
            ],
        )
        kpis = KPIFormSet(
            prefix="kpis",
            initial=[
                {
                    "indicator": k.indicator,
                    "unit": k.unit,
                    "baseline": k.baseline,
                    "target": k.target,
                    "target_year": k.target_year,
                }
                for k in declaration.kpis.all()
            ],
        )
    return render(
        request,
        "commitments/coordinator/declaration_form.html",
        {
            "declaration": declaration,
            "form": form,
            "objectives": objectives,
            "actions": actions,
            "kpis": kpis,
            "max_rows_added": MAX_ROWS_ADDED,
        },
    )


@login_required
def coordinator_declaration_preview(request, pk):
    """The declaration exactly as it will print (the same template and helper as the stored PDF)."""
    declaration = _managed_declaration(request, pk)
    if declaration.pdf:
        return redirect(declaration.get_pdf_url())
    response = HttpResponse(services.declaration_render_pdf(declaration), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="preview-v{declaration.version}.pdf"'
    return response


@login_required
@require_POST
def coordinator_declaration_submit(request, pk):
    declaration = _managed_declaration(request, pk)
    try:
        services.declaration_submit(declaration=declaration, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Submitted for review. The support services will get back to you."))
    return redirect("commitments:coordinator_declaration", pk=pk)


@login_required
def coordinator_signatories(request, pk):
    declaration = _managed_declaration(request, pk)
    if not declaration.is_approved:
        raise PermissionDenied
    memberships = (
        declaration.partnership.memberships.current()
        .select_related("organisation")
        .order_by("-is_lead", "organisation__name")
    )
    current = {s.organisation_id: s.email for s in declaration.signatories.all()}
    # Organisations accepted through a request to join are proposed, with their contact's address.
    proposed = selectors.proposed_signatories(declaration=declaration)
    form = SignatoriesForm(
        request.POST or None, memberships=memberships, initial_emails={**proposed, **current}
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.signatories_set(
                declaration=declaration, actor=request.user, choices=form.choices()
            )
            for signatory in created:
                services.signatory_send_link(signatory=signatory, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Signing link sent to %(count)d signatory.",
                    "Signing links sent to %(count)d signatories.",
                    len(created),
                )
                % {"count": len(created)},
            )
            return redirect("commitments:coordinator_declaration", pk=pk)
    return render(
        request, "commitments/coordinator/signatories_form.html", {"declaration": declaration, "form": form}
    )


@login_required
@require_POST
def coordinator_signatory_resend(request, pk, signatory_pk):
    declaration = _managed_declaration(request, pk)
    signatory = get_object_or_404(declaration.signatories, pk=signatory_pk)
    try:
        services.signatory_send_link(signatory=signatory, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A new signing link was sent to %(email)s.") % {"email": signatory.email})
    return redirect("commitments:coordinator_declaration", pk=pk)


@login_required
def coordinator_kpi_progress(request, pk, kpi_pk):
    declaration = _managed_declaration(request, pk)
    kpi = get_object_or_404(KPI.objects.select_related("declaration"), pk=kpi_pk, declaration=declaration)
    form = KPIProgressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.kpi_progress_report(kpi=kpi, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Progress recorded."))
            return redirect("commitments:coordinator_declaration", pk=pk)
    return render(
        request,
        "commitments/coordinator/kpi_progress_form.html",
        {"declaration": declaration, "kpi": kpi, "form": form},
    )
