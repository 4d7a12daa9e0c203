from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("", views.home, name="home"),
    path("partnerships/<slug:slug>/", views.partnership_detail, name="detail"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
]
