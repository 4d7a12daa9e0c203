"""The resource library: public list and detail, filters, search, language versions, safe files, admin upload."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from support_services import services
from support_services.demo import seed_resources
from support_services.models import Resource, ResourceKind, ResourceVersion
from support_services.uploads import DOCX, PDF, detect_type
from tests.support_services.builders import docx_bytes, make_resource, pdf_upload

pytestmark = pytest.mark.django_db

LIST = "/resources/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def titles(response):
    """The resource titles of a list page, in order."""
    html = response.content.decode()
    return re.findall(r'<h3 class="h6 mb-1"><a href="/resources/[^"]+/">([^<]+)</a>', html)


def heading(response):
    return re.search(r'id="results-heading"[^>]*>([^<]+)<', response.content.decode()).group(1)


# --- List, filters and search ----------------------------------------------------------------------


def test_only_published_resources_are_public(client):
    shown = make_resource(title="Published handbook")
    hidden = make_resource(title="Hidden draft handbook", is_published=False)
    response = client.get(LIST)
    assert "Published handbook" in titles(response)
    assert "Hidden draft handbook" not in titles(response)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert (
        client.get(
            reverse("support_services:resource_download", kwargs={"slug": hidden.slug, "language": "en"})
        ).status_code
        == 404
    )
    assert client.get(shown.get_absolute_url()).status_code == 200


def test_filters_by_kind_stage_ecosystem_and_language(client):
    make_resource(title="Design template", kind=ResourceKind.TEMPLATE, stages=["design"], languages=["en"])
    make_resource(
        title="Delivery KPI example",
        kind=ResourceKind.KPI_EXAMPLE,
        stages=["delivery"],
        ecosystems=["health"],
        languages=["en", "fr"],
    )
    make_resource(
        title="Set-up framework", kind=ResourceKind.MONITORING_FRAMEWORK, stages=["set_up", "delivery"]
    )
    assert titles(client.get(LIST, {"kind": "template"})) == ["Design template"]
    assert titles(client.get(LIST, {"stage": "delivery"})) == ["Delivery KPI example", "Set-up framework"]
    assert titles(client.get(LIST, {"ecosystem": "health"})) == ["Delivery KPI example"]
    assert titles(client.get(LIST, {"language": "fr"})) == ["Delivery KPI example"]
    response = client.get(LIST, {"stage": "delivery", "kind": "monitoring_framework"})
    assert titles(response) == ["Set-up framework"]
    assert heading(response) == "1 resource found"
    html = response.content.decode()
    # Active filter chips, each with a link that removes it.
    assert "Lifecycle stage: Delivery" in html and "Kind: Monitoring framework" in html
    assert 'aria-label="Remove the filter Kind"' in html
    assert "Stage: Set-up, Delivery" in html  # stages in lifecycle order


def test_search_matches_title_summary_and_language_titles_without_accents(client):
    make_resource(title="Skills observatory handbook", summary="How to run a régional observatory.")
    resource = make_resource(title="Workshop kit", languages=[])
    services.resource_version_add(
        resource=resource, language="fr", title="Kit d’atelier Île-de-France", upload=pdf_upload()
    )
    make_resource(title="Unrelated template")
    assert titles(client.get(LIST, {"q": "OBSERVATORY"})) == ["Skills observatory handbook"]
    assert titles(client.get(LIST, {"q": "regional observatory"})) == ["Skills observatory handbook"]
    assert titles(client.get(LIST, {"q": "ile de france"})) == ["Workshop kit"]
    response = client.get(LIST, {"q": "nothing like this"})
    assert titles(response) == []
    assert "No resource matches this selection." in response.content.decode()


def test_funding_opportunities_are_open_until_their_deadline_then_closed(client):
    today = timezone.localdate()
    make_resource(title="Call closing today", kind=ResourceKind.FUNDING_OPPORTUNITY, deadline=today)
    make_resource(
        title="Call closed yesterday",
        kind=ResourceKind.FUNDING_OPPORTUNITY,
        deadline=today - datetime.timedelta(days=1),
    )
    make_resource(title="A handbook")
    assert titles(client.get(LIST, {"funding": "open"})) == ["Call closing today"]
    assert titles(client.get(LIST, {"funding": "closed"})) == ["Call closed yesterday"]
    open_call = Resource.objects.get(title="Call closing today")
    html = client.get(open_call.get_absolute_url()).content.decode()
    assert re.search(r'Call status:.*?<span class="badge text-bg-success">Open</span>', html, re.S)
    closed = client.get(
        Resource.objects.get(title="Call closed yesterday").get_absolute_url()
    ).content.decode()
    assert '<span class="badge text-bg-secondary">Closed</span>' in closed


def test_a_funding_opportunity_needs_a_deadline_and_nothing_else_has_one():
    with pytest.raises(ValidationError):
        make_resource(kind=ResourceKind.FUNDING_OPPORTUNITY, deadline=None)
    with pytest.raises(ValidationError):
        make_resource(kind=ResourceKind.HANDBOOK, deadline=datetime.date(2030, 1, 1))


def test_invalid_filter_values_are_ignored_with_a_message(client):
    make_resource(title="Still listed")
    response = client.get(LIST, {"kind": "nonsense", "ecosystem": "<script>", "page": "99"})
    assert response.status_code == 200
    assert "Still listed" in titles(response)
    html = response.content.decode()
    assert "This filter was ignored." in html and "<script>" not in html


def test_list_paginates(client):
    for n in range(23):
        make_resource(title=f"Paged resource {n:02d}")
    first = client.get(LIST, {"q": "paged"})
    assert len(titles(first)) == 20 and heading(first) == "23 resources found"
    second = client.get(LIST, {"q": "paged", "page": "2"})
    assert titles(second) == ["Paged resource 20", "Paged resource 21", "Paged resource 22"]


# --- Detail: language versions and files --------------------------------------------------------------


def test_detail_groups_every_language_version(client):
    resource = make_resource(title="Partnership handbook", languages=["en", "fr", "de"])
    html = client.get(resource.get_absolute_url()).content.decode()
    assert "Available in 3 languages" in html
    for language, name in [("en", "English"), ("fr", "French"), ("de", "German")]:
        assert f"/resources/{resource.slug}/{language}/download/" in html
        assert f"Download in {name} (PDF," in html


def test_download_is_an_attachment_with_the_content_type_found_in_the_content(client):
    resource = make_resource(title="Template", languages=[])
    content = docx_bytes()  # once: the archive's entries carry the time they were written
    services.resource_version_add(
        resource=resource, language="en", upload=ContentFile(content, name="looks-like.pdf")
    )
    version = ResourceVersion.objects.get(resource=resource)
    assert version.content_type == DOCX.content_type and version.file.name.endswith(".docx")
    response = client.get(version.get_download_url())
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX.content_type
    assert response["Content-Disposition"] == f'attachment; filename="{resource.slug}-en.docx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == content


def test_external_link_versions_are_shown_as_links(client):
    resource = make_resource(title="Linked guide", link="https://ec.europa.eu/social/main.jsp?catId=1517")
    html = client.get(resource.get_absolute_url()).content.decode()
    assert 'href="https://ec.europa.eu/social/main.jsp?catId=1517"' in html and "(external site)" in html


def test_titles_are_escaped(client):
    resource = make_resource(
        title='<script>alert("x")</script> Guide', summary="<img src=x onerror=alert(1)>"
    )
    for url in (LIST, resource.get_absolute_url()):
        html = client.get(url).content.decode()
        assert '<script>alert("x")' not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(" in html


# --- Upload checks: by content, with a size limit -------------------------------------------------------


def test_content_decides_the_type_not_the_name():
    assert detect_type(pdf_upload().read()) == PDF
    assert detect_type(docx_bytes()) == DOCX
    assert detect_type(PNG) is None and detect_type(EXE) is None
    assert detect_type(b"PK\x03\x04 not really a zip") is None


@pytest.mark.parametrize("data", [PNG, EXE], ids=["png", "exe"])
def test_a_pdf_named_file_with_other_content_is_refused(data):
    resource = make_resource(languages=[])
    with pytest.raises(ValidationError, match="not of an accepted type"):
        services.resource_version_add(
            resource=resource, language="en", upload=ContentFile(data, name="report.pdf")
        )
    assert not ResourceVersion.objects.filter(resource=resource).exists()


def test_an_oversize_file_is_refused(settings):
    settings.RESOURCE_UPLOAD_MAX_BYTES = 500
    resource = make_resource(languages=[])
    big = ContentFile(b"%PDF-1.4\n" + b"0" * 600, name="big.pdf")
    with pytest.raises(ValidationError, match="too large"):
        services.resource_version_add(resource=resource, language="en", upload=big)


def test_a_version_has_a_file_or_a_link_not_both():
    resource = make_resource(languages=[])
    with pytest.raises(ValidationError):
        services.resource_version_add(
            resource=resource, language="en", upload=pdf_upload(), external_url="https://example.org/x"
        )
    with pytest.raises(ValidationError):
        services.resource_version_add(resource=resource, language="en")


def admin_post(staff_client, *, upload, title="Admin handbook", slug="admin-handbook"):
    return staff_client.post(
        reverse("admin:support_services_resource_add"),
        {
            "title": title,
            "slug": slug,
            "kind": "handbook",
            "summary": "Uploaded by staff.",
            "stages": ["design", "delivery"],
            "is_published": "on",
            "versions-TOTAL_FORMS": "1",
            "versions-INITIAL_FORMS": "0",
            "versions-MIN_NUM_FORMS": "0",
            "versions-MAX_NUM_FORMS": "1000",
            "versions-0-language": "en",
            "versions-0-title": "",
            "versions-0-file": upload,
            "versions-0-external_url": "",
        },
    )


def test_admin_refuses_a_disguised_upload_with_a_clear_message(staff_client):
    response = admin_post(staff_client, upload=SimpleUploadedFile("report.pdf", PNG, "application/pdf"))
    assert response.status_code == 200
    assert "not of an accepted type, whatever its name says" in response.content.decode()
    assert not Resource.objects.filter(slug="admin-handbook").exists()


def test_admin_refuses_an_oversize_upload(staff_client, settings):
    settings.RESOURCE_UPLOAD_MAX_BYTES = 100
    response = admin_post(staff_client, upload=SimpleUploadedFile("big.pdf", pdf_upload().read()))
    assert "The file is too large" in response.content.decode()
    assert not Resource.objects.filter(slug="admin-handbook").exists()


def test_admin_accepts_a_real_pdf_and_stores_its_stages(staff_client, client):
    response = admin_post(staff_client, upload=SimpleUploadedFile("handbook.pdf", pdf_upload().read()))
    assert response.status_code == 302, response.content.decode()[:2000]
    resource = Resource.objects.get(slug="admin-handbook")
    assert sorted(resource.stage_links.values_list("stage", flat=True)) == ["delivery", "design"]
    version = resource.versions.get()
    assert version.content_type == "application/pdf" and version.file.name.endswith("admin-handbook-en.pdf")
    assert version.file_size == len(pdf_upload().read())
    change = staff_client.get(reverse("admin:support_services_resource_change", args=[resource.pk]))
    html = change.content.decode()
    assert change.status_code == 200
    assert re.search(r'name="stages" value="design"[^>]*checked', html)
    assert not re.search(r'name="stages" value="set_up"[^>]*checked', html)
    assert staff_client.get(reverse("admin:support_services_resource_changelist")).status_code == 200


# --- Pages: navigation, cache, sitemap, query counts, demo ------------------------------------------------


def test_main_navigation_marks_resources_as_current(client):
    make_resource()
    for url in (LIST, "/resources/kpis/"):
        html = client.get(url).content.decode()
        assert re.search(r'href="/resources/" aria-current="page">Resources</a>', html)
        assert not re.search(r'href="/expression-of-interest/" aria-current="page"', html)


def test_a_published_change_shows_at_once_despite_the_page_cache(
    client, settings, django_capture_on_commit_callbacks, count_queries
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    resource = make_resource(title="First title")
    assert "First title" in titles(client.get(LIST))
    assert count_queries(client, LIST) == 0  # served from the cache
    assert "First title" in titles(client.get(LIST))
    with django_capture_on_commit_callbacks(execute=True):
        resource.title = "Second title"
        resource.save()
    assert "Second title" in titles(client.get(LIST))


def test_sitemap_lists_the_knowledge_pages_and_published_resources(client):
    shown = make_resource()
    hidden = make_resource(is_published=False)
    xml = client.get("/sitemap.xml").content.decode()
    xml += client.get("/sitemap-knowledge.xml").content.decode()
    xml += client.get("/sitemap-resources.xml").content.decode()
    assert "/sitemap-knowledge.xml" in xml and "/sitemap-resources.xml" in xml
    assert "/resources/kpis/" in xml and f"/resources/{shown.slug}/" in xml
    assert f"/resources/{hidden.slug}/" not in xml


def test_list_and_detail_queries_do_not_grow_with_rows(client, count_queries):
    make_resource(ecosystems=["health"], languages=["en", "fr"])
    few = count_queries(client, LIST)
    for _ in range(15):
        make_resource(
            ecosystems=["health", "digital"], stages=["design", "delivery"], languages=["en", "de", "it"]
        )
    assert count_queries(client, LIST) <= few
    resource = make_resource(languages=["en"])
    one = count_queries(client, resource.get_absolute_url())
    many = make_resource(
        languages=["en", "fr", "de", "it", "es", "pl"], ecosystems=["health", "digital", "tourism"]
    )
    assert count_queries(client, many.get_absolute_url()) <= one


def test_demo_resources_are_labelled_and_seeding_twice_changes_nothing(client):
    created = seed_resources()
    assert created == Resource.objects.count() >= 8
    assert seed_resources() == 0
    assert Resource.objects.count() == created
    for resource in Resource.objects.filter(is_demo=True):
        assert resource.title.startswith("Demo ")
    real = Resource.objects.filter(is_demo=False)
    # Real facts only: titles from the Pact data, no invented address.
    assert set(real.values_list("title", flat=True)) == {
        "Pact for Skills Charter: the four principles",
        "Establishing regional skills partnerships: lessons learnt and success stories",
    }
    assert not ResourceVersion.objects.exclude(external_url="").exists()
    handbook = Resource.objects.get(slug="demo-rsp-set-up-handbook")
    html = client.get(handbook.get_absolute_url()).content.decode()
    assert "badge-demo" in html and "Available in 3 languages" in html
    assert titles(client.get(LIST, {"funding": "open"})) == ["Demo funding call: regional upskilling pilots"]
    assert titles(client.get(LIST, {"funding": "closed"})) == ["Demo funding call: green skills 2025"]
