"""Every write to a declaration goes through these functions (keyword-only, named <noun>_<verb>).

One module per concern: ``content`` (the content, its fingerprint and PDF), ``drafting``, ``review``
(the transitions, declared in ``commitments.workflows`` and run by ``pact_portal.workflow``),
``signatures`` and ``progress``. Import from here: ``from commitments import services``.
"""

from .. import signing
from .content import (
    declaration_content,
    declaration_fingerprint,
    declaration_pdf_context,
    declaration_render_pdf,
    declaration_text,
    pdf_matches,
    verify_url,
)
from .drafting import OPEN_STATUSES, declaration_add_kpi, declaration_create, declaration_save_content
from .history import review_event_write
from .progress import kpi_progress_can_report, kpi_progress_report
from .review import (
    declaration_approve,
    declaration_can_transition,
    declaration_comment,
    declaration_countersign,
    declaration_request_changes,
    declaration_submit,
    declaration_withdraw,
)
from .signatures import (
    signatories_set,
    signatory_can_be_chosen,
    signatory_send_link,
    signature_record,
    signature_sign_online,
    signing_link_check,
    signing_link_signature,
    validate_scanned_pdf,
)


def __getattr__(name):
    # The transition table lives with the workflow, which imports this package: read it lazily.
    if name in ("TRANSITIONS", "DECLARATION"):
        from .. import workflows

        return getattr(workflows, name)
    raise AttributeError(name)


__all__ = [
    "OPEN_STATUSES",
    "declaration_add_kpi",
    "declaration_approve",
    "declaration_can_transition",
    "declaration_comment",
    "declaration_content",
    "declaration_countersign",
    "declaration_create",
    "declaration_fingerprint",
    "declaration_pdf_context",
    "declaration_render_pdf",
    "declaration_request_changes",
    "declaration_save_content",
    "declaration_submit",
    "declaration_text",
    "declaration_withdraw",
    "kpi_progress_can_report",
    "kpi_progress_report",
    "pdf_matches",
    "review_event_write",
    "signatories_set",
    "signatory_can_be_chosen",
    "signatory_send_link",
    "signature_record",
    "signature_sign_online",
    "signing",
    "signing_link_check",
    "signing_link_signature",
    "validate_scanned_pdf",
    "verify_url",
]
