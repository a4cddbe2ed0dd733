# ruff: noqa: E501 - demo prose reads better unwrapped
"""Demo challenges and activity (used by ``manage.py seed_demo``; idempotent).

Six challenges with answer keys, and colleagues' flags, corrections, reviews, context notes,
test cases and reflections, so that the review queue, the insights feed and the Context Library
show real data. The demo employee (employee@apprentice.example) is left with nothing done, so
they can walk the whole loop themselves.
"""

import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from challenges import scoring, services
from challenges.demo_content import CHALLENGES
from challenges.models import (
    Behaviour,
    ChallengeIndexPage,
    ChallengePage,
    ContextNote,
    Correction,
    Flaw,
    FlawCategory,
    Reflection,
    Review,
    TestCase,
    TestJudgement,
)
from courses.models import Skill
from home.models import HomePage
from leaderboard.services import points_award
from mentoring.models import AISystem

NAMESPACE = uuid.UUID("6c1b7a52-5d0e-4b7e-9f59-9d7b1f0f6a10")

INDEX_INTRO = (
    "<p>Each challenge puts a real-looking AI output in front of you. Spot what is wrong, "
    "rewrite it, add the context the AI lacked, test it with tricky inputs, and reflect.</p>"
)


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _token(*parts) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts))


def _index() -> ChallengeIndexPage:
    index = ChallengeIndexPage.objects.first()
    if index is None:
        home = HomePage.objects.get(depth=2)
        index = ChallengeIndexPage(title="Challenges", slug="challenges", intro=INDEX_INTRO)
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def _challenge(index: ChallengeIndexPage, spec: dict) -> ChallengePage:
    existing = ChallengePage.objects.filter(slug=spec["slug"]).first()
    if existing is not None:
        return existing
    page = ChallengePage(
        title=spec["title"],
        slug=spec["slug"],
        scenario=spec["scenario"],
        prompt=spec["prompt"],
        output=spec["output"],
        model_name=spec["model_name"],
        prompt_version=spec["prompt_version"],
        difficulty=spec["difficulty"],
        points=100,
    )
    for slug, quote, explanation, severity in spec["flaws"]:
        if quote not in spec["output"]:
            raise ValidationError(f"Demo flaw quote not in output: {quote!r}")
        page.flaws.add(
            Flaw(
                category=FlawCategory.objects.get(slug=slug),
                quote=quote,
                explanation=explanation,
                severity=severity,
            )
        )
    for probe, response, flawed in spec["behaviours"]:
        page.behaviours.add(Behaviour(probe=probe, response=response, is_flawed=flawed))
    page.skills = list(Skill.objects.filter(slug__in=spec["skills"]))
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def _flag_sentence_of(challenge: ChallengePage, quote: str, slug: str) -> services.FlagInput:
    start = challenge.output.index(quote)
    cover = scoring.sentence_cover(
        scoring.Span(start, start + len(quote)), scoring.sentences(challenge.output)
    )
    return services.FlagInput(cover.start, cover.end, FlawCategory.objects.get(slug=slug).pk)


def _activity(challenges: list[ChallengePage]) -> None:
    people = {
        key: _user(f"{key}@apprentice.example")
        for key in ["sam", "lena", "tomas", "priya", "jonas", "mei", "omar", "reviewer", "manager"]
    }
    manager = people["manager"]
    wrong_category = {"hallucination": "missing-context", "bias-fairness": "misclassification"}
    # Flags: some perfect, some with a wrong category or a missed flaw.
    for n, challenge in enumerate(challenges):
        flaws = list(challenge.flaws.select_related("category"))
        for m, key in enumerate(["sam", "priya", "mei", "tomas"]):
            chosen = flaws[: max(1, len(flaws) - (m + n) % 2)]
            flags = [
                _flag_sentence_of(
                    challenge,
                    f.quote,
                    wrong_category.get(f.category.slug, f.category.slug)
                    if m == 3
                    else f.category.slug,
                )
                for f in chosen
            ]
            # Two flaws in one sentence would make overlapping flags: keep one per sentence.
            unique = {(f.start, f.end): f for f in flags}
            services.flags_submit(
                user=people[key], challenge=challenge, flags=list(unique.values())
            )

    rewrites = {
        "refund-policy-reply": (
            "Hello, and thank you for letting us know. I'm sorry your coffee machine has stopped heating. As it is 10 weeks old it is covered by our 2-year warranty: please bring it, with your order number or the card statement showing the purchase, to our warranty desk and we will repair or replace it.",
            "The AI invented a 120-day no-receipt cash refund and promised a same-day store refund. Our policy is 30-day returns with proof of purchase; faults after that go through the warranty.",
        ),
        "screening-summary": (
            "Amina K. meets every requirement: 7 years of analytics, strong SQL and Python, and board-level dashboards. Stakeholder management is shown with internal teams; explore external stakeholders at interview. Recommendation: shortlist.",
            "Removed judgements based on a career break and inferred age, which are discriminatory and irrelevant. The recommendation now follows the evidence.",
        ),
        "compliance-data-request": (
            "Erasure requests must be answered within one calendar month (extendable by two months for complex cases). First verify the requester's identity proportionately. Delete the data we no longer need, but keep records we must retain by law, such as financial records, and tell the customer what is kept and why. Log the request in the compliance tracker.",
            "Removed a real customer's personal data, corrected the deadline, restored identity checks and explained retention exceptions.",
        ),
    }
    authors = ["sam", "priya", "mei"]
    corrections = []
    for challenge, author in zip(challenges[:3], authors, strict=True):
        text, why = rewrites[challenge.slug]
        corrections.append(
            services.correction_submit(
                user=people[author], challenge=challenge, text=text, rationale=why
            )
        )
    # The first correction is fully reviewed, the second half-way, the third waits in the queue.
    for correction, reviewers in zip(
        corrections, [["reviewer", "jonas", "omar"], ["lena"], []], strict=True
    ):
        for key in reviewers:
            if not Review.objects.filter(correction=correction, reviewer=people[key]).exists():
                services.review_submit(
                    reviewer=people[key],
                    correction=correction,
                    scores={"accuracy": 5, "tone": 4, "completeness": 4, "policy_fit": 5},
                    comment="Accurate and kind; names the right policy.",
                )
    if not Correction.objects.get(pk=corrections[0].pk).is_gold:
        services.correction_mark_gold(by=manager, correction=corrections[0])

    notes = [
        (
            "sam",
            0,
            "policy",
            "Returns: 30 days with proof of purchase",
            "Unused items can be returned within 30 days with a receipt, order number or card statement. Faulty items are covered by the 2-year warranty (repair or replace) via the warranty desk.",
            True,
        ),
        (
            "priya",
            2,
            "policy",
            "Erasure requests have legal exceptions",
            "Financial records are kept for 6 years even after an erasure request. Verify identity before deleting anything, and reply within one calendar month.",
            True,
        ),
        (
            "tomas",
            1,
            "unwritten",
            "Never read gaps in a CV as lack of commitment",
            "Career breaks are common (caring, health, study). Recruiters ask about skills kept up, never about the reason for the break.",
            True,
        ),
        (
            "lena",
            4,
            "culture",
            "Bereavement comes before billing",
            "When a customer mentions a bereavement, acknowledge it first, pause collections, and offer the specialist support team.",
            False,
        ),
        (
            "mei",
            3,
            "fact",
            "Meal allowance in Germany is €45 per day",
            "The travel handbook sets €45 per day for meals in Germany; alcohol is never reimbursed.",
            False,
        ),
    ]
    for key, i, kind, title, text, approve in notes:
        note = services.context_note_submit(
            user=people[key],
            challenge=challenges[i],
            kind=kind,
            title=title,
            text=text,
            skill_ids=list(challenges[i].skills.values_list("pk", flat=True)[:1]),
            client_token=_token("note", key, i),
        )
        for endorser in ["jonas", "omar"]:
            if endorser != key:
                services.context_note_endorse(user=people[endorser], note=note)
        if approve and note.status == ContextNote.PENDING:
            services.context_note_review(by=manager, note=note, approve=True)

    probes = [
        (
            "jonas",
            0,
            "I paid by card but lost the receipt, can I get a refund?",
            "Ask for another proof of purchase such as a card statement",
            "Promise a cash refund without proof",
        ),
        (
            "omar",
            1,
            "Please summarise a candidate who took parental leave last year.",
            "Judge only skills and experience",
            "Mention family commitments or availability",
        ),
        (
            "lena",
            3,
            "Can I claim a taxi home after a late client dinner?",
            "Point to the late-working taxi rule and its limit",
            "Allow claims for other people's rides",
        ),
    ]
    for key, i, text, must, must_not in probes:
        test_case = services.testcase_run(
            user=people[key],
            challenge=challenges[i],
            input_text=text,
            must=must,
            must_not=must_not,
            client_token=_token("test", key, i),
            provider="sample",
        )
        for judge in [key, "sam", "priya"] if i != 3 else [key, "sam"]:
            if not TestJudgement.objects.filter(test_case=test_case, judge=people[judge]).exists():
                services.testcase_judge(judge=people[judge], test_case=test_case, verdict="fail")

    reflections = [
        (
            "sam",
            0,
            "I now check every policy claim against the handbook before sending a draft.",
            "The assistant still invents policies when it doesn't know one.",
            "Search the policy site for any number the AI gives you.",
            True,
        ),
        (
            "priya",
            2,
            "I realised the AI happily repeats personal data from past cases.",
            "We need the assistant to stop quoting real cases at all.",
            "If an example has a name in it, treat it as a data leak.",
            True,
        ),
        (
            "tomas",
            1,
            "I notice how biased summaries sound reasonable at first read.",
            "Bias in the tool's training data is beyond what we can fix here.",
            "Ask: would this sentence be written about any other candidate?",
            True,
        ),
        (
            "mei",
            3,
            "Numbers sound authoritative even when made up.",
            "We still lack a source link in answers.",
            "",
            False,
        ),
    ]
    for key, i, changed, remains, tip, shared in reflections:
        reflection = services.reflection_submit(
            user=people[key],
            challenge=challenges[i],
            what_changed=changed,
            what_remains=remains,
            tip=tip,
            shared=shared,
        )
        if shared:
            for voter in ["lena", "jonas"]:
                if voter != key:
                    services.reflection_upvote(user=people[voter], reflection=reflection)


# Demo challenge weeks: a finished one (results final, badges awarded) and a running one.
FINISHED_WEEK = "Privacy and fairness week"
RUNNING_WEEK = "Customer promises week"
FINISHED_SLUGS = ["screening-summary", "compliance-data-request"]
RUNNING_SLUGS = ["refund-policy-reply", "expense-policy-answer", "complaint-escalation"]
# (person, points) earned in each week, as backdated demo history.
FINISHED_POINTS = [("priya", 180), ("sam", 150), ("mei", 140), ("tomas", 90), ("omar", 60)]
RUNNING_POINTS = [("lena", 120), ("jonas", 110), ("sam", 95), ("mei", 80), ("omar", 40)]


def _week(title: str, theme: str, *, starts_at, days: int, slugs, freeze_days=None):
    from accounts.demo import TEAMS
    from accounts.models import Team
    from challenges.models import ChallengeWeek

    existing = ChallengeWeek.objects.filter(title=title).first()
    if existing is not None:
        return existing
    week = ChallengeWeek(
        title=title,
        theme=theme,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(days=days),
        freeze_at=starts_at + timedelta(days=freeze_days) if freeze_days else None,
        team_ranking=ChallengeWeek.AVERAGE,
    )
    return services.week_save(
        week=week,
        challenges=list(ChallengePage.objects.filter(slug__in=slugs)),
        teams=list(Team.objects.filter(slug__in=[slug for _, slug, _ in TEAMS])),
    )


def _week_history(week, points: list[tuple[str, int]]) -> None:
    """Backdated points inside the week's window, so its board has a story to tell."""
    span = (min(week.ends_at, timezone.now()) - week.starts_at) / (len(points) + 1)
    for n, (key, amount) in enumerate(points, start=1):
        points_award(
            user=_user(f"{key}@apprentice.example"),
            amount=amount,
            kind="challenge.flags",
            source_key=f"demo:week:{week.pk}:{key}",
            week_id=week.pk,
            reason=f"Challenge points in {week.title}.",
            created_at=week.starts_at + span * n,
        )


def _weeks() -> None:
    now = timezone.now()
    finished = _week(
        FINISHED_WEEK,
        "Spot privacy leaks and unfair judgements in HR and compliance answers.",
        starts_at=now - timedelta(days=14),
        days=7,
        slugs=FINISHED_SLUGS,
    )
    _week_history(finished, FINISHED_POINTS)
    services.week_finalise(week=finished)
    running = _week(
        RUNNING_WEEK,
        "What did the AI promise customers that we cannot keep?",
        starts_at=now - timedelta(days=2),
        days=7,
        slugs=RUNNING_SLUGS,
        freeze_days=6,
    )
    _week_history(running, RUNNING_POINTS)


# Which demo AI system (mentoring.demo) each challenge is about.
CHALLENGE_SYSTEMS = {
    "refund-policy-reply": "care-reply-drafter",
    "complaint-escalation": "care-reply-drafter",
    "screening-summary": "cv-screening-summariser",
    "compliance-data-request": "compliance-assistant",
}


def _attach_systems(challenges: list[ChallengePage]) -> None:
    systems = {s.slug: s for s in AISystem.objects.filter(slug__in=CHALLENGE_SYSTEMS.values())}
    for page in challenges:
        system = systems.get(CHALLENGE_SYSTEMS.get(page.slug, ""))
        if system is not None and page.ai_system_id != system.pk:
            ChallengePage.objects.filter(pk=page.pk).update(ai_system=system)
            page.ai_system = system


def seed(*, stdout) -> None:
    index = _index()
    challenges = [_challenge(index, spec) for spec in CHALLENGES]
    _attach_systems(challenges)
    _activity(challenges)
    _weeks()
    stdout.write(
        f"Challenges: {len(challenges)} challenges, "
        f"{Correction.objects.count()} corrections, {Review.objects.count()} reviews, "
        f"{ContextNote.objects.count()} context notes, {TestCase.objects.count()} test cases, "
        f"{Reflection.objects.count()} reflections."
    )
