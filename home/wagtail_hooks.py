"""Wagtail admin additions of the home app: L&D programme pages."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.roles import is_ld_manager
from home import admin_views

admin_urlpatterns = [
    path("analytics/", admin_views.analytics, name="analytics"),
    path("onboarding/", admin_views.onboarding, name="onboarding"),
    path("onboarding/export.csv", admin_views.onboarding_export_csv, name="onboarding_export"),
    path("onboarding/resend/<int:pk>/", admin_views.onboarding_resend, name="onboarding_resend"),
]


@hooks.register("register_admin_urls")
def register_home_admin_urls():
    return [path("programme/", include((admin_urlpatterns, "home_admin")))]


class ManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return is_ld_manager(request.user)


@hooks.register("register_admin_menu_item")
def register_onboarding_menu_item():
    return ManagerMenuItem(
        "Onboarding", reverse("home_admin:onboarding"), icon_name="group", order=850
    )


@hooks.register("register_admin_menu_item")
def register_analytics_menu_item():
    return ManagerMenuItem(
        "Analytics", reverse("home_admin:analytics"), icon_name="view", order=840
    )
