"""A line manager's view of their own team's progress (modules, challenges, signals), and the
same table for one learner. Reads only; a fixed number of queries whatever the team's size."""

from django.db.models import Count, Q, Sum

from accounts.models import Membership, Team, User
from accounts.roles import is_ld_manager
from challenges.models import BlindSpotDiscovery, ContextNote, Correction, FlagSubmission
from courses.models import LessonProgress, ModuleCompletion
from home.analytics.tables import Table
from leaderboard.models import PointsAward

COLUMNS = [
    "Name",
    "E-mail",
    "Lessons completed",
    "Modules completed",
    "Challenges observed",
    "Corrections accepted",
    "Context notes approved",
    "Blind spots found",
    "Points",
]


def teams_visible_to(user: User):
    """Teams whose progress ``user`` may see: the ones they line-manage (L&D Managers: all)."""
    if is_ld_manager(user):
        return Team.objects.all()
    return Team.objects.filter(line_manager=user)


def _counts(queryset, user_ids, **annotation) -> dict[int, int]:
    rows = queryset.filter(user_id__in=user_ids).values("user_id").annotate(**annotation)
    (name,) = annotation
    return {row["user_id"]: row[name] or 0 for row in rows}


def progress_table(*, team: Team | None = None, people=None) -> tuple[list[User], Table]:
    """One row per person (a team's current active members, or the ``people`` given), and the
    people in row order."""
    if people is None:
        members = Membership.objects.filter(team=team, ended_at__isnull=True)
        people = User.objects.filter(pk__in=members.values("user_id"), is_active=True)
    people = list(people.order_by("last_name", "first_name", "pk"))
    ids = [p.pk for p in people]
    lessons = _counts(LessonProgress.objects, ids, n=Count("id"))
    modules = _counts(ModuleCompletion.objects, ids, n=Count("id"))
    observed = _counts(FlagSubmission.objects, ids, n=Count("challenge", distinct=True))
    accepted = _counts(Correction.objects, ids, n=Count("id", filter=Q(score__gte=3)))
    approved = _counts(
        ContextNote.objects, ids, n=Count("id", filter=Q(status=ContextNote.APPROVED))
    )
    blind = _counts(BlindSpotDiscovery.objects, ids, n=Count("id"))
    points = _counts(PointsAward.objects, ids, n=Sum("amount"))
    rows = [
        [
            p.public_name,
            p.email,
            lessons.get(p.pk, 0),
            modules.get(p.pk, 0),
            observed.get(p.pk, 0),
            accepted.get(p.pk, 0),
            approved.get(p.pk, 0),
            blind.get(p.pk, 0),
            points.get(p.pk, 0),
        ]
        for p in people
    ]
    title = f"Progress of {team.name}" if team is not None else "Learner progress"
    return people, Table(
        slug="team-progress",
        title=title,
        sheet_title="Team progress" if team is not None else "Learner progress",
        columns=COLUMNS,
        rows=rows,
    )
