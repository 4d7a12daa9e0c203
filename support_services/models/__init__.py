"""The support services' models, one module per domain; re-exported here so that
``from support_services.models import X`` (other apps, migrations, tests) keeps working."""

from .applications import (  # noqa: F401
    OPEN_STATUSES,
    RSP_SCOPES,
    STEP_FIELDS,
    EoiEvent,
    EoiEventKind,
    EoiReferenceCounter,
    EoiStatus,
    ExpressionOfInterest,
    new_token,
)
from .events import (  # noqa: F401
    MATERIAL_MAX_BYTES,
    Event,
    EventAttendance,
    EventKind,
    EventMaterial,
    validate_material_file,
)
from .knowledge import (  # noqa: F401
    RESOURCE_LANGUAGE_CODES,
    RESOURCE_LANGUAGES,
    FundingStatus,
    Resource,
    ResourceKind,
    ResourceStage,
    ResourceVersion,
    resource_file_path,
)
from .lifecycle import (  # noqa: F401
    CHECKLIST_CLOSED,
    SUPPORT_STAGES,
    ChecklistItem,
    ChecklistStatus,
    PartnershipChecklistItem,
    PartnershipSupport,
    StaffAssignment,
    StaffAssignmentAction,
    StaffAssignmentEvent,
    SupportActivity,
    SupportActivityKind,
)
from .newsletter import (  # noqa: F401
    NewsletterSubscription,
    SubscriptionStatus,
)
from .support_requests import (  # noqa: F401
    TOPIC_ACTIVITY_KIND,
    SupportRequest,
    SupportRequestStatus,
    SupportTopic,
)
