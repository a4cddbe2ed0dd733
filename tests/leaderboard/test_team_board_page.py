"""The team board at company scale, over HTTP: the top 50, your own team, a search by name,
and the JSON API's top N in the same order."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from leaderboard.models import ScopeSettings, TeamStanding
from tests.accounts.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/leaderboard/all/teams/"


@pytest.fixture
def teams():
    """70 teams on the all-time board, team n with 1000 - 10n points (so rank n + 1)."""
    teams = [TeamFactory(name=f"Squad {n:02d}", slug=f"squad-{n}") for n in range(70)]
    start = timezone.now() - timedelta(days=1)
    TeamStanding.objects.bulk_create(
        TeamStanding(
            scope="all",
            team=team,
            points=1000 - 10 * n,
            members=1 + n % 4,
            reached_at=start + timedelta(seconds=n),
        )
        for n, team in enumerate(teams)
    )
    return teams


def top_rows(body: str) -> list[tuple[int, str]]:
    table = body.split('id="lb-teams-title"', 1)[1]
    return [
        (int(rank), name)
        for rank, name in re.findall(r"<td data-rank>(\d+)</td><td>(Squad \d+)", table)
    ]


def search_rows(body: str) -> list[tuple[int, str]]:
    table = body.split('data-testid="team-search-results"', 1)[1].split("</table>", 1)[0]
    return [(int(r), n) for r, n in re.findall(r"<tr[^>]*><td>(\d+)</td><td>(Squad \d+)", table)]


def test_team_board_shows_the_top_50_and_your_team_below_them(client, teams):
    client.force_login(UserFactory(team=teams[63]))
    body = client.get(URL).content.decode()
    rows = top_rows(body)
    assert rows[:50] == [(n + 1, f"Squad {n:02d}") for n in range(50)]
    assert rows[50:] == [(64, "Squad 63")]  # after a gap, marked as yours
    assert 'data-testid="my-team-row"' in body and "your team" in body
    assert "Squad 50" not in body and "Squad 69" not in body


def test_your_team_in_the_top_50_is_marked_there_not_repeated(client, teams):
    client.force_login(UserFactory(team=teams[2]))
    body = client.get(URL).content.decode()
    assert [name for _, name in top_rows(body)].count("Squad 02") == 1
    assert 'data-testid="my-team-row"' not in body
    assert re.search(
        r'class="lb-row--me"><td data-rank>3</td><td>Squad 02 <span class="tag">', body
    )


def test_team_search_finds_teams_with_their_board_ranks(client, teams):
    client.force_login(UserFactory(team=teams[0]))
    body = client.get(URL, {"q": "  squad 6 "}).content.decode()
    assert search_rows(body) == [(61 + n, f"Squad 6{n}") for n in range(10)]
    assert "10 teams matching “squad 6”." in body
    assert 'value="squad 6"' in body  # the box keeps what was searched
    # The top 50 is still there below the results.
    assert len(top_rows(body)) == 50


def test_team_search_says_when_it_shows_only_the_first_matches(client, teams):
    client.force_login(UserFactory(team=teams[0]))
    body = client.get(URL, {"q": "Squad"}).content.decode()
    assert len(search_rows(body)) == 20
    assert "The first 20 of 70 teams matching “Squad”" in body


def test_team_search_explains_no_match_an_empty_box_and_a_too_long_text(client, teams):
    client.force_login(UserFactory(team=teams[0]))
    body = client.get(URL, {"q": "Kettle <b>"}).content.decode()
    assert "No team on this board matches “Kettle &lt;b&gt;”." in body
    body = client.get(URL, {"q": "   "}).content.decode()
    assert "Type part of a team name to search for it." in body
    long = "x" * 150
    body = client.get(URL, {"q": long}).content.decode()
    assert "Search for at most 100 characters." in body
    assert f'value="{long}"' in body  # nothing typed is lost
    assert 'aria-invalid="true"' in body


def test_team_board_ranks_by_average_when_the_week_says_so(client, teams):
    ScopeSettings.objects.create(scope="all", team_ranking=ScopeSettings.AVERAGE)
    client.force_login(UserFactory(team=teams[0]))
    body = client.get(URL).content.decode()
    expected = sorted(
        TeamStanding.objects.filter(scope="all"),
        key=lambda t: (-t.average, -t.points, t.reached_at, t.team_id),
    )
    assert [name for _, name in top_rows(body)][:50] == [t.team.name for t in expected[:50]]
    hits = search_rows(client.get(URL, {"q": "Squad 4"}).content.decode())
    order = [t.team.name for t in expected]
    assert hits == sorted((order.index(name) + 1, name) for _, name in hits)


def test_team_board_page_queries_do_not_grow_with_teams(
    client, teams, django_assert_max_num_queries
):
    client.force_login(UserFactory(team=teams[63]))
    client.get(URL)  # warm the scope list
    with django_assert_max_num_queries(15):
        assert client.get(URL, {"q": "Squad 1"}).status_code == 200


def test_team_api_gives_the_same_top_n_as_the_page(client, teams):
    client.force_login(UserFactory(team=teams[0]))
    api = client.get("/api/v1/leaderboard/all/teams/", {"limit": 50}).json()
    assert [(t["rank"], t["name"]) for t in api["teams"]] == top_rows(
        client.get(URL).content.decode()
    )
    assert len(client.get("/api/v1/leaderboard/all/teams/?limit=5").json()["teams"]) == 5
