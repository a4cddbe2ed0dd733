"""Sign-in: Django's authentication, django-allauth (sign-up, MFA, SSO) (imported by ``base``)."""

import json
import os

from .env import env_list

# AUTHENTICATION
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"
# Sign-up saves user, team and e-mail address in one transaction: nothing half-created.
ACCOUNT_FORMS = {"signup": "accounts.signup_forms.AtomicSignupForm"}
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# "mandatory" in production (production.py), "optional" here.
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Apprentice] "
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, written out so operators can see and tune them.
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reauthenticate": "10/m/user",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "login": "30/m/ip",
    # Failed sign-ins lock the account (5 in 5 minutes, from anywhere) and the real client IP
    # (config/proxy.py). The account's limit comes first, so the further failures on a locked
    # account do not use up the IP's allowance: one colleague's typos never lock out others.
    "login_failed": "5/5m/key,20/m/ip",
    "confirm_email": "1/3m/key",
}
# Comma-separated e-mail domains allowed to sign up ("" means any domain).
ACCOUNT_ALLOWED_EMAIL_DOMAINS = [d.lower() for d in env_list("ACCOUNT_ALLOWED_EMAIL_DOMAINS")]
# "open" (anyone from an allowed domain), "invite" (only invited addresses) or "closed".
ACCOUNT_SIGNUP_MODE = os.environ.get("ACCOUNT_SIGNUP_MODE", "open")

# allauth reads the client IP from REMOTE_ADDR, which config.proxy already resolved from the
# trusted proxies (security.py): it must not strip X-Forwarded-For a second time.
ALLAUTH_TRUSTED_PROXY_COUNT = 0
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Apprentice"

SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
# Enterprise SSO from the environment: a JSON list of allauth "APPS" entries for each provider.
# Providers can also be configured in the Django admin (Social applications).
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": json.loads(os.environ.get("SSO_OIDC_APPS", "[]")),
    },
    "saml": {
        "APPS": json.loads(os.environ.get("SSO_SAML_APPS", "[]")),
    },
}
