"""Back-up and restore as docs/operations.md tells operators: ``pg_dump -Fc`` of the database,
``pg_restore`` into a fresh one, and every ledger row is there (PostgreSQL only)."""

import shutil
import subprocess
import uuid

import pytest
from django.db import connection

from leaderboard.models import PointsAward, Standing
from leaderboard.services import points_award
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

LEDGER_COLUMNS = "id, user_id, team_id, amount, kind, source_key, skill, week_id, created_at"


def pg_env(settings_dict) -> dict[str, str]:
    env = {"PGHOST": settings_dict["HOST"] or "127.0.0.1", "PGUSER": settings_dict["USER"]}
    if settings_dict.get("PORT"):
        env["PGPORT"] = str(settings_dict["PORT"])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return env


def run(*args: str, env: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603 - fixed programs, arguments built here
        args, env={"PATH": "/usr/bin:/bin", **env}, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_a_pg_dump_restored_into_a_fresh_database_holds_every_ledger_row(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump/pg_restore back up PostgreSQL; the SQLite file is copied instead.")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump and pg_restore are not installed.")
    import psycopg

    team_user = UserFactory()
    users = [team_user, UserFactory(), UserFactory()]
    for n, user in enumerate(users):
        points_award(user=user, amount=10 + n, kind="lesson.completed", source_key=f"l:{n}")
        points_award(user=user, amount=-2, kind="correction", source_key=f"fix:{n}")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {LEDGER_COLUMNS} FROM leaderboard_pointsaward ORDER BY id")  # noqa: S608
        ledger = cursor.fetchall()
    assert len(ledger) == PointsAward.objects.count() == 6
    standings = Standing.objects.count()
    assert standings > 0

    settings_dict = connection.settings_dict
    env = pg_env(settings_dict)
    dump = tmp_path / "apprentice.dump"
    restored = f"{settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    # The commands of docs/operations.md.
    run("pg_dump", "-Fc", "--no-owner", "-f", str(dump), settings_dict["NAME"], env=env)
    run("createdb", restored, env=env)
    try:
        run("pg_restore", "--no-owner", "--exit-on-error", "-d", restored, str(dump), env=env)
        conninfo = psycopg.conninfo.make_conninfo(
            dbname=restored,
            host=env["PGHOST"],
            user=env["PGUSER"],
            port=env.get("PGPORT"),
            password=env.get("PGPASSWORD"),
        )
        with psycopg.connect(conninfo) as restored_db:
            rows = restored_db.execute(
                f"SELECT {LEDGER_COLUMNS} FROM leaderboard_pointsaward ORDER BY id"  # noqa: S608
            ).fetchall()
            restored_standings = restored_db.execute(
                "SELECT count(*) FROM leaderboard_standing"
            ).fetchone()[0]
    finally:
        run("dropdb", "--if-exists", "--force", restored, env=env)
    assert rows == ledger
    assert restored_standings == standings
