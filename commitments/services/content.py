"""A declaration's content as data, its fingerprint, its readable text and its print layout (PDF)."""

import hashlib
import json

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from pact_portal.mail import absolute_url
from pact_portal.pdf import render_pdf

from ..models import CHARTER_PRINCIPLES


def declaration_content(declaration):
    """The declaration's content as plain data, in a fixed order: what signatories sign."""
    return {
        "partnership": {"slug": declaration.partnership.slug, "name": declaration.partnership.name},
        "version": declaration.version,
        "challenge": declaration.challenge,
        "ambition": declaration.ambition,
        "principles": {field: getattr(declaration, field) for field, _label in CHARTER_PRINCIPLES},
        "objectives": [o.text for o in declaration.objectives.all()],
        "actions": [
            {
                "what": a.what,
                "lead": a.lead_organisation.name if a.lead_organisation_id else "",
                "start": a.start.isoformat() if a.start else "",
                "end": a.end.isoformat() if a.end else "",
            }
            for a in declaration.actions.all()
        ],
        "kpis": [
            {
                "indicator": k.indicator,
                "unit": k.unit,
                "baseline": f"{k.baseline:.2f}",
                "target": f"{k.target:.2f}",
                "target_year": k.target_year,
            }
            for k in declaration.kpis.all()
        ],
    }


def declaration_fingerprint(declaration):
    """SHA-256 over the canonical JSON serialisation (sorted keys, no spaces, UTF-8) of the content."""
    canonical = json.dumps(
        declaration_content(declaration), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def declaration_text(declaration):
    """The content as readable lines, for the reviewers' diff against the previous version."""
    content = declaration_content(declaration)
    lines = [
        f"# {_('Skills challenge')}",
        content["challenge"],
        "",
        f"# {_('Ambition')}",
        content["ambition"],
    ]
    lines += ["", f"# {_('Charter principles')}"]
    lines += [f"[{'x' if getattr(declaration, f) else ' '}] {label}" for f, label in CHARTER_PRINCIPLES]
    lines += ["", f"# {_('Objectives')}"] + [f"- {text}" for text in content["objectives"]]
    lines += ["", f"# {_('Actions')}"]
    lines += [f"- {a['what']} | {a['lead']} | {a['start']} – {a['end']}" for a in content["actions"]]
    lines += ["", f"# {_('KPIs')}"]
    lines += [
        f"- {k['indicator']}: {k['baseline']} → {k['target']} {k['unit']} ({k['target_year']})"
        for k in content["kpis"]
    ]
    return "\n".join(lines).splitlines()


def verify_url(code):
    return absolute_url(reverse("commitments:verify", kwargs={"code": code}))


def declaration_pdf_context(declaration):
    from .. import selectors

    # A preview has no code yet: it prints where the code will appear, without a QR code.
    code = declaration.verification_code
    url = verify_url(code) if code else absolute_url("/verify/")
    return {
        "declaration": declaration,
        "objectives": list(declaration.objectives.all()),
        "actions": list(declaration.actions.select_related("lead_organisation")),
        "kpis": list(declaration.kpis.all()),
        "signatures": selectors.signatures_in_order(declaration),
        "verify_url": url,
        "qr_svg": segno.make(url, error="m").svg_data_uri(scale=3, border=1) if code else "",
        "PORTAL_URL": settings.PORTAL_URL,
    }


def declaration_render_pdf(declaration):
    """The print layout of the declaration (unsigned bytes), its labels in the language it was drafted in.
    Used for the stored PDF and the preview."""
    with translation.override(declaration.language):
        return render_pdf("pdf/declaration.html", declaration_pdf_context(declaration))


def pdf_matches(*, declaration, data):
    """Do these bytes equal the stored signed PDF of ``declaration``?"""
    return bool(declaration.pdf_sha256) and hashlib.sha256(data).hexdigest() == declaration.pdf_sha256
