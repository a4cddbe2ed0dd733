"""Wagtail admin of the challenges app: challenge weeks and the corpus export (L&D managers)."""

from django import forms
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from accounts.models import Team
from accounts.roles import is_ld_manager
from challenges import admin_views
from challenges.models import ChallengePage, ChallengeWeek
from challenges.services import week_save
from challenges.services.weeks import overlap_errors, week_window_errors
from config.errors import ApplicationError, form_add
from config.widgets import LocalDateTimeInput


class ChallengeWeekForm(WagtailAdminModelForm):
    """Says what is wrong with a week's dates and challenges before saving.

    The same rules are enforced again by ``week_save`` (under a lock), which is what holds when
    two managers save overlapping weeks at once.
    """

    challenges = forms.ModelMultipleChoiceField(
        queryset=ChallengePage.objects.live().order_by("title"),
        widget=forms.CheckboxSelectMultiple,
        help_text="A challenge belongs to at most one running week.",
    )
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.filter(is_active=True).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Teams taking part; leave empty for everyone.",
    )

    class Meta:
        model = ChallengeWeek
        fields = [
            "title",
            "theme",
            "starts_at",
            "ends_at",
            "freeze_at",
            "challenges",
            "teams",
            "team_ranking",
        ]

    def clean(self):
        data = super().clean()
        errors = week_window_errors(
            starts_at=data.get("starts_at"),
            ends_at=data.get("ends_at"),
            freeze_at=data.get("freeze_at"),
        )
        for field, message in errors.items():
            self.add_error(field, message)
        if not errors and data.get("challenges") and data.get("starts_at") and data.get("ends_at"):
            for message in overlap_errors(
                challenges=data["challenges"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                exclude_pk=self.instance.pk,
            ):
                self.add_error("challenges", message)
        return data

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at", "freeze_at"):
            self.fields[name].widget = LocalDateTimeInput()


class _SaveThroughService:
    """Create and edit save through ``week_save`` in Wagtail's ``save_instance()`` and log the
    change in Wagtail's history like any admin save; a refusal shows on the form, nothing lost."""

    log_action = ""

    def save_instance(self):
        week = self.form.save(commit=False)
        week = week_save(
            week=week,
            challenges=list(self.form.cleaned_data["challenges"]),
            teams=list(self.form.cleaned_data["teams"]),
        )
        log(week, self.log_action, user=self.request.user, content_changed=True)
        return week

    def form_valid(self, form):
        # Wagtail's form_valid runs save_instance() in a transaction; only a refusal by the
        # service (a race the form's own checks could not see) is translated here.
        try:
            return super().form_valid(form)
        except ApplicationError as error:
            form_add(form, error)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class WeekCreateView(_SaveThroughService, generic.CreateView):
    log_action = "wagtail.create"


class WeekEditView(_SaveThroughService, generic.EditView):
    log_action = "wagtail.edit"


class ChallengeWeekViewSet(ModelViewSet):
    """Challenge weeks, run by L&D managers."""

    model = ChallengeWeek
    add_view_class = WeekCreateView
    edit_view_class = WeekEditView
    icon = "date"
    menu_label = "Challenge weeks"
    menu_order = 830
    add_to_admin_menu = True
    list_display = ["title", "starts_at", "ends_at", "freeze_at", "team_ranking", "finalised_at"]
    search_fields = ["title"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_form_class(self, for_update=False):
        return ChallengeWeekForm


@hooks.register("register_admin_viewset")
def register_week_viewset():
    return ChallengeWeekViewSet("challenge_weeks")


admin_urlpatterns = [
    path("", admin_views.corpus_export, name="corpus_export"),
    path("<slug:name>/", admin_views.corpus_download, name="corpus_download"),
]


@hooks.register("register_admin_urls")
def register_corpus_admin_urls():
    return [path("corpus/", include((admin_urlpatterns, "challenges_admin")))]


class ManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return is_ld_manager(request.user)


@hooks.register("register_admin_menu_item")
def register_corpus_menu_item():
    return ManagerMenuItem(
        "Corpus export", reverse("challenges_admin:corpus_export"), icon_name="download", order=845
    )
