"""allauth's sign-up form, made all-or-nothing.

A separate module from ``accounts.forms`` because allauth builds its sign-up form on top of
``accounts.forms.SignupExtraForm`` (ACCOUNT_SIGNUP_FORM_CLASS): importing allauth's form there
would be circular.
"""

from allauth.account.forms import SignupForm
from django.db import transaction


class AtomicSignupForm(SignupForm):
    """Saves the user, their team, invitation and e-mail address together or not at all."""

    def try_save(self, request):
        with transaction.atomic():
            return super().try_save(request)
