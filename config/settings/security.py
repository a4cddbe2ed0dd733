"""Proxies, rate limits, cookies and the security headers (imported by ``base``; tightened
further in ``production``)."""

import os

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

from .core import WAGTAIL_ENABLE_UPDATE_CHECK
from .env import env_list

# SECURITY
# ------------------------------------------------------------------------------
# Trusted proxies (config/proxy.py): how many proxies in front of the site append to
# X-Forwarded-For, and/or their networks (the header is then believed only from a peer inside
# them). Unset, the header is ignored and the TCP peer is the client.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
TRUSTED_PROXY_CIDRS = env_list("TRUSTED_PROXY_CIDRS")
# Per-person limits on the site's own costly or spammable writes (config/ratelimit.py): "10/m",
# "100/h" or several ("10/m,100/d"); past them the answer is a 429 saying when to try again.
RATE_LIMITS = {
    "ai_test": os.environ.get("RATE_LIMIT_AI_TESTS", "10/m,200/d"),
    "draft": os.environ.get("RATE_LIMIT_DRAFTS", "120/m"),
    "kudos": os.environ.get("RATE_LIMIT_KUDOS", "10/m"),
}
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp; config/headers.py). No inline script on the site: an
# inline <script> needs nonce="{{ request.csp_nonce }}". Inline style attributes stay allowed
# (progress bars, Wagtail's admin). Lesson videos are oEmbed iframes from the hosts in frame-src.
# No form-action: SSO sign-in posts and redirects to the identity provider.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        # The live boards' websockets (same host; 'self' alone misses ws: in older browsers).
        "connect-src": [SELF, "ws:", "wss:"],
        "frame-src": [
            SELF,
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "frame-ancestors": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
    }
}
# The Wagtail and Django admins render inline scripts we cannot give a nonce (InlinePanel and
# date-picker widgets); Wagtail's dashboard may ask releases.wagtail.org for the latest version
# (only when WAGTAIL_ENABLE_UPDATE_CHECK is on).
CONTENT_SECURITY_POLICY_ADMIN = {
    "URL_PREFIXES": ["/admin/", "/django-admin/"],
    "REPLACE": {
        "script-src": [SELF, UNSAFE_INLINE],
        "connect-src": [SELF]
        + (["https://releases.wagtail.org"] if WAGTAIL_ENABLE_UPDATE_CHECK else []),
        # Wagtail's live preview shows the page in a same-origin iframe.
        "frame-ancestors": [SELF],
    },
}
# Powerful browser features the site never uses are refused to it and to embedded frames.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "serial",
        "hid",
    )
}
