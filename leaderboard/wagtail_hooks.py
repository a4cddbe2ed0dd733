"""The leaderboard in the Wagtail admin: badges and levels (L&D), manual awards (managers)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from accounts.roles import is_ld_manager
from leaderboard.forms import ManualAwardForm
from leaderboard.models import Badge, Level, PointsAward
from leaderboard.services import LeaderboardError, manual_award


class BadgeViewSet(SnippetViewSet):
    model = Badge
    icon = "pick"
    menu_label = "Badges"
    # The rule in words ("Active 3 days in a row"), not the raw criteria and threshold.
    list_display = ["name", "rule", BooleanColumn("is_active", label="Active")]
    list_filter = ["criteria", "is_active"]
    search_fields = ["name"]
    add_to_admin_menu = True
    menu_order = 310


class LevelViewSet(SnippetViewSet):
    model = Level
    icon = "order"
    menu_label = "Levels"
    list_display = ["name", "xp_threshold"]
    add_to_admin_menu = True
    menu_order = 311


register_snippet(BadgeViewSet)
register_snippet(LevelViewSet)


def manual_awards(request):
    """Make a manual award or correction, and audit every one made so far."""
    if not is_ld_manager(request.user):
        raise PermissionDenied
    form = ManualAwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            award = manual_award(
                user=data["user"],
                amount=data["amount"],
                reason=data["reason"],
                awarded_by=request.user,
                key=data["key"],
            )
        except LeaderboardError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{award.amount:+d} points recorded for {award.user}.")
            return redirect("leaderboard_manual_awards")
    audit = (
        PointsAward.objects.filter(kind="manual")
        .select_related("user", "awarded_by")
        .order_by("-created_at", "-pk")[:100]
    )
    return render(request, "leaderboard/admin/manual_awards.html", {"form": form, "audit": audit})


@hooks.register("register_admin_urls")
def register_manual_award_url():
    return [path("leaderboard/manual-awards/", manual_awards, name="leaderboard_manual_awards")]


class ManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return is_ld_manager(request.user)


@hooks.register("register_admin_menu_item")
def register_manual_award_menu_item():
    return ManagerMenuItem(
        "Manual points", reverse("leaderboard_manual_awards"), icon_name="plus", order=312
    )
