"""The tables every award changes are vacuumed at a fixed threshold on PostgreSQL (migration
0012), so rank counts stay index-only under steady awards."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL storage parameters")
def test_award_tables_have_a_fixed_autovacuum_threshold():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s)",
            [["leaderboard_standing", "leaderboard_aggregatedelta", "leaderboard_badgecheck"]],
        )
        options = {name: set(opts or []) for name, opts in cursor.fetchall()}
    assert "autovacuum_vacuum_scale_factor=0" in options["leaderboard_standing"]
    assert "autovacuum_vacuum_threshold=5000" in options["leaderboard_standing"]
    assert "autovacuum_vacuum_insert_threshold=5000" in options["leaderboard_aggregatedelta"]
    assert "autovacuum_vacuum_threshold=5000" in options["leaderboard_badgecheck"]
