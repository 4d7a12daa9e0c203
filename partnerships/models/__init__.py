"""The registry: ecosystems, NUTS regions, organisations, partnerships, memberships and stage history,
one module per domain; re-exported here so that ``from partnerships.models import X`` keeps working.

Hard invariants live in the database as constraints; rules that span rows live in ``clean()`` and
are enforced by the services in ``services.py``, which are the only writers.
"""

from .join_requests import (  # noqa: F401
    JoinRequest,
    JoinRequestStatus,
)
from .memberships import (  # noqa: F401
    CoordinatorAccess,
    Membership,
    MembershipRole,
    current_q,
)
from .organisations import (  # noqa: F401
    Organisation,
    StakeholderType,
)
from .partnerships import (  # noqa: F401
    STAGE_ORDER,
    DatePrecision,
    GeographicScope,
    Partnership,
    PartnershipKind,
    PledgedCommitment,
    PledgedTarget,
    PublishedLead,
    Stage,
    StageChange,
    partnership_fk,
    published_q,
)
from .reference import (  # noqa: F401
    EU_MEMBER_STATES,
    Ecosystem,
    Region,
    RegionBoundary,
)
from .search import SearchEntry  # noqa: F401
