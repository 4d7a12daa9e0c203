"""The support-services workspace: every model has a changelist that loads in a bounded number of queries."""

import pytest
from django.contrib import admin
from django.urls import reverse

from partnerships import services
from partnerships.models import CoordinatorAccess, Membership, Organisation, Partnership
from tests.partnerships.builders import make_coordinator, make_organisation, make_partnership, make_user

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def add_rows(n):
    lsp = make_partnership(kind="lsp", ecosystems=("tourism",), members=2)
    for _ in range(n):
        make_partnership(regions=("ITC4", "ITF47"), ecosystems=("digital", "health"), members=3, parent=lsp)
        make_organisation(stakeholder_type="company", region="ITC4", is_sme=False)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_changelist_query_count_does_not_grow_with_rows(admin_client, model, count_queries):
    add_rows(2)
    few = count_queries(admin_client, changelist(model))
    add_rows(25)
    many = count_queries(admin_client, changelist(model))
    assert many <= few, f"{model._meta.label}: {few} queries with few rows, {many} with many"


def test_staff_see_the_real_partnerships_with_regions_and_ecosystems(admin_client, demo_registry):
    response = admin_client.get(reverse("admin:partnerships_partnership_changelist"))
    content = response.content.decode()
    assert "24 partnerships" in content
    assert "Lombardy Region Regional Skills Partnership" in content
    assert "ITC4" in content and "Energy-intensive industries" in content


def test_partnership_change_page_loads(admin_client, demo_registry):
    beara = Partnership.objects.get(slug="beara-more")
    response = admin_client.get(reverse("admin:partnerships_partnership_change", args=[beara.pk]))
    assert response.status_code == 200
    assert "Bere Island Boatyard" in response.content.decode()


def test_admin_refuses_a_duplicate_organisation_with_a_message(admin_client):
    make_organisation(name="Kerry County Council", country="IE", stakeholder_type="local_authority")
    response = admin_client.post(
        reverse("admin:partnerships_organisation_add"),
        {
            "name": "cork  county council",
            "slug": "ccc-2",
            "stakeholder_type": "local_authority",
            "country": "IE",
        },
    )
    assert response.status_code == 200
    assert "already registered" in response.content.decode()
    assert Organisation.objects.filter(normalised_name="kerry county council").count() == 1


def test_admin_adds_a_partnership_and_opens_its_stage_history(admin_client, admin_user):
    response = admin_client.post(
        reverse("admin:partnerships_partnership_add"),
        {
            "name": "Pomorskie Skills Partnership",
            "slug": "pomorskie",
            "kind": "rsp",
            "scope": "single_region",
            "regions": ["PL63"],
            "ecosystems": [],
            "launch_date_precision": "month",
            "regions_confirmed": "on",
            "text_language": "pl",
            **{
                f"{prefix}-{key}": value
                for prefix in (
                    "memberships",
                    "coordinator_access",
                    "pledged_commitments",
                    "pledged_targets",
                    "stage_changes",
                )
                for key, value in {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}.items()
            },
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    partnership = Partnership.objects.get(slug="pomorskie")
    assert partnership.text_language == "pl"
    change = partnership.stage_changes.get()
    assert (change.to_stage, change.changed_by) == ("design", admin_user)


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(reverse("admin:partnerships_partnership_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- Admin writes go through the services ----------------------------------------------------------------


def change_form_data(client, url, **changes):
    """What the admin change page at ``url`` would post back unchanged, with ``changes`` applied
    (a main form field by name, an inline field as "<prefix>-<n>-<field>")."""
    context = client.get(url).context
    data = {}

    def put(prefix, form):
        for name in form.fields:
            value = form[name].value()
            if isinstance(value, (list, tuple)):
                value = [getattr(item, "pk", item) for item in value]
            elif value is None or value is False:
                continue
            elif value is True:
                value = "on"
            data[f"{prefix}{name}"] = getattr(value, "pk", value)

    put("", context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data[f"{formset.prefix}-TOTAL_FORMS"] = len(formset.forms)
        data[f"{formset.prefix}-INITIAL_FORMS"] = formset.initial_form_count()
        for form in formset.forms:
            put(f"{form.prefix}-", form)
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def new_inline_row(prefix, **fields):
    """The changes that add one row to an inline that had none: ``change_form_data(..., **new_inline_row(...))``."""
    return {f"{prefix}-TOTAL_FORMS": 1, **{f"{prefix}-0-{name}": value for name, value in fields.items()}}


def partnership_change_url(partnership):
    return reverse("admin:partnerships_partnership_change", args=[partnership.pk])


@pytest.fixture
def page_cache(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60


def test_a_partnership_renamed_in_the_admin_is_found_and_shown_by_its_new_name_at_once(
    admin_client, client, page_cache, django_capture_on_commit_callbacks
):
    partnership = make_partnership(name="Lace Makers Skills Partnership")
    assert "Lace Makers" in client.get(partnership.get_absolute_url()).content.decode()  # now cached
    url = partnership_change_url(partnership)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url, change_form_data(admin_client, url, name="Tatting Skills Partnership")
        )
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert "Tatting Skills Partnership" in client.get(partnership.get_absolute_url()).content.decode()
    found = client.get(reverse("partnerships:list"), {"q": "tatting"}).content.decode()
    assert "Tatting Skills Partnership" in found


def test_coordinator_access_granted_in_the_admin_opens_the_coordinator_area(
    admin_client, admin_user, client, django_user_model
):
    partnership = make_partnership(name="Glass Blowers Skills Partnership")
    user = make_user(username="glass@example.eu")
    url = partnership_change_url(partnership)
    data = change_form_data(
        admin_client, url, **new_inline_row("coordinator_access", user=user.pk, partnership=partnership.pk)
    )
    assert admin_client.post(url, data).status_code == 302
    access = CoordinatorAccess.objects.get(partnership=partnership)
    assert (access.user, access.granted_by) == (user, admin_user)  # who granted it, as the service records
    client.force_login(user)
    assert "Glass Blowers Skills Partnership" in client.get("/coordinator/").content.decode()
    members = reverse("partnerships:coordinator_members", args=[partnership.slug])
    assert client.get(members).status_code == 200


def test_coordinator_access_added_on_its_own_admin_page_records_who_granted_it(admin_client, admin_user):
    partnership = make_partnership()
    user = make_user()
    response = admin_client.post(
        reverse("admin:partnerships_coordinatoraccess_add"), {"user": user.pk, "partnership": partnership.pk}
    )
    assert response.status_code == 302
    assert CoordinatorAccess.objects.get(user=user, partnership=partnership).granted_by == admin_user


def test_coordinator_access_removed_in_the_admin_closes_the_partnership_to_that_user(admin_client, client):
    partnership = make_partnership()
    user = make_coordinator(partnership)
    url = partnership_change_url(partnership)
    data = change_form_data(admin_client, url, **{"coordinator_access-0-DELETE": "on"})
    assert admin_client.post(url, data).status_code == 302
    client.force_login(user)
    assert client.get(reverse("partnerships:coordinator_members", args=[partnership.slug])).status_code == 404


def test_a_membership_ended_in_the_admin_leaves_the_public_profile_and_the_search(
    admin_client, client, page_cache, django_capture_on_commit_callbacks
):
    partnership = make_partnership(name="Clockmakers Skills Partnership")
    organisation = make_organisation(name="Horology Institute of Lombardy", region="ITC4")
    membership = services.membership_add(partnership=partnership, organisation=organisation)
    assert "Horology Institute" in client.get(partnership.get_absolute_url()).content.decode()  # now cached
    url = reverse("admin:partnerships_membership_change", args=[membership.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, change_form_data(admin_client, url, left_on="2025-03-31"))
    assert response.status_code == 302
    assert "Horology Institute" not in client.get(partnership.get_absolute_url()).content.decode()
    found = client.get(reverse("partnerships:list"), {"q": "horology"}).content.decode()
    assert "Clockmakers Skills Partnership" not in found
    # The row stays as history: the organisation's page shows it as a past membership.
    assert Membership.objects.get(pk=membership.pk).left_on.isoformat() == "2025-03-31"


def test_a_membership_deleted_in_the_admin_no_longer_finds_its_partnership(admin_client, client):
    partnership = make_partnership(name="Bell Founders Skills Partnership")
    organisation = make_organisation(name="Campanology Guild of Verona", region="ITC4")
    membership = services.membership_add(partnership=partnership, organisation=organisation)
    assert "Bell Founders" in client.get(reverse("partnerships:list"), {"q": "campanology"}).content.decode()
    response = admin_client.post(
        reverse("admin:partnerships_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert (
        "Bell Founders" not in client.get(reverse("partnerships:list"), {"q": "campanology"}).content.decode()
    )


def test_a_member_added_in_the_admin_inline_makes_its_partnership_searchable_by_its_name(
    admin_client, client
):
    partnership = make_partnership(name="Luthiers Skills Partnership")
    organisation = make_organisation(name="Cremona Violin School", region="ITC4")
    url = partnership_change_url(partnership)
    data = change_form_data(
        admin_client,
        url,
        **new_inline_row(
            "memberships",
            organisation=organisation.pk,
            partnership=partnership.pk,
            role="member",
            is_confirmed="on",
        ),
    )
    assert admin_client.post(url, data).status_code == 302
    assert partnership.memberships.current().get().organisation == organisation
    assert "Luthiers Skills" in client.get(reverse("partnerships:list"), {"q": "violin"}).content.decode()


def test_the_admin_refuses_a_second_current_membership_of_the_same_organisation(admin_client):
    partnership = make_partnership()
    organisation = make_organisation()
    services.membership_add(partnership=partnership, organisation=organisation)
    response = admin_client.post(
        reverse("admin:partnerships_membership_add"),
        {
            "organisation": organisation.pk,
            "partnership": partnership.pk,
            "role": "member",
            "is_confirmed": "on",
        },
    )
    assert response.status_code == 200
    assert partnership.memberships.count() == 1


def test_an_organisation_renamed_in_the_admin_renames_it_in_its_partnerships_search(admin_client, client):
    partnership = make_partnership(name="Weavers Skills Partnership")
    organisation = make_organisation(name="Como Silk Academy", region="ITC4")
    services.membership_add(partnership=partnership, organisation=organisation)
    url = reverse("admin:partnerships_organisation_change", args=[organisation.pk])
    response = admin_client.post(url, change_form_data(admin_client, url, name="Como Damask Academy"))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.normalised_name == "como damask academy"
    assert "Weavers Skills" in client.get(reverse("partnerships:list"), {"q": "damask"}).content.decode()
    assert "Weavers Skills" not in client.get(reverse("partnerships:list"), {"q": "silk"}).content.decode()
