"""seed_demo's challenge weeks, and the corpus export on the demo data."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from challenges import corpus
from challenges.models import ChallengeWeek
from leaderboard.models import BadgeAward
from tests.challenges.test_corpus import check_shape, read_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    # seed_demo commits each app's part; inside a test's transaction, run what follows commits.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())


def test_demo_has_a_running_week_of_four_teams_and_a_finished_week_with_results(demo, client):
    now = timezone.now()
    running = ChallengeWeek.objects.get(starts_at__lte=now, ends_at__gt=now)
    assert running.teams.count() == 4 and running.challenges.exists()
    finished = ChallengeWeek.objects.get(ends_at__lte=now)
    assert finished.finalised_at is not None
    assert BadgeAward.objects.filter(badge__criteria="week_placement").count() == 3
    client.force_login(User.objects.get(email="employee@apprentice.example"))
    results = client.get(f"/challenge/weeks/{finished.pk}/results/").content.decode()
    assert "Winning team" in results and "Podium" in results
    assert f'data-week-banner="{running.pk}"' in client.get("/leaderboard/").content.decode()


def test_export_corpus_on_the_demo_writes_four_files_without_names_or_emails(demo, tmp_path):
    call_command("export_corpus", "--out", str(tmp_path), stdout=io.StringIO())
    for name in corpus.FILES:
        rows = read_lines(tmp_path / f"{name}.jsonl")
        assert rows, f"the demo should give {name}.jsonl some lines"
        check_shape(name, rows)
    data = b"".join((tmp_path / f"{n}.jsonl").read_bytes() for n in corpus.FILES).lower()
    for user in User.objects.all():
        for secret in (user.email, user.get_full_name(), user.public_name):
            assert secret.lower().encode() not in data, secret
        # Single first or last names could be ordinary words ("May"); long ones must not appear.
        for part in (user.first_name, user.last_name):
            if len(part) >= 5:
                assert part.lower().encode() not in data, part
