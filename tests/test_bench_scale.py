"""``make bench-scale``'s arithmetic: awards matched to frames, budgets, the scale table.

The run itself needs PostgreSQL, Redis and daphne workers (``bench/scale.py``); what it
concludes from its measurements is plain Python and is checked here on made-up figures.
"""

from bench.scale_push import analyse
from bench.scale_report import rows, scale_table


def frame(received, built, version, size=100):
    # (receipt time, size in bytes, build time, version, sent_at)
    return (received, size, built, version, built + 0.01)


def test_commit_to_receipt_takes_the_earliest_award_a_frame_covers():
    commits = [10.0, 10.5, 11.2, 12.0]
    clients = [
        # The snapshot (built at 9.4) covers nothing; the frame built at 11.0 covers the awards
        # of 10.0 and 10.5 (one sample: 11.6 - 10.0); the one built at 12.1 those of 11.2 and
        # 12.0 (12.9 - 11.2).
        {
            "connect_s": 1,
            "frames": [frame(9.5, 9.4, "1"), frame(11.6, 11.0, "2"), frame(12.9, 12.1, "3")],
        },
        # Missed the last broadcast.
        {"connect_s": 1, "frames": [frame(9.6, 9.5, "1"), frame(11.7, 11.0, "2")]},
        # Connected after the first broadcast: its snapshot (built at 11.4) covers the first
        # three awards, so the last frame gives 12.95 - 12.0; only that broadcast is expected.
        {"connect_s": 1, "frames": [frame(11.5, 11.4, "2"), frame(12.95, 12.1, "3")]},
        {"error": "refused", "frames": []},
    ]
    result = analyse(clients, commits, interval=1.0)
    assert [round(x, 2) for x in result["latency_s"]] == [1.6, 1.7, 1.7, 0.95]
    assert result["connected"] == 3
    assert result["broadcasts"] == 2
    assert result["got_last"] == 2
    assert result["complete"] == 2
    assert result["missed"] == 1


def results(*, users, per_second, p95_latency, differ):
    push = analyse(
        [
            {
                "connect_s": 0.5,
                "frames": [frame(9.5, 9.4, "1"), frame(10.0 + p95_latency, 10.5, "2")],
            }
        ],
        [10.0],
        interval=1.0,
    )
    push.update(
        rate=20,
        seconds=60,
        batch=50,
        rss_mb=[200.0],
        queries={},
        cpu=None,
        commits=1,
        storm_s=1.0,
        tracebacks=0,
    )
    return {
        "size": {"users": users, "teams": 10, "awards": users * 20, "ledger_rows": users * 20},
        "seed": {"whole": 2.0},
        "rebuild_s": 1.0,
        "reads": {"reference: ledger": [40.0, 40.0], "board": [4.0, 4.0]},
        "single": {"queries": [12, 14], "ms": [10.0, 20.0], "new": 2},
        "writers": {
            "writers": 50,
            "seconds": 30,
            "per_second": per_second,
            "ms": [50.0, 90.0],
            "errors": 0,
            "calls": 10,
            "new": 10,
        },
        "expected_awards": 12,
        "consistency": {
            "folded_with": "",
            "ledger": 12,
            "distinct": 12,
            "differ": {"standings": differ},
        },
        "push": push,
        "pages": [],
    }


def test_budgets_pass_and_fail_on_the_measured_figures():
    good = {
        r["key"]: r for r in rows(results(users=1000, per_second=350, p95_latency=1.2, differ=0))
    }
    assert good["writers-rate"]["ok"] and good["consistent"]["ok"] and good["push-latency"]["ok"]
    assert good["award-queries"]["ok"] and good["exactly-once"]["ok"]
    assert good["read:board"]["ratio"] == "0.1"  # against the ledger aggregation, same run
    bad = {r["key"]: r for r in rows(results(users=1000, per_second=36, p95_latency=4.0, differ=3))}
    assert bad["writers-rate"]["ok"] is False
    assert bad["consistent"]["ok"] is False
    assert bad["push-latency"]["ok"] is False


def test_scale_table_has_a_column_per_size_and_the_growth():
    table = scale_table(
        [
            results(users=1000, per_second=350, p95_latency=1.2, differ=0),
            results(users=10000, per_second=700, p95_latency=1.2, differ=0),
        ]
    )
    head, _, *body = table.splitlines()
    assert "1,000 users" in head and "10,000 users" in head
    rate = next(line for line in body if "awards/s" in line)
    assert rate.endswith("| 2x |")
