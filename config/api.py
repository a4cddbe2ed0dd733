"""The site's JSON API under /api/v1/ (django-ninja, with an OpenAPI schema at /api/v1/docs)."""

from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(
    title="Apprentice API",
    version="1",
    urls_namespace="api-v1",
    auth=django_auth,
)

# Apps add their routers here, e.g. api.add_router("/leaderboard/", "leaderboard.api.router").
api.add_router("/leaderboard/", "leaderboard.api.router")
