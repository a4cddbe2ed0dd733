"""A frozen week on the live socket: colleagues keep the board as of the freeze, L&D see it live."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from accounts import roles
from leaderboard.services import points_award, week_configure
from tests.accounts.factories import UserFactory
from tests.leaderboard.test_consumers import connected_socket

pytestmark = [pytest.mark.anyio, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def anyio_backend():
    return "asyncio"


@database_sync_to_async
def frozen_week_with_late_points():
    early, late = UserFactory(), UserFactory()
    manager = UserFactory(roles=[roles.LD_MANAGER])
    before = timezone.now() - timedelta(hours=1)
    points_award(user=early, amount=10, kind="x", source_key="a", week_id=8, created_at=before)
    week_configure(week_id=8, title="Frozen week", frozen_at=timezone.now() - timedelta(minutes=5))
    points_award(user=late, amount=50, kind="x", source_key="b", week_id=8)
    return early, late, manager


async def test_ld_socket_gets_live_standings_while_colleagues_get_the_frozen_board():
    early, _late, manager = await frozen_week_with_late_points()
    public, snapshot = await connected_socket(early, "/ws/leaderboard/week-8/")
    assert snapshot["frozen"] is True and snapshot["live"] is False
    assert [row["points"] for row in snapshot["top"]] == [10]
    ld, live = await connected_socket(manager, "/ws/leaderboard/week-8/")
    assert live["frozen"] is True and live["live"] is True
    assert [row["points"] for row in live["top"]] == [50, 10]
    await public.disconnect()
    await ld.disconnect()


async def test_a_freeze_ahead_is_not_frozen_yet():
    user = await database_sync_to_async(UserFactory)()

    @database_sync_to_async
    def setup():
        week_configure(week_id=9, frozen_at=timezone.now() + timedelta(hours=1))
        points_award(user=user, amount=7, kind="x", source_key="a", week_id=9)

    await setup()
    socket, snapshot = await connected_socket(user, "/ws/leaderboard/week-9/")
    assert snapshot["frozen"] is False and snapshot["top"][0]["points"] == 7
    await socket.disconnect()
