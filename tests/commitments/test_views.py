"""Pages: permissions of coordinator, signatory, staff and anonymous; public pages; query counts."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse

from commitments import services
from commitments.models import Declaration, DeclarationStatus
from support_services.demo_files import make_pdf
from tests.commitments.builders import declaration_form_data, make_approved, make_draft, make_signed
from tests.partnerships.builders import make_coordinator, make_staff

pytestmark = pytest.mark.django_db
S = DeclarationStatus


def coordinator_urls(declaration):
    slug, pk = declaration.partnership.slug, declaration.pk
    return [
        ("get", reverse("partnerships:coordinator_partnership", args=[slug])),
        ("get", reverse("partnerships:coordinator_members", args=[slug])),
        ("get", reverse("commitments:coordinator_declaration", args=[pk])),
        ("get", reverse("commitments:coordinator_declaration_edit", args=[pk])),
        ("get", reverse("commitments:coordinator_declaration_preview", args=[pk])),
        ("post", reverse("commitments:coordinator_declaration_submit", args=[pk])),
        ("post", reverse("commitments:coordinator_declaration_create", args=[slug])),
    ]


def test_anonymous_visitors_are_sent_to_the_login(client):
    declaration = make_draft()
    for method, url in coordinator_urls(declaration) + [
        ("get", reverse("commitments:coordinator_dashboard"))
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_a_coordinator_of_another_partnership_gets_404_and_changes_nothing(client):
    declaration = make_draft()
    other = make_draft()
    client.force_login(make_coordinator(other.partnership))
    for method, url in coordinator_urls(declaration):
        assert getattr(client, method)(url).status_code == 404, url
    declaration.refresh_from_db()
    assert (
        declaration.status == S.DRAFT
        and Declaration.objects.filter(partnership=declaration.partnership).count() == 1
    )
    dashboard = client.get(reverse("commitments:coordinator_dashboard")).content.decode()
    assert other.partnership.name in dashboard and declaration.partnership.name not in dashboard


def test_staff_without_coordinator_access_cannot_use_the_coordinator_pages(client):
    declaration = make_draft()
    client.force_login(make_staff())
    assert (
        client.get(reverse("commitments:coordinator_declaration", args=[declaration.pk])).status_code == 404
    )


def test_coordinator_drafts_with_formsets_previews_and_submits(client):
    declaration = make_draft(objectives=0, kpis=0, actions=0)
    client.force_login(make_coordinator(declaration.partnership))
    url = reverse("commitments:coordinator_declaration_edit", args=[declaration.pk])
    assert client.get(url).status_code == 200
    data = declaration_form_data()
    response = client.post(url, data)
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert [o.text for o in declaration.objectives.all()] == ["Open two new courses"]
    assert declaration.kpis.get().target == 300 and declaration.principle_equality
    preview = client.get(reverse("commitments:coordinator_declaration_preview", args=[declaration.pk]))
    assert preview["Content-Type"] == "application/pdf" and preview.content.startswith(b"%PDF-")
    client.post(reverse("commitments:coordinator_declaration_submit", args=[declaration.pk]))
    declaration.refresh_from_db()
    assert declaration.status == S.SUBMITTED
    assert client.get(url).status_code == 302  # no longer editable


def test_invalid_formset_keeps_the_input_and_saves_nothing(client):
    declaration = make_draft()
    client.force_login(make_coordinator(declaration.partnership))
    url = reverse("commitments:coordinator_declaration_edit", args=[declaration.pk])
    response = client.post(
        url,
        {
            "challenge": "Changed",
            "ambition": "x",
            "objectives-TOTAL_FORMS": "0",
            "objectives-INITIAL_FORMS": "0",
            "actions-TOTAL_FORMS": "0",
            "actions-INITIAL_FORMS": "0",
            "kpis-TOTAL_FORMS": "1",
            "kpis-INITIAL_FORMS": "0",
            "kpis-0-indicator": "Bad",
            "kpis-0-unit": "people",
            "kpis-0-baseline": "0",
            "kpis-0-target": "10",
            "kpis-0-target_year": "1999",
        },
    )
    assert response.status_code == 200 and "Changed" in response.content.decode()
    declaration.refresh_from_db()
    assert declaration.challenge != "Changed"


def test_coordinator_chooses_signatories_and_reports_progress(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    declaration = make_approved(members=2)
    client.force_login(make_coordinator(declaration.partnership))
    url = reverse("commitments:coordinator_signatories", args=[declaration.pk])
    page = client.get(url)
    assert page.status_code == 200
    fields = list(page.context["form"].fields)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {fields[0]: "anna@example.eu", fields[1]: "ben@example.eu"})
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mailoutbox if "/sign/" in m.body) == ["anna@example.eu", "ben@example.eu"]
    signed = make_signed()
    client.force_login(make_coordinator(signed.partnership))
    kpi = signed.kpis.first()
    response = client.post(
        reverse("commitments:coordinator_kpi_progress", args=[signed.pk, kpi.pk]),
        {"value": "250", "reported_on": "2026-06-30", "note": "Half-way"},
    )
    assert response.status_code == 302 and kpi.progress.get().value == 250


def test_coordinator_edits_profile_and_members(client):
    declaration = make_draft()
    partnership = declaration.partnership
    client.force_login(make_coordinator(partnership))
    response = client.post(
        reverse("partnerships:coordinator_partnership", args=[partnership.slug]),
        {
            "acronym": "TP",
            "summary": "New summary",
            "challenge": "c",
            "ambition": "a",
            "website": "",
            "contact_email": "",
        },
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.summary == "New summary"
    members_url = reverse("partnerships:coordinator_members", args=[partnership.slug])
    before = partnership.memberships.current().count()
    client.post(
        members_url,
        {
            "add_new": "1",
            "new-name": "Brand New Academy",
            "new-country": "IT",
            "new-stakeholder_type": "vet_provider",
            "new-is_sme": "unknown",
        },
    )
    assert partnership.memberships.current().count() == before + 1
    membership = partnership.memberships.get(organisation__name="Brand New Academy")
    client.post(members_url, {"end": membership.pk})
    membership.refresh_from_db()
    assert membership.left_on is not None


def test_drafts_are_not_public(client):
    declaration = make_approved()
    url = reverse("commitments:declaration", args=[declaration.partnership.slug, declaration.version])
    assert client.get(url).status_code == 404
    assert client.get(url + "pdf/").status_code == 404


def test_public_declaration_page_shows_kpis_with_progress(client):
    signed = make_signed()
    kpi = signed.kpis.first()
    services.kpi_progress_report(kpi=kpi, value=500, reported_on=datetime.date(2026, 6, 1))
    page = client.get(signed.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200 and kpi.indicator in html and "<svg" in html and "50 %" in html
    assert signed.verification_code in html


def add_progress(declaration, n):
    for kpi in declaration.kpis.all():
        for i in range(n):
            services.kpi_progress_report(kpi=kpi, value=i, reported_on=datetime.date(2026, 1, 1 + i))


def test_public_declaration_page_query_count_is_bounded(client, count_queries):
    few = make_signed(members=2, objectives=1, actions=1, kpis=1)
    add_progress(few, 1)
    many = make_signed(members=12, objectives=15, actions=15, kpis=12)
    add_progress(many, 5)
    few_queries = count_queries(client, few.get_absolute_url())
    many_queries = count_queries(client, many.get_absolute_url())
    assert many_queries == few_queries <= 8


def test_partnership_declarations_tag_has_a_constant_query_count(count_queries):
    template = Template("{% load declarations %}{% partnership_declarations partnership %}")
    few = make_signed(members=2, kpis=1)
    many = make_signed(members=5, kpis=10)
    add_progress(many, 4)
    second = make_signed(partnership=many.partnership)  # supersedes ``many``
    counts, html = [], []
    for declaration in (few, many):
        context = Context({"partnership": declaration.partnership})  # as the profile page has it, loaded
        counts.append(count_queries(lambda context=context: html.append(template.render(context))))
    assert counts[0] == counts[1] <= 3
    html = html[-1]
    assert second.get_absolute_url() in html and many.get_absolute_url() in html and "superseded" in html


def test_staff_review_in_the_admin(client):
    staff = make_staff()
    declaration = make_draft()
    previous = make_signed()
    client.force_login(staff)
    services.declaration_submit(declaration=declaration)
    queue = client.get(reverse("admin:commitments_declarationtoreview_changelist"))
    assert queue.status_code == 200 and declaration.partnership.name in queue.content.decode()
    change = client.get(reverse("admin:commitments_declaration_change", args=[declaration.pk]))
    assert change.status_code == 200 and "Request changes" in change.content.decode()
    transition = reverse("admin:commitments_declaration_transition", args=[declaration.pk, "request_changes"])
    client.post(transition, {"note": "Please add a KPI."})
    declaration.refresh_from_db()
    assert declaration.status == S.CHANGES_REQUESTED
    timeline = client.get(
        reverse("admin:commitments_declaration_change", args=[declaration.pk])
    ).content.decode()
    assert "Please add a KPI." in timeline
    # A second version shows the diff against the first.
    second = services.declaration_create(partnership=previous.partnership)
    services.declaration_save_content(
        declaration=second,
        challenge="A brand-new challenge",
        ambition=second.ambition,
        principles=set(),
        objectives=["Objective number 1"],
        actions=[],
        kpis=[{"indicator": "x", "unit": "y", "baseline": 0, "target": 1, "target_year": 2030}],
    )
    diff = client.get(reverse("admin:commitments_declaration_change", args=[second.pk])).content.decode()
    assert "diff-added" in diff and "A brand-new challenge" in diff
    # A non-staff user cannot reach the review actions.
    client.force_login(make_coordinator(declaration.partnership))
    response = client.post(
        reverse("admin:commitments_declaration_transition", args=[declaration.pk, "approve"])
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    declaration.refresh_from_db()
    assert declaration.status == S.CHANGES_REQUESTED


def test_staff_record_a_paper_signature_and_countersign_in_the_admin(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.commitments.builders import invite_all

    staff = make_staff()
    declaration = make_approved(members=1, staff=staff)
    (signatory, _token), *_ = invite_all(declaration).items()
    client.force_login(staff)
    url = reverse("admin:commitments_declaration_paper_signature", args=[declaration.pk, signatory.pk])
    not_a_pdf = SimpleUploadedFile("scan.pdf", b"PK\x03\x04 zip", content_type="application/pdf")
    client.post(url, {"name": "Ada Rossi", "title": "Mayor", "scan": not_a_pdf})
    assert not declaration.signatures.exists()
    scan = SimpleUploadedFile("scan.pdf", make_pdf("Scan", ["Signed"]), content_type="application/pdf")
    client.post(url, {"name": "Ada Rossi", "title": "Mayor", "scan": scan})
    assert declaration.signatures.get().method == "paper"
    countersign = reverse("admin:commitments_declaration_transition", args=[declaration.pk, "countersign"])
    # Countersigning asks first: the confirmation page changes nothing.
    confirmation = client.post(countersign)
    assert confirmation.status_code == 200 and "This cannot be undone." in confirmation.content.decode()
    declaration.refresh_from_db()
    assert declaration.status == S.APPROVED
    client.post(countersign, {"confirmed": "yes"})
    declaration.refresh_from_db()
    assert declaration.status == S.SIGNED and declaration.countersigned_by == staff
    # Transition URLs take POST only.
    assert (
        client.get(
            reverse("admin:commitments_declaration_transition", args=[declaration.pk, "approve"])
        ).status_code
        == 405
    )
