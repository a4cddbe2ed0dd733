"""Views for an employee's own account settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from accounts.forms import ProfileForm


@login_required
def profile(request):
    """Edit one's own display name and leaderboard privacy; shows team and history."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile has been saved.")
        return redirect("accounts:profile")
    memberships = request.user.memberships.select_related("team")
    return render(request, "accounts/profile.html", {"form": form, "memberships": memberships})
