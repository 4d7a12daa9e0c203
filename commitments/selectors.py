"""Reads for the declaration pages: querysets shaped once, here."""

import re
import time

from django.db.models import Prefetch

from partnerships import selectors as partnership_selectors
from partnerships.models import CoordinatorAccess, Partnership, published_q

from .models import KPI, Declaration, KPIProgress, ReviewEvent, Signature


def signatures_in_order(declaration):
    return list(
        Signature.objects.filter(declaration=declaration)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def _kpis_with_progress():
    return KPI.objects.prefetch_related(
        Prefetch("progress", queryset=KPIProgress.objects.order_by("reported_on", "id"))
    )


def declaration_public(*, slug, version):
    """A signed (or superseded) declaration with everything its page shows, in a fixed number of queries."""
    return (
        Declaration.objects.public()
        .filter(published_q("partnership"), partnership__slug=slug, version=version)
        .select_related("partnership")
        .prefetch_related(
            "objectives",
            "actions__lead_organisation",
            Prefetch("kpis", queryset=_kpis_with_progress()),
            Prefetch(
                "signatures",
                queryset=Signature.objects.select_related("organisation").order_by("organisation__name"),
            ),
        )
        .get()
    )


# A public version's stored file and fingerprint never change, so each process remembers them briefly:
# a download then touches no database. The short lifetime bounds how long a partnership that is
# unpublished keeps its PDF downloadable; a name whose file is gone (a reset database) is forgotten by the view.
_PDF_MEMO = {}
PDF_MEMO_SECONDS = 60


def forget_pdf(*, slug, version):
    _PDF_MEMO.pop((slug, version), None)


def declaration_pdf_public(*, slug, version):
    """(stored file name, SHA-256) of a public declaration's signed PDF, or None."""
    key = (slug, version)
    memo = _PDF_MEMO.get(key)
    if memo is not None and memo[0] > time.monotonic():
        return memo[1]
    found = (
        Declaration.objects.public()
        .filter(published_q("partnership"), partnership__slug=slug, version=version)
        .values_list("pdf", "pdf_sha256")
        .first()
    )
    if found is not None:
        if len(_PDF_MEMO) > 10_000:
            _PDF_MEMO.clear()
        _PDF_MEMO[key] = (time.monotonic() + PDF_MEMO_SECONDS, found)
    return found


def normalise_verification_code(code):
    """A code as printed (XXXX-XXXX-XXXX) from what a person typed: any case, dashes or spaces or none."""
    raw = re.sub(r"[^0-9A-Za-z]", "", code or "").upper()
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == 12 else raw


def _public_with_signatures():
    return (
        Declaration.objects.public()
        .select_related("partnership")
        .prefetch_related(
            Prefetch(
                "signatures",
                queryset=Signature.objects.select_related("organisation").order_by("organisation__name"),
            )
        )
    )


def declaration_by_pdf_sha256(*, sha256):
    """The public declaration whose stored signed PDF has this SHA-256, or None."""
    return _public_with_signatures().filter(pdf_sha256=sha256).first() if sha256 else None


def declaration_by_code(*, code):
    return (
        Declaration.objects.public()
        .filter(verification_code=normalise_verification_code(code))
        .select_related("partnership")
        .prefetch_related(
            Prefetch(
                "signatures",
                queryset=Signature.objects.select_related("organisation").order_by("organisation__name"),
            )
        )
        .get()
    )


def partnership_public_declarations(*, partnership):
    """The signed versions of a partnership, newest first, with KPIs and progress (three queries)."""
    return list(
        partnership.declarations.public()
        .select_related("partnership")
        .order_by("-version")
        .prefetch_related(Prefetch("kpis", queryset=_kpis_with_progress()))
    )


def kpi_rows(kpis):
    """Pledge against delivery for each KPI: the latest reported value and the share of the target reached."""
    rows = []
    for kpi in kpis:
        reports = list(kpi.progress.all())
        latest = reports[-1] if reports else None
        span = kpi.target - kpi.baseline
        if latest is None or span <= 0:
            share = None
        else:
            share = max(0, min(100, round(float((latest.value - kpi.baseline) / span * 100))))
        rows.append({"kpi": kpi, "reports": reports, "latest": latest, "share": share})
    return rows


def coordinator_partnerships(*, user):
    return Partnership.objects.filter(
        pk__in=CoordinatorAccess.objects.filter(user=user).values("partnership_id")
    ).prefetch_related(Prefetch("declarations", queryset=Declaration.objects.order_by("-version")))


def coordinator_declaration(*, pk):
    return (
        Declaration.objects.select_related("partnership")
        .prefetch_related(
            "objectives",
            "actions__lead_organisation",
            Prefetch("kpis", queryset=_kpis_with_progress()),
            "signatories__organisation",
            "signatures__organisation",
            # The coordinator's history: internal entries are for the support services only.
            Prefetch("events", queryset=ReviewEvent.objects.filter(internal=False).select_related("actor")),
        )
        .get(pk=pk)
    )


def proposed_signatories(*, declaration):
    """{organisation id: e-mail} proposed as signatories of this version: the organisations that joined the
    partnership through a request accepted since the previous version was approved (see the partnerships'
    requests to join)."""
    previous = (
        Declaration.objects.filter(partnership_id=declaration.partnership_id, version__lt=declaration.version)
        .order_by("-version")
        .only("approved_at")
        .first()
    )
    return partnership_selectors.proposed_signatories(
        partnership=declaration.partnership, accepted_after=previous.approved_at if previous else None
    )
