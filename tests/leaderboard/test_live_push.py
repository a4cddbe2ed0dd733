"""Live push that costs what a viewer sees: top N + own rows, a shared head encoded once,
versions, and a constant number of queries per broadcast however many sockets watch."""

import json
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Membership, Team, User
from leaderboard import consumers, payloads, team_boards
from leaderboard.models import ScoreBucket, Standing, TeamStanding
from leaderboard.selectors import ANONYMOUS
from leaderboard.services import points_award
from tests.accounts.factories import TeamFactory, UserFactory
from tests.leaderboard.test_consumers import award, connected_socket, make_user, place

FRAME_BUDGET = 16 * 1024


@pytest.fixture
def anyio_backend():
    return "asyncio"


def _watchers(users, *, scope="all"):
    return [
        payloads.Watcher(
            channel_name=f"c{i}",
            scope=scope,
            user_id=user.pk,
            near=i % 2 == 0,
            team_id=payloads.viewer_team(user),
        )
        for i, user in enumerate(users)
    ]


@pytest.mark.django_db
def test_a_broadcast_and_a_workers_batch_cost_the_same_queries_for_5_or_50_watchers(
    django_assert_max_num_queries,
):
    teams = [TeamFactory() for _ in range(5)]
    users = [UserFactory(team=teams[i % 5]) for i in range(50)]
    for i, user in enumerate(users):
        points_award(user=user, amount=i + 1, kind="x", source_key="k")
    watchers = _watchers(users)

    # The broadcaster: settings, top N, teams; no query per watcher (it reads no watcher).
    with django_assert_max_num_queries(3):
        version, heads = consumers._build_broadcast("all")
    assert set(heads) == {payloads.PUBLIC, payloads.LD}
    head = json.loads(heads[payloads.PUBLIC])
    assert head["version"] == version and isinstance(head["sent_at"], float)
    assert [row["points"] for row in head["top"]][:3] == [50, 49, 48]

    with CaptureQueriesContext(connection) as five:
        few = consumers._build_tails("all", watchers[:5])
    with CaptureQueriesContext(connection) as fifty:
        many = consumers._build_tails("all", watchers)
    # Settings, ranks (two), near rows (two), teams' rows and ranks (two): the same for 5 or 50.
    assert len(five.captured_queries) == len(fifty.captured_queries) <= 7
    assert len(few) == 5 and len(many) == 50
    top_user = json.loads(many[watchers[-1].channel_name])
    assert place(top_user) == {"rank": 1, "points": 50}
    assert top_user["near"] is None  # odd watchers did not ask for "near me"
    second = json.loads(many[watchers[-2].channel_name])  # 49 points, rank 2, near
    assert [row["rank"] for row in second["near"]] == [1, 2, 3, 4, 5, 6, 7]
    assert [row["me"] for row in second["near"]] == [False, True] + [False] * 5
    assert second["my_team"]["key"] == f"t{teams[48 % 5].pk}"


def _company(*, people: int, teams: int) -> User:
    """``people`` ranked users in ``teams`` teams with realistic names, written in bulk."""
    now = timezone.now()
    team_rows = Team.objects.bulk_create(
        Team(name=f"Customer Operations EMEA {t:04d}", slug=f"ops-{t}") for t in range(teams)
    )
    users = User.objects.bulk_create(
        User(email=f"p{i}@example.com", first_name="Alexandra", last_name=f"Montgomery-{i:06d}")
        for i in range(people)
    )
    Membership.objects.bulk_create(
        Membership(user=u, team=team_rows[i % teams]) for i, u in enumerate(users)
    )
    points = {u.pk: 100_000 - 37 * i for i, u in enumerate(users)}
    Standing.objects.bulk_create(
        Standing(scope="all", user=u, points=points[u.pk], reached_at=now) for u in users
    )
    ScoreBucket.objects.bulk_create(
        ScoreBucket(scope="all", points=p, count=1) for p in points.values()
    )
    TeamStanding.objects.bulk_create(
        TeamStanding(scope="all", team=t, points=900_000 - t.pk, members=7, reached_at=now)
        for t in team_rows
    )
    return users[people // 2]


@pytest.mark.django_db
def test_a_frame_on_a_board_of_300_people_and_300_teams_is_small_and_has_at_most_n_rows(
    settings,
):
    settings.LEADERBOARD_LIVE_ROWS = 50
    viewer = _company(people=300, teams=300)
    watcher = payloads.Watcher(
        channel_name="c", scope="all", user_id=viewer.pk, near=True, team_id=viewer.current_team.pk
    )

    _version, text = payloads.snapshot(watcher)

    assert len(text.encode()) <= FRAME_BUDGET
    frame = json.loads(text)
    assert len(frame["top"]) == 50 and len(frame["teams"]) == 50
    assert place(frame) == {"rank": 151, "points": 100_000 - 37 * 150}
    assert [row["rank"] for row in frame["near"]] == list(range(146, 157))
    assert frame["my_team"]["name"] == viewer.current_team.name
    assert frame["my_team"]["rank"] > 50  # outside the top N, still in the frame
    # Teams in the order and with the ranks of the team board page.
    assert frame["teams"] == team_boards.team_top(scope="all", limit=50)
    assert [frame["my_team"]] == team_boards.team_rows(
        scope="all", team_ids=[viewer.current_team.pk]
    )
    # The update of the same board is as small: the shared head plus the same tail.
    _version, heads = payloads.heads("all")
    tail = payloads.viewer_tails("all", [watcher])["c"]
    assert len(payloads.frame(heads[payloads.PUBLIC], tail).encode()) <= FRAME_BUDGET


@pytest.mark.anyio
@pytest.mark.django_db(transaction=True)
async def test_5_or_50_sockets_one_build_and_one_batch_per_broadcast_with_the_same_queries(
    monkeypatch,
):
    """Through the real consumers: the broadcaster builds once, this worker reads its sockets'
    tails once, in the same number of queries for 5 sockets as for 50."""
    calls = {"build": [], "tails": []}
    build, tails = consumers._build_broadcast, consumers._build_tails

    def counted(name, function):
        def run(*args):
            with CaptureQueriesContext(connection) as queries:  # this thread's connection
                result = function(*args)
            calls[name].append((len(args[-1]) if name == "tails" else 0, len(queries)))
            return result

        return run

    monkeypatch.setattr(consumers, "_build_broadcast", counted("build", build))
    monkeypatch.setattr(consumers, "_build_tails", counted("tails", tails))
    users = [await make_user() for _ in range(50)]
    for i, user in enumerate(users):
        await award(user, i + 1, "seed")
    earner = await make_user()
    sockets = []
    try:
        for count in (5, 50):
            while len(sockets) < count:
                path = "/ws/leaderboard/all/" + ("?view=near" if len(sockets) % 2 else "")
                sockets.append((await connected_socket(users[len(sockets)], path))[0])
            calls["build"].clear()
            calls["tails"].clear()
            await award(earner, count, f"round-{count}")
            frames = [await s.receive_json_from(timeout=5) for s in sockets]
            assert {f["version"] for f in frames} == {frames[0]["version"]}
            assert {json.dumps(f["top"]) for f in frames} == {json.dumps(frames[0]["top"])}
            assert [place(f)["points"] for f in frames] == list(range(1, count + 1))
            assert [f["near"] is not None for f in frames] == [i % 2 == 1 for i in range(count)]
            top = [row["points"] for row in frames[0]["top"]]
            assert top.count(5) == 2 if count == 5 else top[0] == 55  # the earner's points
            assert len(calls["build"]) == 1
            assert [batch for batch, _ in calls["tails"]] == [count]  # one batch, every socket
            if count == 5:
                queries = calls["tails"][0][1], calls["build"][0][1]
        assert (calls["tails"][0][1], calls["build"][0][1]) == queries
    finally:
        for s in sockets:
            await s.disconnect()


@pytest.mark.anyio
@pytest.mark.django_db(transaction=True)
async def test_a_viewer_outside_the_top_n_gets_their_own_row_and_team_live(settings):
    settings.LEADERBOARD_LIVE_ROWS = 2
    leaders = [await make_user() for _ in range(3)]
    for i, leader in enumerate(leaders):
        await award(leader, 100 + i, "seed")
    viewer = await make_user()
    await award(viewer, 10, "seed")
    communicator, snapshot = await connected_socket(viewer)
    try:
        assert snapshot["snapshot"] is True
        assert [row["points"] for row in snapshot["top"]] == [102, 101]
        assert len(snapshot["teams"]) == 2
        assert place(snapshot) == {"rank": 4, "points": 10}
        assert snapshot["my_team"]["points"] == 10 and snapshot["my_team"]["rank"] == 4
        await award(viewer, 5, "later")
        update = await communicator.receive_json_from(timeout=3)
        assert update["snapshot"] is False and update["version"] > snapshot["version"]
        assert update["sent_at"] >= snapshot["sent_at"]
        assert place(update) == {"rank": 4, "points": 15}
        assert update["my_team"]["points"] == 15
        assert [row["points"] for row in update["top"]] == [102, 101]
        # A socket opened now starts from the latest version.
        other, fresh = await connected_socket(leaders[0])
        assert fresh["version"] == update["version"]
        await other.disconnect()
    finally:
        await communicator.disconnect()


@pytest.mark.anyio
@pytest.mark.django_db(transaction=True)
async def test_hidden_names_only_for_ld_and_themselves_in_the_shared_tops():
    from accounts import roles

    shy = await make_user(first_name="Sasha", last_name="Shy", show_on_leaderboards=False)
    colleague = await make_user()
    manager = await make_user(roles=[roles.LD_MANAGER])
    await award(shy, 30, "a")
    sockets = {}
    try:
        for name, user in (("shy", shy), ("colleague", colleague), ("ld", manager)):
            sockets[name] = (await connected_socket(user))[0]
        await award(colleague, 10, "b")
        frames = {n: await s.receive_json_from(timeout=3) for n, s in sockets.items()}
        assert frames["colleague"]["top"][0]["name"] == ANONYMOUS
        assert frames["colleague"]["top"][0]["url"] == ""
        assert "hidden" not in frames["colleague"]["top"][0]
        assert frames["shy"]["top"] == frames["colleague"]["top"]  # one shared head
        assert frames["shy"]["me"]["name"] == "Sasha Shy"  # their own row, by name
        assert frames["shy"]["me"]["key"] == frames["shy"]["top"][0]["key"]
        assert frames["ld"]["top"][0]["name"] == "Sasha Shy"
        assert frames["ld"]["top"][0]["hidden"] is True
        assert len({f["version"] for f in frames.values()}) == 1
        assert await sockets["ld"].receive_nothing(timeout=0.5)  # L&D's frame only
    finally:
        for s in sockets.values():
            await s.disconnect()


@pytest.mark.django_db
def test_versions_increase_and_survive_a_lost_counter():
    from django.core.cache import cache

    from leaderboard import broadcast

    first = broadcast.next_version("all")
    assert broadcast.next_version("all") == first + 1
    assert broadcast.current_version("all") == first + 1
    # Redis restarted without persistence; broadcasts are an interval apart, far over 1 ms.
    time.sleep(0.01)
    cache.delete(broadcast.VERSION.format(scope="all"))
    assert broadcast.next_version("all") > first + 1
    assert broadcast.current_version("week-1") == 0
