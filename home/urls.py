"""URLs of the home app (under /me/)."""

from django.urls import path

from home import team_views

app_name = "home"

urlpatterns = [
    path("team/", team_views.my_team, name="my_team"),
    path("team/<int:pk>/", team_views.team_progress, name="team_progress"),
    path("team/<int:pk>/people/<int:user_id>/", team_views.learner_report, name="learner_report"),
]
