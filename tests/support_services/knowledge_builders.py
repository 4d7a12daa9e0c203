"""Builders for the resource and KPI repository tests: through the services, as the product does."""

import itertools

from django.core.files.base import ContentFile

from partnerships.models import Ecosystem
from support_services import services
from support_services.demo_files import make_docx, make_pdf
from support_services.models import ResourceKind

_counter = itertools.count(1)


def pdf_upload(name="file.pdf", text="A test document"):
    return ContentFile(make_pdf(text, ["Line one", "Line two"]), name=name)


def make_resource(
    *,
    title=None,
    kind=ResourceKind.HANDBOOK,
    summary="",
    stages=("design",),
    ecosystems=(),
    languages=("en",),
    deadline=None,
    is_published=True,
    link=None,
    **fields,
):
    n = next(_counter)
    title = title or f"Test resource {n}"
    resource = services.resource_create(
        slug=f"test-resource-{n}",
        title=title,
        kind=kind,
        summary=summary,
        stages=stages,
        ecosystems=list(Ecosystem.objects.filter(slug__in=ecosystems)),
        deadline=deadline,
        is_published=is_published,
        **fields,
    )
    for language in languages:
        if link:
            services.resource_version_add(resource=resource, language=language, external_url=link)
        else:
            services.resource_version_add(
                resource=resource, language=language, upload=pdf_upload(text=f"{title} ({language})")
            )
    return resource


def docx_bytes():
    return make_docx("A template", ["Row one"])
