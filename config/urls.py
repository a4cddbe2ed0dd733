"""URL configuration: allauth, Wagtail admin, app URLs, then Wagtail's page serving last."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.api import api
from home.views import healthz, insights

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Ours first: it wraps allauth's SSO login views to explain an unknown provider.
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("leaderboard/", include("leaderboard.urls")),
    path("learn/", include("courses.urls")),
    path("challenge/", include("challenges.urls")),
    path("me/notifications/", include("notifications.urls")),
    path("me/", include("home.urls")),
    path("mentoring/", include("mentoring.urls")),
    path("insights/", insights, name="insights"),
]

if settings.BENCH_BARE_VIEW:
    from config.bench import bare

    urlpatterns += [path("bench/bare/", bare, name="bench_bare")]

if settings.DEBUG:
    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every other URL from the page tree; keep this last.
urlpatterns += [path("", include(wagtail_urls))]
