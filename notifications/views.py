"""The notifications page: a person's notifications, mark-all-read, and e-mail choices."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils.http import url_has_allowed_host_and_scheme

from notifications.forms import NotificationPreferenceForm
from notifications.models import NotificationPreference
from notifications.selectors import notifications_recent
from notifications.services import notifications_mark_read


@login_required
def notifications(request):
    """The viewer's notifications (newest first), mark-all-read, and e-mail choices."""
    # GET never writes: the preference row is created by the first save, not by a visit.
    preference = NotificationPreference.objects.filter(user=request.user).first()
    preference = preference or NotificationPreference(user=request.user)
    form = NotificationPreferenceForm(instance=preference)
    if request.method == "POST":
        if "mark_read" in request.POST:
            count = notifications_mark_read(user=request.user)
            messages.success(request, f"Marked {count} notification{pluralize(count)} as read.")
            back = request.POST.get("next", "")
            if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                return redirect(back)
            return redirect("notifications:index")
        form = NotificationPreferenceForm(request.POST, instance=preference)
        if form.is_valid():
            form.save()
            messages.success(request, "Your e-mail choices have been saved.")
            return redirect("notifications:index")
    items = notifications_recent(user=request.user)
    return render(
        request,
        "notifications/notifications.html",
        {"items": items, "form": form, "unread": sum(1 for n in items if n.read_at is None)},
    )
