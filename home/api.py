"""The signed-in user's own progress and mentoring signals, as JSON (/api/v1/me/...)."""

from datetime import date

from ninja import Router, Schema

from home.selectors import dashboard_context, mentoring_signals

router = Router(tags=["me"])


class LevelOut(Schema):
    name: str | None
    next: str | None
    percent: int
    to_go: int


class AssignmentOut(Schema):
    module: str
    url: str | None
    due_date: date
    percent: int
    completed: bool
    overdue: bool


class SkillOut(Schema):
    slug: str
    name: str
    points: int


class ProgressOut(Schema):
    points: int
    rank: int | None
    month_rank: int | None
    level: LevelOut
    badges: list[str]
    assignments: list[AssignmentOut]
    skills: list[SkillOut]


class PassRateOut(Schema):
    version: str
    pass_rate: float
    judged: int


class FlagPointOut(Schema):
    label: str
    precision: float
    recall: float


class SignalsOut(Schema):
    flags: list[FlagPointOut]
    corrections_reviewed: int
    corrections_accepted: int
    corrections_gold: int
    correction_avg_score: float | None
    blind_spots: int
    context_approved: int
    context_pending: int
    pass_rates: list[PassRateOut]


@router.get("/progress/", response=ProgressOut, summary="My points, level, ranks and modules")
def my_progress(request):
    data = dashboard_context(request.user)
    progress = data["progress"]
    return {
        "points": data["points"],
        "rank": data["rank"],
        "month_rank": data["month_rank"],
        "level": {
            "name": progress["level"].name if progress["level"] else None,
            "next": progress["next"].name if progress["next"] else None,
            "percent": progress["percent"],
            "to_go": progress["to_go"],
        },
        "badges": [award.badge.name for award in data["badges"]],
        "assignments": [
            {
                "module": item.module.title,
                "url": item.module.url,
                "due_date": item.due_date,
                "percent": item.percent,
                "completed": item.completed,
                "overdue": item.is_overdue,
            }
            for item in data["assignments"]
        ],
        "skills": [
            {"slug": s["slug"], "name": s["name"], "points": s["points"]} for s in data["skills"]
        ],
    }


@router.get("/signals/", response=SignalsOut, summary="Is my teaching working?")
def my_signals(request):
    signals = mentoring_signals(request.user)
    return {
        "flags": [
            {"label": label, "precision": p, "recall": r}
            for label, p, r in zip(
                signals.flag_labels, signals.precision, signals.recall, strict=True
            )
        ],
        "corrections_reviewed": signals.corrections_reviewed,
        "corrections_accepted": signals.corrections_accepted,
        "corrections_gold": signals.corrections_gold,
        "correction_avg_score": signals.correction_avg_score,
        "blind_spots": signals.blind_spots,
        "context_approved": signals.context_approved,
        "context_pending": signals.context_pending,
        "pass_rates": [
            {"version": v, "pass_rate": round(rate, 4), "judged": n}
            for v, rate, n in signals.pass_rates
        ],
    }
