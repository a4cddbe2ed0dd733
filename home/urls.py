"""URLs of the home app (under /me/)."""

from django.urls import path

from home import views

app_name = "home"

urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
]
