"""URLs of the leaderboard app (under /leaderboard/)."""

from django.urls import path

from leaderboard import views

app_name = "leaderboard"

urlpatterns = [
    path("", views.board, name="board_default"),
    path("badges/", views.badges, name="badges"),
    path("people/<int:user_id>/", views.person, name="person"),
    path("people/<int:user_id>/kudos/", views.kudos_give, name="kudos_give"),
    path("openbadges/issuer.json", views.ob_issuer, name="ob_issuer"),
    path("openbadges/badges/<slug:slug>.json", views.ob_badge_class, name="ob_badge"),
    path("openbadges/assertions/<uuid:uid>.json", views.ob_assertion, name="ob_assertion"),
    path("go/", views.board_go, name="board_go"),
    path("<str:scope>/", views.board, name="board"),
    path("<str:scope>/teams/", views.team_board, name="teams"),
]
