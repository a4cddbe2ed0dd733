"""What the benchmarks share: waiting for a worker, stopping processes, writing a marked section
of a document, and the reads every benchmark compares against (these need Django set up first,
which each script does before calling them, so their model imports are inside)."""

import time
import urllib.request
from pathlib import Path


def wait_healthy(host: str, seconds: float = 60) -> None:
    """Until ``host``'s /healthz answers 200, or exit naming the host."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{host}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{host} did not become healthy within {seconds:g} s")


def processes_stop(procs) -> None:
    """Terminate multiprocessing children, and kill those that linger."""
    for proc in procs:
        if proc.is_alive():
            proc.terminate()
        proc.join(5)
        if proc.is_alive():
            proc.kill()
            proc.join(5)


def section_write(doc: Path, begin: str, end: str, text: str) -> None:
    """Replace the text between two markers of ``doc`` (or append the block)."""
    content = doc.read_text()
    block = f"{begin}\n{text}\n{end}"
    if begin in content and end in content:
        content = content[: content.index(begin)] + block + content[content.index(end) + len(end) :]
    else:
        content = content.rstrip("\n") + "\n\n" + block + "\n"
    doc.write_text(content)


def ledger_top() -> None:
    """The reference read: a top 20 summed from the whole ledger (no maintained standings)."""
    from django.db.models import Sum

    from leaderboard.models import PointsAward

    list(
        PointsAward.objects.values("user_id")
        .annotate(total=Sum("amount"))
        .order_by("-total", "user_id")[:20]
    )


def aggregates_snapshot() -> dict:
    """Every standing, team standing and score bucket, sorted: compared before and after
    ``standings_rebuild`` to prove the incremental rows equal the recomputed ones."""
    from leaderboard.models import ScoreBucket, Standing, TeamStanding

    return {
        "standings": sorted(
            Standing.objects.values_list("scope", "user_id", "points", "reached_at")
        ),
        "team_standings": sorted(
            TeamStanding.objects.values_list("scope", "team_id", "points", "members", "reached_at")
        ),
        "score_buckets": sorted(
            ScoreBucket.objects.filter(count__gt=0).values_list("scope", "points", "count")
        ),
    }
