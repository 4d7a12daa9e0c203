"""Knowledge for partnerships: resources and their language versions."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _


def resource_set_stages(*, resource, stages):
    """Make the resource's stages exactly ``stages`` (design, set-up, delivery)."""
    from ..models.knowledge import ResourceStage

    wanted = set(stages)
    ResourceStage.objects.filter(resource=resource).exclude(stage__in=wanted).delete()
    existing = set(ResourceStage.objects.filter(resource=resource).values_list("stage", flat=True))
    for stage in sorted(wanted - existing):
        link = ResourceStage(resource=resource, stage=stage)
        link.full_clean()
        link.save()


@transaction.atomic
def resource_create(*, slug, title, kind, summary="", stages=(), ecosystems=(), deadline=None, **fields):
    from ..models.knowledge import Resource

    resource = Resource(slug=slug, title=title, kind=kind, summary=summary, deadline=deadline, **fields)
    resource.full_clean()
    resource.save()
    resource.ecosystems.set(ecosystems)
    resource_set_stages(resource=resource, stages=stages)
    return resource


def resource_version_prepare_file(*, version, upload):
    """Check an upload by its content and name it after the resource, its language and its real type."""
    from ..uploads import check_upload

    file_type = check_upload(upload)
    version.content_type = file_type.content_type
    version.file_size = upload.size
    return file_type


@transaction.atomic
def resource_version_add(*, resource, language, title="", upload=None, external_url=""):
    """Add a language version carrying either an uploaded file (checked by content) or an external link."""
    from ..models.knowledge import ResourceVersion

    if (upload is None) == (not external_url):
        raise ValidationError(_("Give either a file or an external link (one of the two)."))
    version = ResourceVersion(resource=resource, language=language, title=title, external_url=external_url)
    if upload is not None:
        resource_version_prepare_file(version=version, upload=upload)
        version.file.save(upload.name, upload, save=False)
    try:
        version.full_clean()
    except ValidationError:
        if version.file:
            version.file.delete(save=False)
        raise
    version.save()
    return version
