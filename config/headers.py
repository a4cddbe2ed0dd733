"""Security headers the whole site sends: Content-Security-Policy and Permissions-Policy.

The site's own pages run no inline script: every script is a static file, and an inline one
would need ``nonce="{{ request.csp_nonce }}"`` (django-csp adds the nonce to ``script-src`` only
on responses that used it). The Wagtail and Django admins still render a few inline scripts that
no template of ours can reach (InlinePanel, date pickers inside form widgets), so under their URL
prefixes ``CONTENT_SECURITY_POLICY_ADMIN`` replaces some directives.
"""

from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.deprecation import MiddlewareMixin


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's allowances under the admin URL prefixes."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        admin = getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN", None) or {}
        prefixes = tuple(admin.get("URL_PREFIXES", ()))
        if not report_only and prefixes and request.path_info.startswith(prefixes):
            parts.replace = {**admin.get("REPLACE", {}), **(parts.replace or {})}
        return parts


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """``{"camera": [], "fullscreen": ["self"]}`` -> ``camera=(), fullscreen=(self)``."""
    return ", ".join(f"{feature}=({' '.join(allow)})" for feature, allow in policy.items())


class PermissionsPolicyMiddleware(MiddlewareMixin):
    """Sends ``Permissions-Policy`` from the ``PERMISSIONS_POLICY`` setting on every response.

    A few lines rather than django-permissions-policy: the header is one fixed string built
    once at start-up, and one dependency fewer to lock and upgrade.
    """

    def __init__(self, get_response: Callable):
        super().__init__(get_response)
        self.header = permissions_policy_header(getattr(settings, "PERMISSIONS_POLICY", {}))

    def process_response(self, request: HttpRequest, response: HttpResponseBase):
        if self.header and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.header
        return response
