"""Every write of the support services, one module per domain; re-exported here so that
``from support_services import services`` keeps working for other apps and tests."""

from .applications import (  # noqa: F401
    PERSONAL_FIELDS,
    REQUIRED_FOR_SUBMIT,
    eoi_accept,
    eoi_add_note,
    eoi_answer,
    eoi_assign,
    eoi_can_edit,
    eoi_can_transition,
    eoi_decline,
    eoi_is_expired,
    eoi_missing_fields,
    eoi_purge_personal_data,
    eoi_request_information,
    eoi_resend_links,
    eoi_save_step,
    eoi_start,
    eoi_start_assessment,
    eoi_submit,
    eoi_withdraw,
    organisation_problems,
    proposal_problems,
)
from .knowledge import (  # noqa: F401
    resource_create,
    resource_set_stages,
    resource_version_add,
    resource_version_prepare_file,
)
from .lifecycle import (  # noqa: F401
    KEEP,
    checklist_item_set_status,
    checklist_open_items,
    partnership_can_move_stage,
    partnership_move_stage,
    staff_assign,
    staff_unassign,
    support_activity_save,
)
from .newsletter import (  # noqa: F401
    CONFIRM_SALT,
    ip_hash,
    logger,
    newsletter_by_confirm_token,
    newsletter_confirm,
    newsletter_confirm_token,
    newsletter_purge_unconfirmed,
    newsletter_subscribe,
    newsletter_unsubscribe,
    send_newsletter,
)
from .support_requests import (  # noqa: F401
    TOPIC_ACTIVITY_KIND,
    support_request_answer,
    support_request_assign,
    support_request_can_transition,
    support_request_close,
    support_request_create,
)
