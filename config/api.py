"""The site's JSON API under /api/v1/ (django-ninja, with an OpenAPI schema at /api/v1/docs).

Authentication: the browser session (with CSRF on writes), or ``Authorization: Bearer <token>``
with a Wagtail API token (created in the admin's account settings or `manage.py api_tokens`).
"""

from ninja import NinjaAPI
from ninja.security import django_auth
from wagtail.api.v3.auth import BearerTokenAuth

from config.errors import ApplicationError, api_handler

api = NinjaAPI(
    title="Apprentice API",
    version="1",
    urls_namespace="api-v1",
    auth=[BearerTokenAuth(), django_auth],
)
# A refused request answers 400 with the rule's sentence, whichever router raised it.
api.add_exception_handler(ApplicationError, api_handler)

# Apps add their routers here.
api.add_router("/leaderboard/", "leaderboard.api.router")
api.add_router("/me/", "home.api.router")
api.add_router("/corpus/", "challenges.api.router")
api.add_router("/feedback/", "mentoring.api.router")
