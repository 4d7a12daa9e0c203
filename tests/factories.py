"""Small builders for tests: they go through the services, as the product does."""

import itertools

from partnerships import services
from partnerships.models import Ecosystem, MembershipRole, StakeholderType

_counter = itertools.count(1)


def make_organisation(
    *,
    name=None,
    country="IT",
    region=None,
    stakeholder_type=StakeholderType.VET_PROVIDER,
    is_sme=None,
    **fields,
):
    if stakeholder_type == StakeholderType.COMPANY and is_sme is None:
        is_sme = True
    return services.organisation_create(
        name=name or f"Test organisation {next(_counter)}",
        country_code=country,
        region_code=region,
        stakeholder_type=stakeholder_type,
        is_sme=is_sme,
        **fields,
    )


def make_partnership(
    *,
    name=None,
    kind="rsp",
    scope=None,
    regions=("ITC4",),
    ecosystems=("digital",),
    members=0,
    is_published=True,
    **fields,
):
    scope = scope or ("eu_wide" if kind == "lsp" else "single_region")
    partnership = services.partnership_create(
        name=name or f"Test partnership {next(_counter)}",
        kind=kind,
        scope=scope,
        regions=regions if kind == "rsp" else (),
        ecosystems=Ecosystem.objects.filter(slug__in=ecosystems),
        is_published=is_published,
        **fields,
    )
    for i in range(members):
        services.membership_add(
            partnership=partnership,
            organisation=make_organisation(region="ITC4"),
            role=MembershipRole.COORDINATOR if i == 0 else MembershipRole.MEMBER,
        )
    return partnership
