"""Events (namespace ``events``): the list, each event, their materials and iCalendar files."""

from django.urls import path

from ..views import events as views

app_name = "events"

# Not "list": the main navigation marks "Partnerships" current on any URL named "list".

urlpatterns = [
    path("events/", views.event_list, name="index"),
    path("events/calendar.ics", views.calendar_ics, name="calendar"),
    path("events/<slug:slug>/", views.event_detail, name="detail"),
    path("events/<slug:slug>/event.ics", views.event_ics, name="ics"),
    path("events/<slug:slug>/materials/<int:pk>/", views.event_material, name="material"),
]
