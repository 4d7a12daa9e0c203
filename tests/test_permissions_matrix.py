"""Who may open what: every portal URL × every role → the expected status.

Adding a URL means adding one ``Row`` to ``MATRIX`` (``test_every_named_portal_url_is_in_the_matrix`` fails
until then). A row names the URL pattern, builds the address from the test world ``w``, and gives the
expected status for each role, most often through one of the shorthands below (``PUBLIC``, ``STAFF_ONLY`` …)
with the exceptions written out.

Statuses: 200 page; 302 redirect (``LOGIN`` / ``ADMIN_LOGIN`` also check where to); 403 refused; 404 hidden
(object-level: a coordinator of another partnership is told nothing exists); 405 wrong method; 410 gone.
"""

import dataclasses
import datetime
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from support_services.models import EoiStatus, Event, EventKind
from support_services.services import newsletter_confirm_token, newsletter_subscribe
from tests.commitments.builders import invite_all, make_approved, make_draft, make_signed
from tests.partnerships.builders import (
    make_coordinator,
    make_join_request,
    make_partnership,
    make_staff,
    make_superuser,
)
from tests.support_services.builders import make_eoi_submitted, make_resource

ROLES = ("anonymous", "applicant", "coordinator_a", "coordinator_b", "signatory", "staff", "superuser")

LOGIN = "login"  # 302 to /accounts/login/?next=…
ADMIN_LOGIN = "admin_login"  # 302 to /admin/login/?next=…


def roles(default, **exceptions):
    unknown = set(exceptions) - set(ROLES)
    assert not unknown, unknown
    return {role: exceptions.get(role, default) for role in ROLES}


PUBLIC = roles(200)
# Capability links: whoever holds the link may use it (the token is the credential).
LINK = roles(200)
# Staff pages guarded by staff_member_required / the admin: everyone else goes to the admin login.
STAFF_ONLY = roles(ADMIN_LOGIN, staff=200, superuser=200)
# Coordinator pages for partnership A's objects: A's coordinator only; everyone else logged in sees 404.
A_ONLY = roles(404, anonymous=LOGIN, applicant=LOGIN, signatory=LOGIN, coordinator_a=200)
POST_ONLY = roles(405)
LOGGED_IN = roles(200, anonymous=LOGIN, applicant=LOGIN, signatory=LOGIN)


@dataclasses.dataclass(frozen=True)
class Row:
    name: str  # the URL's name, with its namespace ("partnerships:list"), or "admin:…" for admin pages
    url: Callable  # world → address
    expected: dict
    method: str = "get"
    data: dict = dataclasses.field(default_factory=dict)
    label: str = ""


def admin_list(model, **exceptions):
    return Row(
        f"admin:{model.replace('.', '_')}_changelist",
        lambda w, m=model: f"/admin/{m.replace('.', '/')}/",
        roles(ADMIN_LOGIN, **{"staff": 403, "superuser": 200, **exceptions}),
    )


def not_found(name, url, label):
    """A row whose address names nothing the visitor may see (a guessed token, an unpublished page): 404
    for every role."""
    return Row(name, url, roles(404), label=label)


MATRIX = [
    # --- Public registry, exports, operations ------------------------------------------------------
    Row("partnerships:home", lambda w: "/", PUBLIC),
    Row("partnerships:list", lambda w: "/partnerships/", PUBLIC),
    Row("partnerships:map", lambda w: "/partnerships/map/", PUBLIC),
    Row("partnerships:export_csv", lambda w: "/partnerships/export.csv", PUBLIC),
    Row("partnerships:export_json", lambda w: "/partnerships/export.json", PUBLIC),
    Row("partnerships:feed", lambda w: "/partnerships/feed/", PUBLIC),
    Row("partnerships:detail", lambda w: f"/partnerships/{w.a.slug}/", PUBLIC),
    Row("partnerships:organisations", lambda w: "/organisations/", PUBLIC),
    Row("partnerships:organisation", lambda w: f"/organisations/{w.organisation.slug}/", PUBLIC),
    Row("partnerships:region", lambda w: "/regions/ITC4/", PUBLIC),
    Row("partnerships:ecosystem", lambda w: "/ecosystems/digital/", PUBLIC),
    Row("partnerships:statistics", lambda w: "/statistics/", PUBLIC),
    # --- Requests to join a partnership -------------------------------------------------------------------
    Row("partnerships:join_request", lambda w: f"/partnerships/{w.a.slug}/join/", PUBLIC),
    not_found("partnerships:join_request", lambda w: f"/partnerships/{w.hidden.slug}/join/", "unpublished"),
    Row("partnerships:join_request_status", lambda w: f"/join-requests/{w.join_request.token}/", LINK),
    not_found("partnerships:join_request_status", lambda w: f"/join-requests/{'z' * 43}/", "guessed token"),
    Row("partnerships:sitemap", lambda w: "/sitemap.xml", PUBLIC),
    Row("partnerships:sitemap_section", lambda w: "/sitemap-partnerships.xml", PUBLIC),
    Row("healthz", lambda w: "/healthz", PUBLIC),
    Row("set_language", lambda w: "/i18n/setlang/", roles(302), method="post", data={"language": "fr"}),
    Row("support_services:privacy", lambda w: "/privacy/", PUBLIC),
    Row("accessibility", lambda w: "/accessibility/", PUBLIC),
    # --- Knowledge for partnerships, events, newsletter -------------------------------------------------
    Row("support_services:resource_list", lambda w: "/resources/", PUBLIC),
    Row("support_services:resource_detail", lambda w: f"/resources/{w.resource.slug}/", PUBLIC),
    Row("support_services:resource_download", lambda w: f"/resources/{w.resource.slug}/en/download/", PUBLIC),
    not_found(
        "support_services:resource_detail",
        lambda w: f"/resources/{w.unpublished.slug}/",
        "unpublished resource",
    ),
    Row("support_services:kpi_repository", lambda w: "/resources/kpis/", PUBLIC),
    # Copying a KPI is a POST into one's own draft; a GET is refused for the logged in.
    Row(
        "support_services:kpi_copy",
        lambda w: "/resources/kpis/copy/",
        {**LOGGED_IN, **roles(405, **dict.fromkeys(("anonymous", "applicant", "signatory"), LOGIN))},
    ),
    Row("events:index", lambda w: "/events/", PUBLIC),
    Row("events:calendar", lambda w: "/events/calendar.ics", PUBLIC),
    Row("events:detail", lambda w: f"/events/{w.event.slug}/", PUBLIC),
    Row("events:ics", lambda w: f"/events/{w.event.slug}/event.ics", PUBLIC),
    not_found("events:material", lambda w: f"/events/{w.event.slug}/materials/0/", "no material"),
    Row("newsletter:subscribe", lambda w: "/newsletter/", PUBLIC),
    Row("newsletter:confirm", lambda w: f"/newsletter/confirm/{w.newsletter_confirm}/", LINK),
    Row("newsletter:unsubscribe", lambda w: f"/newsletter/unsubscribe/{w.newsletter.token}/", LINK),
    # --- Declarations: public pages, verification, signing links ---------------------------------------
    Row("commitments:declaration", lambda w: f"/declarations/{w.a.slug}/v{w.signed.version}/", PUBLIC),
    Row(
        "commitments:declaration_pdf", lambda w: f"/declarations/{w.a.slug}/v{w.signed.version}/pdf/", PUBLIC
    ),
    Row("commitments:verify", lambda w: f"/verify/{w.signed.verification_code}/", PUBLIC),
    not_found("commitments:verify", lambda w: "/verify/NOSUCHCODE/", "unknown code"),
    Row("commitments:verify_start", lambda w: "/verify/", PUBLIC),
    Row("commitments:verify_start", lambda w: "/verify/?code=NOSUCHCODE", PUBLIC, label="unknown code"),
    Row("commitments:sign", lambda w: f"/sign/{w.sign_token}/", LINK),
    Row("commitments:sign", lambda w: f"/sign/{'x' * 43}/", roles(410), label="guessed token"),
    # --- Expressions of Interest -------------------------------------------------------------------------
    Row("support_services:eoi_start", lambda w: "/expression-of-interest/", PUBLIC),
    Row("support_services:eoi_resume", lambda w: "/expression-of-interest/resume/", PUBLIC),
    Row("support_services:eoi_detail", lambda w: f"/expression-of-interest/{w.eoi.token}/", LINK),
    not_found(
        "support_services:eoi_detail", lambda w: f"/expression-of-interest/{'y' * 43}/", "guessed token"
    ),
    # Answer only takes the form posted from the status page (tested in support_services).
    Row("support_services:eoi_answer", lambda w: f"/expression-of-interest/{w.eoi.token}/answer/", POST_ONLY),
    # Withdraw: GET is the confirmation page, for whoever holds the link.
    Row("support_services:eoi_withdraw", lambda w: f"/expression-of-interest/{w.eoi.token}/withdraw/", LINK),
    not_found(
        "support_services:eoi_withdraw",
        lambda w: f"/expression-of-interest/{'y' * 43}/withdraw/",
        "guessed token",
    ),
    Row("support_services:staff_dashboard", lambda w: "/support/dashboard/", STAFF_ONLY),
    # --- Coordinator area (partnership A's objects) ----------------------------------------------------
    Row("commitments:coordinator_dashboard", lambda w: "/coordinator/", LOGGED_IN),
    Row("partnerships:coordinator_partnership", lambda w: f"/coordinator/partnerships/{w.a.slug}/", A_ONLY),
    Row(
        "partnerships:coordinator_members", lambda w: f"/coordinator/partnerships/{w.a.slug}/members/", A_ONLY
    ),
    Row(
        "commitments:coordinator_declaration_create",
        lambda w: f"/coordinator/partnerships/{w.a.slug}/declarations/new/",
        roles(405, anonymous=LOGIN, applicant=LOGIN, signatory=LOGIN),  # a POST creates it
    ),
    Row("commitments:coordinator_declaration", lambda w: f"/coordinator/declarations/{w.signed.pk}/", A_ONLY),
    Row(
        "commitments:coordinator_declaration_edit",
        lambda w: f"/coordinator/declarations/{w.draft.pk}/edit/",
        A_ONLY,
    ),
    Row(
        "commitments:coordinator_declaration_preview",
        lambda w: f"/coordinator/declarations/{w.draft.pk}/preview.pdf",
        A_ONLY,
    ),
    Row(
        "commitments:coordinator_declaration_submit",
        lambda w: f"/coordinator/declarations/{w.draft.pk}/submit/",
        {**A_ONLY, "coordinator_a": 302},  # submitted, back to the declaration page
        method="post",
    ),
    Row(
        "commitments:coordinator_signatories",
        lambda w: f"/coordinator/declarations/{w.signed.pk}/signatories/",
        {**A_ONLY, "coordinator_a": 403},  # allowed to manage A, but a signed declaration's list is closed
    ),
    Row(
        "commitments:coordinator_signatory_resend",
        lambda w: f"/coordinator/declarations/{w.signed.pk}/signatories/{w.signatory.pk}/resend/",
        {**A_ONLY, "coordinator_a": 302},  # nothing to resend once signed: back with a message
        method="post",
    ),
    Row(
        "partnerships:coordinator_join_requests",
        lambda w: f"/coordinator/partnerships/{w.a.slug}/join-requests/",
        A_ONLY,
    ),
    Row(
        "partnerships:coordinator_join_request_decide",
        # Declining without a message changes nothing: A's coordinator is sent back with the reason.
        lambda w: f"/coordinator/partnerships/{w.a.slug}/join-requests/{w.join_request.pk}/decline/",
        {**A_ONLY, "coordinator_a": 302},
        method="post",
    ),
    Row(
        "partnerships:coordinator_join_request_decide",
        lambda w: f"/coordinator/partnerships/{w.a.slug}/join-requests/{w.join_request.pk}/decline/",
        {**A_ONLY, **roles(405, anonymous=LOGIN, applicant=LOGIN, signatory=LOGIN)},
        label="GET",
    ),
    Row("support_services:coordinator_requests", lambda w: "/coordinator/support/", LOGGED_IN),
    Row("support_services:coordinator_request_new", lambda w: "/coordinator/support/new/", LOGGED_IN),
    Row("support_services:coordinator_record", lambda w: f"/coordinator/support/{w.a.slug}/", A_ONLY),
    Row(
        "commitments:coordinator_kpi_progress",
        lambda w: f"/coordinator/declarations/{w.signed.pk}/kpis/{w.kpi.pk}/progress/",
        A_ONLY,
    ),
    # --- Accounts -------------------------------------------------------------------------------------
    Row("login", lambda w: "/accounts/login/", PUBLIC),
    Row("logout", lambda w: "/accounts/logout/", roles(302), method="post"),
    Row("password_change", lambda w: "/accounts/password_change/", LOGGED_IN),
    Row("password_change_done", lambda w: "/accounts/password_change/done/", LOGGED_IN),
    Row("password_reset", lambda w: "/accounts/password_reset/", PUBLIC),
    Row("password_reset_done", lambda w: "/accounts/password_reset/done/", PUBLIC),
    Row("password_reset_confirm", lambda w: "/accounts/reset/MQ/not-a-valid-token/", PUBLIC),
    Row("password_reset_complete", lambda w: "/accounts/reset/done/", PUBLIC),
    # --- Admin (support-services workspace) -------------------------------------------------------------
    Row("admin:index", lambda w: "/admin/", STAFF_ONLY),
    admin_list("support_services.expressionofinterest", staff=200),
    admin_list("partnerships.partnership"),
    admin_list("partnerships.organisation"),
    admin_list("partnerships.coordinatoraccess"),
    admin_list("partnerships.joinrequest"),
    admin_list("commitments.declaration"),
    admin_list("auth.user"),
    admin_list("axes.accessattempt"),
]

# Named URLs deliberately left out of the matrix (none today; say why when adding one).
NOT_IN_MATRIX = {"bench_bare"}  # only with BENCHMARK_VIEWS, never in production


@dataclasses.dataclass
class World:
    a: object
    organisation: object
    signed: object
    draft: object
    signatory: object
    kpi: object
    sign_token: str
    eoi: object
    resource: object
    unpublished: object
    event: object
    newsletter: object
    newsletter_confirm: str
    join_request: object
    hidden: object


EOI_ACTIONS = ("add", "change", "delete", "view")


def build_world():
    a = make_partnership(name="Matrix Partnership A", members=3)
    b = make_partnership(name="Matrix Partnership B")
    users = {
        "coordinator_a": make_coordinator(a),
        "coordinator_b": make_coordinator(b),
        # A reviewer of applications: the Expression of Interest permissions only.
        "staff": make_staff(
            username="matrix-reviewer",
            apps=(),
            permissions=[f"support_services.{action}_expressionofinterest" for action in EOI_ACTIONS],
        ),
        "superuser": make_superuser(username="matrix-admin"),
    }
    signed = make_signed(partnership=a)
    approved = make_approved()  # another partnership's declaration, collecting signatures
    sign_token = next(iter(invite_all(approved).values()))
    eoi = make_eoi_submitted()
    assert eoi.status == EoiStatus.SUBMITTED
    subscription, _sent = newsletter_subscribe(email="matrix-reader@example.org")
    world = World(
        a=a,
        organisation=a.memberships.first().organisation,
        signed=signed,
        draft=make_draft(partnership=a),  # version 2, being written
        signatory=signed.signatories.first(),
        kpi=signed.kpis.first(),
        sign_token=sign_token,
        eoi=eoi,
        resource=make_resource(title="Matrix handbook"),
        unpublished=make_resource(title="Matrix draft handbook", is_published=False),
        event=Event.objects.create(
            slug="matrix-webinar",
            title="Matrix webinar",
            kind=EventKind.WEBINAR,
            starts_at=timezone.now() + datetime.timedelta(days=7),
            ends_at=timezone.now() + datetime.timedelta(days=7, hours=1),
        ),
        newsletter=subscription,
        newsletter_confirm=newsletter_confirm_token(subscription=subscription),
        join_request=make_join_request(a),
        hidden=make_partnership(name="Matrix unpublished partnership", is_published=False),
    )
    return world, users


def client_for(role, users):
    client = Client()
    if role in users:
        client.force_login(users[role])
    # "applicant" and "signatory" have no account: they hold their secret link, as anonymous visitors.
    return client


def outcome(response, expected):
    if expected in (LOGIN, ADMIN_LOGIN):
        prefix = "/accounts/login/?next=" if expected == LOGIN else "/admin/login/?next="
        return (
            expected
            if response.status_code == 302 and response.url.startswith(prefix)
            else response.status_code
        )
    return response.status_code


@pytest.mark.django_db
def test_permissions_matrix(django_user_model):
    world, users = build_world()
    mismatches = []
    for role in ROLES:
        for row in MATRIX:
            cache.clear()  # rate-limit counters
            client = client_for(role, users)
            url = row.url(world)
            response = getattr(client, row.method)(url, row.data)
            expected = row.expected[role]
            got = outcome(response, expected)
            if got != expected:
                mismatches.append(
                    f"{role:14} {row.method.upper():4} {url} ({row.label or row.name}): {got} != {expected}"
                )
    assert not mismatches, "\n".join(mismatches)


def portal_url_names(patterns=None, namespace=None):
    """Every named URL the portal serves, with its namespace; the admin's generated pages excepted."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from portal_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_named_portal_url_is_in_the_matrix():
    covered = {row.name for row in MATRIX}
    missing = sorted(set(portal_url_names()) - covered - NOT_IN_MATRIX)
    assert not missing, f"add a row to MATRIX in tests/test_permissions_matrix.py for: {', '.join(missing)}"


def test_the_matrix_rows_name_real_urls():
    names = set(portal_url_names())
    stale = sorted(row.name for row in MATRIX if not row.name.startswith("admin:") and row.name not in names)
    assert not stale, stale
