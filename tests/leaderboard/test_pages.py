"""Board pages, profiles, kudos and the JSON API, driven over HTTP as a user would."""

import pytest
from django.urls import reverse

from accounts import roles
from leaderboard.models import Kudos, PointsAward, Standing
from leaderboard.services import points_award
from tests.accounts.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def _board(n: int):
    team = TeamFactory()
    users = [UserFactory(team=team) for _ in range(n)]
    for i, user in enumerate(users):
        points_award(user=user, amount=10 + i, kind="x", source_key="k", skill="communication")
    return users


def test_board_requires_sign_in(client):
    response = client.get("/leaderboard/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_board_shows_top_and_own_rank(client):
    users = _board(5)
    client.force_login(users[1])
    response = client.get("/leaderboard/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "You are <strong>#4</strong> with <strong>11</strong> points." in body
    assert users[4].public_name in body


@pytest.mark.parametrize("n", [3, 40])
def test_board_page_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries, n):
    users = _board(n)
    client.force_login(users[0])
    client.get("/leaderboard/all/")  # warm the scope list cache like a running site
    # Own rank is two index range counts; everything else is one query per kind of data.
    with django_assert_max_num_queries(11):
        assert client.get("/leaderboard/all/?limit=100").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/leaderboard/all/teams/").status_code == 200
    with django_assert_max_num_queries(13):
        assert client.get("/leaderboard/all/?view=near").status_code == 200


def test_near_me_shows_five_above_and_five_below(client):
    users = _board(20)
    client.force_login(users[10])  # rank 10 of 20
    body = client.get("/leaderboard/all/?view=near").content.decode()
    ranks = [int(r) for r in __import__("re").findall(r"<td data-rank>(\d+)</td>", body)]
    assert ranks == list(range(5, 16))


def test_opted_out_user_is_anonymous_to_colleagues_but_not_to_ld(client):
    hidden = UserFactory(first_name="Hedda", last_name="Hidden", show_on_leaderboards=False)
    points_award(user=hidden, amount=50, kind="x", source_key="k")
    colleague = UserFactory()
    client.force_login(colleague)
    body = client.get("/leaderboard/").content.decode()
    assert "Anonymous mentor" in body and "Hedda" not in body
    assert client.get(f"/leaderboard/people/{hidden.pk}/").status_code == 404
    api = client.get("/api/v1/leaderboard/all/").json()
    assert api["top"][0]["name"] == "Anonymous mentor" and api["top"][0]["url"] == ""
    client.force_login(UserFactory(roles=[roles.LD_MANAGER]))
    assert "Hedda Hidden" in client.get("/leaderboard/").content.decode()


def test_unknown_scope_gets_a_clear_404(client):
    client.force_login(UserFactory())
    response = client.get("/leaderboard/everything/")
    assert response.status_code == 404
    assert "is not a leaderboard" in response.content.decode()
    api = client.get("/api/v1/leaderboard/week-0/")
    assert api.status_code == 404 and "is not a leaderboard" in api.json()["detail"]


def test_bad_limit_is_explained_not_an_error(client):
    client.force_login(UserFactory())
    response = client.get("/leaderboard/?limit=abc")
    assert response.status_code == 200
    assert "The limit must be a whole number from 1 to 100" in response.content.decode()
    assert client.get("/api/v1/leaderboard/all/?limit=1000").status_code == 422


def test_api_returns_top_n_own_row_and_generated_at(client, django_assert_max_num_queries):
    users = _board(8)
    client.force_login(users[0])
    with django_assert_max_num_queries(8):
        data = client.get("/api/v1/leaderboard/skill-communication/?limit=3").json()
    assert [row["points"] for row in data["top"]] == [17, 16, 15]
    assert data["me"] == {"rank": 8, "points": 10}
    assert data["generated_at"]
    assert client.get("/api/v1/leaderboard/month/").json()["scope"].startswith("month-")
    client.logout()
    assert client.get("/api/v1/leaderboard/all/").status_code == 401


def test_team_board_shows_total_and_average(client):
    team = TeamFactory(name="Quality Crew")
    for _i in range(2):
        points_award(user=UserFactory(team=team), amount=10, kind="x", source_key="k")
    client.force_login(UserFactory())
    body = client.get("/leaderboard/all/teams/").content.decode()
    assert "Quality Crew" in body and ">20<" in body and ">10.0<" in body


def test_giving_kudos_earns_points_and_shows_on_the_profile(client):
    giver, recipient = UserFactory(), UserFactory()
    client.force_login(giver)
    response = client.post(
        f"/leaderboard/people/{recipient.pk}/kudos/",
        {"message": "Great <b>catch</b>!"},
        follow=True,
    )
    assert "are on their way" in response.content.decode()
    assert Standing.objects.get(scope="all", user=recipient).points == 5
    profile = client.get(f"/leaderboard/people/{recipient.pk}/").content.decode()
    assert "Great &lt;b&gt;catch&lt;/b&gt;!" in profile


def test_kudos_rules_self_empty_and_weekly_budget(client, settings):
    settings.LEADERBOARD_KUDOS_WEEKLY_BUDGET = 2
    giver, recipient = UserFactory(), UserFactory()
    client.force_login(giver)
    url = f"/leaderboard/people/{recipient.pk}/kudos/"
    own = client.post(f"/leaderboard/people/{giver.pk}/kudos/", {"message": "me"}, follow=True)
    assert "You cannot give kudos to yourself." in own.content.decode()
    empty = client.post(url, {"message": "   "}, follow=True)
    assert "Write a short message" in empty.content.decode()
    client.post(url, {"message": "one"})
    client.post(url, {"message": "two"})
    third = client.post(url, {"message": "three"}, follow=True)
    assert "You have given all 2 kudos of your weekly budget" in third.content.decode()
    assert Kudos.objects.count() == 2
    assert PointsAward.objects.filter(user=recipient).count() == 2


def test_ld_manager_makes_manual_award_in_admin_with_reason_and_audit(client):
    manager = UserFactory(roles=[roles.LD_MANAGER])
    employee = UserFactory(email="fixme@example.com")
    client.force_login(manager)
    url = reverse("leaderboard_manual_awards")
    page = client.get(url)
    assert page.status_code == 200
    token = page.context["form"]["key"].value()
    data = {
        "user": employee.email,
        "amount": "-15",
        "reason": "Double-counted review",
        "key": token,
    }
    client.post(url, data)
    client.post(url, data)  # a double submit awards once
    award = PointsAward.objects.get(user=employee)
    assert (award.amount, award.kind, award.awarded_by) == (-15, "manual", manager)
    audit = client.get(url).content.decode()
    assert "Double-counted review" in audit
    missing = client.post(
        url, {"user": "nobody@example.com", "amount": "5", "reason": "x", "key": "z"}
    )
    assert "No active user has the e-mail address" in missing.content.decode()
    client.force_login(UserFactory(roles=[roles.LD_AUTHOR]))
    assert client.get(url).status_code in (302, 403)


def test_team_board_api_gives_the_top_teams_for_an_office_screen(client):
    teams = [TeamFactory(name=f"Team {n}") for n in "ABC"]
    for i, (team, points) in enumerate(zip(teams, [30, 90, 60], strict=True)):
        for j in range(2):
            points_award(
                user=UserFactory(team=team), amount=points // 2, kind="x", source_key=f"t{i}{j}"
            )
    client.force_login(UserFactory())
    body = client.get("/api/v1/leaderboard/all/teams/?limit=2").json()
    assert body["ranking"] == "total" and body["frozen"] is False
    assert [(t["name"], t["points"], t["members"], t["average"]) for t in body["teams"]] == [
        ("Team B", 90, 2, 45.0),
        ("Team C", 60, 2, 30.0),
    ]
    assert client.get("/api/v1/leaderboard/all/teams/?limit=51").status_code == 422
    missing = client.get("/api/v1/leaderboard/week-0/teams/")
    assert missing.status_code == 404 and "is not a leaderboard" in missing.json()["detail"]
