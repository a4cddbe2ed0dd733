"""Factories for challenge pages (built under the real HomePage) and loop records."""

import uuid

import factory

from challenges.models import (
    Behaviour,
    ChallengeIndexPage,
    ChallengePage,
    ContextNote,
    Correction,
    Flaw,
    FlawCategory,
    Reflection,
    TestCase,
)
from home.models import HomePage
from tests.accounts.factories import UserFactory

OUTPUT = (
    "Thank you for contacting us about your broken kettle. "
    "Under our policy you can return any item for a full refund within 90 days, no receipt needed. "
    "Just bring it to any store. "
    "Customers like you usually forget the receipt anyway."
)
REFUND_QUOTE = "full refund within 90 days, no receipt needed"
TONE_QUOTE = "Customers like you usually forget the receipt anyway."
SECRET_EXPLANATION = "Our real policy is 30 days with proof of purchase: the AI invented this."
TONE_EXPLANATION = "Patronising generalisation about the customer."


def category(slug: str) -> FlawCategory:
    return FlawCategory.objects.get(slug=slug)


def challenge_index() -> ChallengeIndexPage:
    existing = ChallengeIndexPage.objects.first()
    if existing:
        return existing
    home = HomePage.objects.get(depth=2)
    index = ChallengeIndexPage(title="Challenges", slug="challenges")
    home.add_child(instance=index)
    return index


def make_challenge(
    *,
    title="Kettle refund reply",
    output=OUTPUT,
    points=100,
    flaws=None,
    behaviours=None,
    skills=(),
    **fields,
) -> ChallengePage:
    """A published challenge with an answer key (by default: a hallucinated refund policy)."""
    index = challenge_index()
    page = ChallengePage(
        title=title,
        slug=f"challenge-{uuid.uuid4().hex[:8]}",
        scenario="A retail chatbot answers customers' questions about returns.",
        prompt="My kettle broke after two months. Can I get my money back?",
        output=output,
        model_name="helpdesk-gpt",
        prompt_version="v3",
        points=points,
        **fields,
    )
    if flaws is None:
        flaws = [
            ("hallucination", REFUND_QUOTE, SECRET_EXPLANATION, 3),
            ("tone-empathy", TONE_QUOTE, TONE_EXPLANATION, 1),
        ]
    for slug, quote, explanation, severity in flaws:
        page.flaws.add(
            Flaw(category=category(slug), quote=quote, explanation=explanation, severity=severity)
        )
    for probe, response, flawed in behaviours or [
        (
            "I lost my receipt, can I still return my kettle?",
            "No problem! Receipts are never needed, and we refund in cash on the spot.",
            True,
        ),
    ]:
        page.behaviours.add(Behaviour(probe=probe, response=response, is_flawed=flawed))
    index.add_child(instance=page)
    if skills:
        page.skills.set(skills)
        page.save_revision().publish()
    return ChallengePage.objects.get(pk=page.pk)


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    user = factory.SubFactory(UserFactory)
    challenge = factory.LazyFunction(lambda: make_challenge())
    text = "Thanks for getting in touch. You can return the kettle within 30 days with a receipt."
    rationale = "The AI invented a 90-day no-receipt policy and was patronising."
    team = factory.LazyAttribute(lambda o: o.user.current_team)


class ContextNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContextNote

    user = factory.SubFactory(UserFactory)
    challenge = factory.LazyFunction(lambda: make_challenge())
    kind = "policy"
    title = "Refunds need proof of purchase"
    text = "Refunds are possible within 30 days with a receipt or card statement."
    client_token = factory.LazyFunction(uuid.uuid4)


class TestCaseFactory(factory.django.DjangoModelFactory):
    __test__ = False

    class Meta:
        model = TestCase

    user = factory.SubFactory(UserFactory)
    challenge = factory.LazyFunction(lambda: make_challenge())
    input = "I lost my receipt, can I still return my kettle?"
    must = "Say a proof of purchase is needed"
    must_not = "Promise a refund without receipt"
    response = "No problem! Receipts are never needed."
    provider = "sample"
    model = "helpdesk-gpt"
    client_token = factory.LazyFunction(uuid.uuid4)


class ReflectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reflection

    user = factory.SubFactory(UserFactory)
    challenge = factory.LazyFunction(lambda: make_challenge())
    what_changed = "I now check every policy claim against the handbook."
    what_remains = "The AI still guesses when it lacks the policy."
    tip = "Search the policy before trusting a number."
    shared = True


def make_week(*, challenges, teams=(), start=None, hours=24, freeze_after=None, **fields):
    """A challenge week saved through the service (so the leaderboard knows its board).

    ``start`` defaults to an hour ago; ``freeze_after`` (a timedelta from the start) sets a
    freeze time.
    """
    from datetime import timedelta

    from django.utils import timezone

    from challenges.models import ChallengeWeek
    from challenges.services import week_save

    start = start or timezone.now() - timedelta(hours=1)
    week = ChallengeWeek(
        title=fields.pop("title", "Refund week"),
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        freeze_at=start + freeze_after if freeze_after is not None else None,
        **fields,
    )
    return week_save(week=week, challenges=list(challenges), teams=list(teams))
