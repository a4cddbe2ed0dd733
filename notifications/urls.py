"""URLs of the notifications app (under /me/notifications/)."""

from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notifications, name="index"),
]
