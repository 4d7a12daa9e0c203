"""Filters of the events list.

Invalid values become form errors, never a 500."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pact_portal.lists import slug_filter
from partnerships.models import Partnership

from ..models.events import Event, EventAttendance, EventKind
from .knowledge import ecosystem_filter

UPCOMING, PAST = "upcoming", "past"
WHEN_CHOICES = [(UPCOMING, _("Upcoming")), (PAST, _("Past"))]
ATTENDANCE_CHOICES = [(EventAttendance.ONLINE, _("Online")), (EventAttendance.IN_PERSON, _("In person"))]


def split_by_time(queryset, when, now):
    """Upcoming: not yet ended (soonest first); past: ended (latest first)."""
    if when == PAST:
        return queryset.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    return queryset.filter(ends_at__gte=now).order_by("starts_at", "id")


class EventFilter(django_filters.FilterSet):
    when = django_filters.ChoiceFilter(
        label=_("When"), choices=WHEN_CHOICES, method="filter_when", empty_label=None
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EventKind.choices, empty_label=_("Any kind"))
    ecosystem = ecosystem_filter(field_name="ecosystems")
    theme = django_filters.ChoiceFilter(label=_("Theme"), choices=[], empty_label=_("Any theme"))
    partnership = slug_filter(
        Partnership.objects.none(),
        label=_("Partnership"),
        empty_label=_("Any partnership"),
        field_name="partnerships",
    )
    attendance = django_filters.ChoiceFilter(
        label=_("Online or in person"),
        choices=ATTENDANCE_CHOICES,
        method="filter_attendance",
        empty_label=_("Either"),
    )

    class Meta:
        model = Event
        fields = []

    def __init__(self, *args, now, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now
        themes = [
            (theme, theme)
            for theme in Event.objects.exclude(theme="")
            .order_by("theme")
            .values_list("theme", flat=True)
            .distinct()
        ]
        self.filters["theme"].extra["choices"] = themes
        self.form.fields["theme"].choices = [("", _("Any theme")), *themes]
        partnerships = (
            Partnership.objects.published().filter(events__isnull=False).distinct().order_by("name")
        )
        self.filters["partnership"].queryset = partnerships
        self.form.fields["partnership"].queryset = partnerships
        self.form.fields["when"].required = False

    @property
    def period(self):
        data = getattr(self.form, "cleaned_data", {})
        return data.get("when") or UPCOMING

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return split_by_time(queryset, self.period, self.now)

    def filter_when(self, queryset, name, value):
        return queryset  # applied last, with the ordering, in filter_queryset

    def filter_attendance(self, queryset, name, value):
        return queryset.filter(Q(attendance=value) | Q(attendance=EventAttendance.HYBRID))
