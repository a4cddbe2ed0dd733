"""Autovacuum settings for the tables every award changes (PostgreSQL only).

Ranks are counted with index-only scans on ``leaderboard_standing`` (the ties ahead of each
viewer, on board pages and in every live batch). Such a scan visits the table for every page
that is not marked all-visible, and every award updates a few standings, clearing that mark
on their pages; with the default thresholds (20 % of the table changed) a 1M-row standings
table is vacuumed about once per 200,000 changes, so under steady awards most of its pages
stay unmarked and a batch of 500 viewers at 100k took 314 ms instead of 30 ms. A fixed
threshold re-marks them every few thousand changes (vacuum only visits unmarked pages). The
delta and badge-check queues are deleted as fast as they fill: vacuumed as often, so their
scans do not walk dead rows.
"""

from django.db import migrations

TABLES = {
    "leaderboard_standing": 5000,
    "leaderboard_teamstanding": 2000,
    "leaderboard_scorebucket": 2000,
    "leaderboard_aggregatedelta": 5000,
    "leaderboard_badgecheck": 5000,
}


def tune(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, threshold in TABLES.items():
        schema_editor.execute(
            f"ALTER TABLE {table} SET (autovacuum_vacuum_scale_factor = 0, "
            f"autovacuum_vacuum_threshold = {threshold}, "
            "autovacuum_vacuum_insert_scale_factor = 0, "
            f"autovacuum_vacuum_insert_threshold = {threshold})"
        )


def untune(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"ALTER TABLE {table} RESET (autovacuum_vacuum_scale_factor, "
            "autovacuum_vacuum_threshold, autovacuum_vacuum_insert_scale_factor, "
            "autovacuum_vacuum_insert_threshold)"
        )


class Migration(migrations.Migration):
    dependencies = [("leaderboard", "0011_ledger_fewer_indexes")]

    operations = [migrations.RunPython(tune, untune)]
