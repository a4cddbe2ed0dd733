"""Challenge weeks: windows, practice points, freeze (public vs L&D), reveal and results,
per-member team ranking, several weeks at once, overlap refusal, a team removed mid-week."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts import roles
from challenges import services
from challenges.models import ChallengeWeek
from config.errors import ApplicationError
from leaderboard import selectors as boards
from leaderboard.models import Badge, BadgeAward, PointsAward, Standing
from tests.accounts.factories import TeamFactory, UserFactory
from tests.challenges.factories import REFUND_QUOTE, TONE_QUOTE, category, make_challenge, make_week
from tests.leaderboard.factories import BadgeFactory

pytestmark = pytest.mark.django_db


def flag_all(challenge, user):
    """Submit perfect flags (full points) through the Observe service."""
    flags = []
    for quote, slug in ((REFUND_QUOTE, "hallucination"), (TONE_QUOTE, "tone-empathy")):
        start = challenge.output.index(quote)
        flags.append(services.FlagInput(start, start + len(quote), category(slug).pk, ""))
    return services.flags_submit(user=user, challenge=challenge, flags=flags)


def week_points(week, user) -> int:
    return (
        Standing.objects.filter(scope=week.scope, user=user)
        .values_list("points", flat=True)
        .first()
        or 0
    )


def move_week(week, **changes):
    """Move a week in time (what waiting would do), keeping its leaderboard settings in step."""
    for field, value in changes.items():
        setattr(week, field, value)
    return services.week_save(
        week=week, challenges=list(week.challenges.all()), teams=list(week.teams.all())
    )


def test_points_inside_the_window_count_on_the_week_board(challenge, employee):
    week = make_week(challenges=[challenge])
    flag_all(challenge, employee)
    award = PointsAward.objects.get(user=employee, kind="challenge.flags")
    assert award.week_id == week.pk
    assert week_points(week, employee) == 100


def test_after_the_window_points_are_practice_points_and_the_page_says_so(
    client, challenge, employee
):
    week = make_week(challenges=[challenge], start=timezone.now() - timedelta(days=3), hours=24)
    flag_all(challenge, employee)
    award = PointsAward.objects.get(user=employee, kind="challenge.flags")
    assert award.week_id is None and award.amount == 100  # still earned, as practice
    assert week_points(week, employee) == 0
    client.force_login(employee)
    page = client.get(challenge.url)
    assert "This week has ended: your points count as practice points" in page.content.decode()


def test_before_the_window_points_are_practice_points(client, challenge, employee):
    week = make_week(challenges=[challenge], start=timezone.now() + timedelta(days=1))
    flag_all(challenge, employee)
    assert PointsAward.objects.get(user=employee, kind="challenge.flags").week_id is None
    assert week_points(week, employee) == 0
    client.force_login(employee)
    assert (
        "until then your points count as practice points"
        in client.get(challenge.url).content.decode()
    )


def test_a_week_for_some_teams_counts_only_their_members(challenge, employee, colleague):
    week = make_week(challenges=[challenge], teams=[employee.current_team])
    flag_all(challenge, employee)
    flag_all(challenge, colleague)
    assert week_points(week, employee) == 100
    assert week_points(week, colleague) == 0
    assert PointsAward.objects.get(user=colleague, kind="challenge.flags").week_id is None


def test_every_award_of_the_loop_carries_the_running_week(challenge, employee, colleague):
    week = make_week(challenges=[challenge])
    correction = services.correction_submit(
        user=employee,
        challenge=challenge,
        text="Thanks for getting in touch. Returns need a receipt within 30 days of purchase.",
        rationale="The AI invented a refund policy and patronised the customer.",
    )
    reviewers = [colleague, UserFactory()]
    for reviewer in reviewers:
        services.review_submit(
            reviewer=reviewer,
            correction=correction,
            scores={"accuracy": 5, "tone": 5, "completeness": 4, "policy_fit": 5},
            comment="",
        )
    kinds = set(
        PointsAward.objects.filter(week_id=week.pk).values_list("kind", flat=True).distinct()
    )
    assert {"correction.reviewed", "review.given"} <= kinds
    assert not PointsAward.objects.filter(week_id__isnull=True).exists()


def test_end_before_start_and_freeze_outside_the_window_are_refused(challenge):
    now = timezone.now()
    with pytest.raises(ApplicationError) as ended_first:
        services.week_save(
            week=ChallengeWeek(title="Backwards", starts_at=now, ends_at=now - timedelta(hours=1)),
            challenges=[challenge],
        )
    assert "end after it starts" in str(ended_first.value)
    with pytest.raises(ApplicationError) as frozen_late:
        services.week_save(
            week=ChallengeWeek(
                title="Late freeze",
                starts_at=now,
                ends_at=now + timedelta(days=1),
                freeze_at=now + timedelta(days=2),
            ),
            challenges=[challenge],
        )
    assert "freeze time must fall inside the week" in str(frozen_late.value)
    assert not ChallengeWeek.objects.exists()


def test_a_challenge_in_two_overlapping_weeks_is_refused_by_form_and_service(challenge):
    from challenges.wagtail_hooks import ChallengeWeekForm

    first = make_week(challenges=[challenge], title="First")
    overlapping = ChallengeWeek(
        title="Second",
        starts_at=first.starts_at + timedelta(hours=2),
        ends_at=first.ends_at + timedelta(days=1),
    )
    with pytest.raises(ApplicationError) as refused:
        services.week_save(week=overlapping, challenges=[challenge])
    assert "a challenge belongs to at most one running week" in str(refused.value)
    form = ChallengeWeekForm(
        data={
            "title": "Second",
            "starts_at": overlapping.starts_at.strftime("%Y-%m-%d %H:%M"),
            "ends_at": overlapping.ends_at.strftime("%Y-%m-%d %H:%M"),
            "challenges": [challenge.pk],
            "team_ranking": "total",
        }
    )
    assert not form.is_valid()
    assert "a challenge belongs to at most one running week" in str(form.errors["challenges"])
    assert ChallengeWeek.objects.count() == 1
    # The same challenge in a later, non-overlapping week is fine.
    make_week(challenges=[challenge], title="Later", start=first.ends_at)


def test_several_weeks_run_at_once_on_different_challenges(employee):
    kettle, toaster = make_challenge(title="Kettle"), make_challenge(title="Toaster")
    first = make_week(challenges=[kettle], title="Kettle week")
    second = make_week(challenges=[toaster], title="Toaster week")
    flag_all(kettle, employee)
    flag_all(toaster, employee)
    assert week_points(first, employee) == 100 and week_points(second, employee) == 100
    assert services.weeks_close() == []
    from challenges.selectors import weeks_running

    assert {w.pk for w in weeks_running()} == {first.pk, second.pk}


def test_average_ranking_puts_a_small_strong_team_first(challenge):
    big, small = TeamFactory(name="Big"), TeamFactory(name="Small")
    week = make_week(challenges=[challenge], team_ranking=ChallengeWeek.AVERAGE)
    start = challenge.output.index(REFUND_QUOTE)
    partial = [
        services.FlagInput(start, start + len(REFUND_QUOTE), category("hallucination").pk, "")
    ]
    for _ in range(3):
        services.flags_submit(user=UserFactory(team=big), challenge=challenge, flags=partial)
    flag_all(challenge, UserFactory(team=small))
    teams = boards.board_payload(scope=week.scope, user_ids=[])["teams"]
    totals = {t["name"]: t["points"] for t in teams}
    assert totals["Big"] > totals["Small"]  # more points in total...
    assert teams[0]["name"] == "Small"  # ...but fewer per active member
    move_week(week, team_ranking=ChallengeWeek.TOTAL)
    assert boards.board_payload(scope=week.scope, user_ids=[])["teams"][0]["name"] == "Big"


def test_a_team_removed_mid_week_keeps_its_points_on_the_board(challenge, employee, colleague):
    care, risk = employee.current_team, colleague.current_team
    week = make_week(challenges=[challenge], teams=[care, risk])
    flag_all(challenge, employee)
    week.teams.remove(care)
    move_week(week)  # L&D saves the week without the team
    later = UserFactory(team=care)
    flag_all(challenge, later)
    assert week_points(week, employee) == 100  # earned while the team took part: stays
    assert week_points(week, later) == 0  # after removal: practice
    teams = {t["name"] for t in boards.team_board(scope=week.scope)}
    assert care.name in teams
    call_command("standings_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert week_points(week, employee) == 100


def test_freeze_stops_the_public_board_while_ld_sees_live_standings(
    client, challenge, employee, colleague
):
    manager = UserFactory(roles=[roles.LD_MANAGER])
    week = make_week(challenges=[challenge], freeze_after=timedelta(minutes=30))
    assert week.is_frozen()
    flag_all(challenge, employee)  # after the freeze
    assert PointsAward.objects.get(user=employee, kind="challenge.flags").week_id == week.pk
    assert week_points(week, employee) == 0  # the public board stopped moving
    assert Standing.objects.get(scope="all", user=employee).points == 100  # points accrue
    client.force_login(colleague)
    public = client.get(f"/leaderboard/{week.scope}/").content.decode()
    assert "Standings are frozen" in public and employee.public_name not in public
    api = client.get(f"/api/v1/leaderboard/{week.scope}/").json()
    assert api["frozen"] is True and api["top"] == []
    client.force_login(manager)
    live = client.get(f"/leaderboard/{week.scope}/").content.decode()
    assert "you see the live standings" in live and employee.public_name in live
    assert client.get(f"/api/v1/leaderboard/{week.scope}/").json()["top"][0]["points"] == 100
    teams = client.get(f"/leaderboard/{week.scope}/teams/").content.decode()
    assert employee.current_team.name in teams


def test_a_future_freeze_does_not_freeze_the_board_yet(challenge, employee):
    week = make_week(challenges=[challenge], freeze_after=timedelta(hours=5))
    flag_all(challenge, employee)
    assert week_points(week, employee) == 100
    assert boards.board_payload(scope=week.scope, user_ids=[])["frozen"] is False


def test_the_end_reveals_the_final_board_and_awards_badges_once(
    client, challenge, employee, colleague, django_capture_on_commit_callbacks
):
    podium = BadgeFactory(criteria=Badge.WEEK_PLACEMENT, threshold=1, name="Week winner")
    week = make_week(challenges=[challenge], freeze_after=timedelta(minutes=30))
    flag_all(challenge, employee)  # after the freeze: hidden until the reveal
    move_week(week, starts_at=week.starts_at - timedelta(days=2), ends_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("weeks_close", stdout=open("/dev/null", "w"))  # noqa: SIM115
    week.refresh_from_db()
    assert week.finalised_at is not None
    assert week_points(week, employee) == 100  # revealed
    assert BadgeAward.objects.filter(badge=podium, user=employee).exists()
    finalised_at = week.finalised_at
    with django_capture_on_commit_callbacks(execute=True):
        assert services.weeks_close() == []  # once only
    week.refresh_from_db()
    assert week.finalised_at == finalised_at
    client.force_login(colleague)
    page = client.get(f"/challenge/weeks/{week.pk}/results/").content.decode()
    assert employee.current_team.name in page and "Winning team" in page
    assert employee.public_name in page and "Week winner" in page
    # Practice after the end: the final board does not move.
    flag_all(make_challenge(title="Other"), employee)
    assert week_points(week, employee) == 100


def test_results_page_says_being_finalised_until_the_job_runs_then_names_the_winners(
    client, challenge, employee, django_capture_on_commit_callbacks
):
    podium = BadgeFactory(criteria=Badge.WEEK_PLACEMENT, threshold=1, name="Week winner")
    week = make_week(challenges=[challenge])
    flag_all(challenge, employee)
    # The week ends (no service call: time passing does not run anything).
    ChallengeWeek.objects.filter(pk=week.pk).update(
        starts_at=week.starts_at - timedelta(days=2), ends_at=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(employee)
    url = f"/challenge/weeks/{week.pk}/results/"
    for _ in range(2):  # viewing, again and again, finalises nothing
        page = client.get(url).content.decode()
        assert "results are being finalised" in page and 'data-week-results="final"' not in page
    assert "(results are being finalised)" in client.get("/challenge/weeks/").content.decode()
    week.refresh_from_db()
    assert week.finalised_at is None and not BadgeAward.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("weeks_close", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page = client.get(url).content.decode()
    assert 'data-week-results="final"' in page and "being finalised" not in page
    assert employee.public_name in page and "Week winner" in page
    assert BadgeAward.objects.filter(badge=podium, user=employee).exists()


def test_saving_a_week_queues_weeks_close_for_its_end(
    challenge, settings, django_capture_on_commit_callbacks
):
    """On a backend that can defer (production's database backend) the task waits for the end."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    with django_capture_on_commit_callbacks(execute=True):
        week = make_week(challenges=[challenge])
    queued = DBTaskResult.objects.get(task_path="challenges.tasks.weeks_close_task")
    assert queued.run_after == week.ends_at


def test_a_running_weeks_results_page_says_when_they_come(client, challenge, employee):
    week = make_week(challenges=[challenge])
    client.force_login(employee)
    page = client.get(f"/challenge/weeks/{week.pk}/results/").content.decode()
    assert "results are revealed when it ends" in page
    assert client.get("/challenge/weeks/999999/results/").status_code == 404


def test_the_banner_shows_running_weeks_with_the_board_link(client, challenge, employee):
    week = make_week(challenges=[challenge], title="Refund week", theme="Spot invented policies")
    old = make_week(
        challenges=[make_challenge(title="Old")],
        title="Old week",
        start=timezone.now() - timedelta(days=9),
    )
    client.force_login(employee)
    page = client.get("/leaderboard/").content.decode()
    banner = page[page.index('class="week-banner"') : page.index("</aside>")]
    assert f'data-week-banner="{week.pk}"' in banner and f"/leaderboard/{week.scope}/" in banner
    assert "Old week" not in banner and f'data-week-banner="{old.pk}"' not in page
    assert "ends in" in banner


def test_a_finalised_weeks_dates_cannot_change(challenge):
    week = make_week(challenges=[challenge], start=timezone.now() - timedelta(days=3))
    services.weeks_close()
    week.refresh_from_db()
    with pytest.raises(ApplicationError, match="results are final"):
        move_week(week, ends_at=timezone.now() + timedelta(days=1))


def test_admin_week_form_refuses_bad_dates_and_saves_through_the_service(client, challenge):
    roles.sync_role_permissions()  # as after migrate, once every app's permissions exist
    manager = UserFactory(roles=[roles.LD_MANAGER])
    client.force_login(manager)
    now = timezone.localtime()
    data = {
        "title": "Admin week",
        "theme": "",
        "starts_at": now.strftime("%Y-%m-%d %H:%M"),
        "ends_at": (now - timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
        "freeze_at": "",
        "challenges": [challenge.pk],
        "team_ranking": "average",
    }
    refused = client.post("/admin/challenge_weeks/new/", data)
    assert refused.status_code == 200
    assert "The week must end after it starts" in refused.content.decode()
    data["ends_at"] = (now + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    saved = client.post("/admin/challenge_weeks/new/", data)
    assert saved.status_code == 302
    week = ChallengeWeek.objects.get()
    config = boards.scope_config(week.scope)
    assert (config.title, config.team_ranking) == ("Admin week", "average")
    employee = UserFactory()
    client.force_login(employee)
    assert client.get("/admin/challenge_weeks/new/").status_code in (302, 403)
