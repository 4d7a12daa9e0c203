"""The support services' forms, one module per domain; re-exported here for code outside the app."""

from .applications import (  # noqa: F401
    PHONE,
    STEP_FORMS,
    YES_NO,
    AnswerForm,
    ContactStepForm,
    OrganisationStepForm,
    ProposalStepForm,
    RegionChoiceField,
    RegionMultipleChoiceField,
    ResumeLinkForm,
    ReviewStepForm,
    WithdrawForm,
)
from .common import (  # noqa: F401
    LONG_TEXT,
    HoneypotMixin,
)
from .newsletter import (  # noqa: F401
    NewsletterForm,
    UnsubscribeForm,
)
from .support_requests import (  # noqa: F401
    SupportRequestForm,
)
