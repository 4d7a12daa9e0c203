"""Events: Peer Learning Activities, webinars, working-group meetings, and their materials."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pact_portal.modelbits import TimeStamped, choice_check, choice_is
from partnerships.models import Ecosystem, Partnership


class EventKind(models.TextChoices):
    PEER_LEARNING = "peer_learning", _("Peer Learning Activity")
    WEBINAR = "webinar", _("Webinar")
    WORKING_GROUP = "working_group", _("Working-group meeting")
    CONFERENCE = "conference", _("Conference")
    OTHER = "other", _("Other event")


class EventAttendance(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")
    NOT_STATED = "not_stated", _("Not stated")


class Event(TimeStamped):
    """A public event of the Pact's support services; times are stored in UTC and shown in Brussels time."""

    uid = models.UUIDField(_("calendar identifier"), default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    all_day = models.BooleanField(
        _("whole day"),
        default=False,
        help_text=_("Only the dates are known or relevant: the times are not shown."),
    )
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=EventAttendance.choices, default=EventAttendance.IN_PERSON
    )
    location = models.CharField(_("place"), max_length=255, blank=True)
    online_url = models.URLField(_("link to join online"), blank=True)
    theme = models.CharField(_("theme"), max_length=120, blank=True)
    ecosystems = models.ManyToManyField(
        Ecosystem, verbose_name=_("industrial ecosystems"), blank=True, related_name="events"
    )
    partnerships = models.ManyToManyField(
        Partnership, verbose_name=_("partnerships involved"), blank=True, related_name="events"
    )
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            choice_check("kind", EventKind.values, name="event_kind_valid"),
            choice_check("attendance", EventAttendance.values, name="event_attendance_valid"),
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["ends_at", "starts_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("An event cannot end before it starts.")
        if self.is_online and not self.online_url:
            errors["online_url"] = _("Give the link to join an online event.")
        if errors:
            raise ValidationError(errors)

    is_online = choice_is("attendance", EventAttendance.ONLINE, EventAttendance.HYBRID)
    is_in_person = choice_is("attendance", EventAttendance.IN_PERSON, EventAttendance.HYBRID)


MATERIAL_MAX_BYTES = 10 * 1024 * 1024


def validate_material_file(upload):
    """A PDF, PowerPoint or Word file, at most 10 MB: its type is read from its content (the resource
    library's check, which looks inside Office containers), and its name and declared type must agree."""
    from ..uploads import DOCX, PDF, PPTX, detect_type

    if upload.size > MATERIAL_MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    upload.seek(0)
    file_type = detect_type(upload.read())
    upload.seek(0)
    declared = getattr(upload, "content_type", None)
    if (
        file_type not in (PDF, PPTX, DOCX)
        or not upload.name.lower().endswith(file_type.extension)
        or declared not in (None, file_type.content_type)
    ):
        raise ValidationError(_("Upload a PDF, PowerPoint (.pptx) or Word (.docx) file."))


class EventMaterial(models.Model):
    """Slides, minutes or a recording of an event: a link, an uploaded file, or both."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(_("title"), max_length=255)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(
        _("file"), upload_to="events/materials/%Y/", blank=True, validators=[validate_material_file]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["event", "order", "id"]
        verbose_name = _("event material")
        verbose_name_plural = _("event materials")
        constraints = [
            models.CheckConstraint(condition=~Q(url="") | ~Q(file=""), name="eventmaterial_link_or_file")
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if not self.url and not self.file:
            raise ValidationError(_("Give a link or upload a file."))

    @property
    def href(self):
        if self.file:
            return reverse("events:material", kwargs={"slug": self.event.slug, "pk": self.pk})
        return self.url

    @property
    def content_type(self):
        """The type the upload was checked against (its content agreed with its extension)."""
        from ..uploads import ACCEPTED

        name = self.file.name.lower()
        return next(
            (t.content_type for t in ACCEPTED if name.endswith(t.extension)), "application/octet-stream"
        )
