"""Builders for organisations, partnerships and the people who use the portal (by role): through the services,
as the product does. Coordinators are granted on a partnership, hence users live here."""

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

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


# --- Users by role ------------------------------------------------------------------------------------

PASSWORD = "a-Long-test-Passphrase-9"
# What support-services staff work on in the admin: every permission of the portal's own apps.
STAFF_APPS = ("partnerships", "commitments", "support_services")


def make_user(*, username=None, password=PASSWORD, **fields):
    """A person with an account and no role (the password is PASSWORD unless given)."""
    username = username or f"user{next(_counter)}"
    fields.setdefault("email", f"{username}@example.eu" if "@" not in username else username)
    return get_user_model().objects.create_user(username=username, password=password, **fields)


def totp_code(device, offset=0):
    """The device's current one-time code (offset 1: a wrong one), as its authenticator app shows it."""
    from django_otp.oath import totp

    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits) + offset
    return f"{value:0{device.digits}d}"


def make_staff(*, username=None, apps=STAFF_APPS, permissions=(), **fields):
    """A support-services staff member: admin access, every permission of ``apps`` (none with ``apps=()``)
    and the ``permissions`` named as "app_label.codename"."""
    user = make_user(username=username or f"staff{next(_counter)}", is_staff=True, **fields)
    granted = Permission.objects.filter(content_type__app_label__in=apps)
    for name in permissions:
        app_label, codename = name.split(".")
        granted |= Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    user.user_permissions.add(*granted)
    return user


def make_superuser(*, username=None, **fields):
    return make_user(
        username=username or f"admin{next(_counter)}", is_staff=True, is_superuser=True, **fields
    )


def make_coordinator(partnership, **fields):
    """A new user who coordinates ``partnership``."""
    user = make_user(**fields)
    services.coordinator_grant(partnership=partnership, user=user)
    return user


def join_request_data(**overrides):
    """What the public form of a request to join would give the service (its cleaned data)."""
    from partnerships.models import Region

    data = {
        "organisation_name": "Istituto Tecnico Volta",
        "organisation_type": StakeholderType.VET_PROVIDER,
        "organisation_is_sme": None,
        "organisation_country": Region.objects.get(code="IT"),
        "organisation_website": "https://volta.example.org",
        "contribution": "Forty training places a year in industrial automation, and two trainers.",
        "contact_name": "Giulia Rossi",
        "contact_email": "giulia@volta.example.org",
    }
    data.update(overrides)
    return data


def make_join_request(partnership, **overrides):
    """A request to join ``partnership``, sent as the public form sends it."""
    join_request, _created = services.join_request_submit(
        partnership=partnership,
        idempotency_key=None,
        data=join_request_data(**overrides),
        consent=True,
    )
    return join_request
