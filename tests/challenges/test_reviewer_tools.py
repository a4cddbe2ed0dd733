"""Reviewers: the header's count of waiting reviews, rubric level descriptors, the diff of the
AI's answer and the rewrite, and the Reviewer role's first look at fresh corrections."""

import re
from datetime import timedelta

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.roles import REVIEWER
from challenges.models import Correction
from challenges.selectors import REVIEWER_FIRST_LOOK, review_queue
from tests.accounts.factories import TeamFactory, UserFactory
from tests.challenges.factories import CorrectionFactory

REVIEW_ANSWERS = {"accuracy": 4, "tone": 4, "completeness": 4, "policy_fit": 4, "comment": ""}


def _badge(html: str) -> str | None:
    link = re.search(r'<a [^>]*data-testid="reviews-link"[^>]*>(.*?)</a>', html, re.S)
    assert link, "the navigation has a Reviews entry"
    count = re.search(r'class="count-badge"[^>]*>(\d+)<', link.group(1))
    return count.group(1) if count else None


def test_the_navigation_counts_the_reviews_waiting_and_a_review_lowers_it(
    client, challenge, employee, colleague
):
    cache.clear()
    CorrectionFactory(user=employee, challenge=challenge)
    second = CorrectionFactory(challenge=challenge)
    client.force_login(colleague)
    assert _badge(client.get("/challenges/").content.decode()) == "2"
    client.post(reverse("challenges:review", args=[second.pk]), REVIEW_ANSWERS)
    assert _badge(client.get("/challenges/").content.decode()) == "1"
    client.force_login(employee)  # their own correction is not theirs to review
    assert _badge(client.get("/challenges/").content.decode()) == "1"


def test_the_count_costs_at_most_one_query_per_person_per_minute(client, challenge, colleague):
    cache.clear()
    CorrectionFactory(challenge=challenge)
    client.force_login(colleague)
    client.get("/challenges/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        body = client.get("/challenges/").content.decode()
    assert _badge(body) == "1"
    assert not [q for q in captured.captured_queries if "challenges_review" in q["sql"]]


def test_the_review_form_shows_level_descriptors_and_an_escaped_word_diff(
    client, challenge, colleague
):
    challenge.output = "You can return it within 90 days without a receipt."
    challenge.save()
    correction = CorrectionFactory(
        challenge=challenge,
        text="You can return it within 30 days with a receipt. <b>Sorry</b> for the trouble.",
    )
    client.force_login(colleague)
    body = client.get(reverse("challenges:review", args=[correction.pk])).content.decode()
    assert body.count('data-testid="rubric-levels"') == 4
    assert "Every fact is correct, precise and checkable" in body
    assert "Breaks a policy or legal rule." in body
    diff = re.search(r'data-testid="review-diff">(.*?)</div>', body, re.S).group(1)
    assert "<del>90</del>" in diff and "<ins>30</ins>" in diff
    assert "<del>without</del>" in diff and "<ins>with</ins>" in diff
    assert "&lt;b&gt;Sorry&lt;/b&gt;" in diff and "<b>" not in diff


def test_reviewers_get_the_first_look_at_fresh_corrections(challenge):
    team = TeamFactory()
    reviewer = UserFactory(team=team, roles=[REVIEWER])
    employee = UserFactory(team=team)
    old = CorrectionFactory(challenge=challenge)
    Correction.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - REVIEWER_FIRST_LOOK - timedelta(minutes=1), review_count=1
    )
    fresh = CorrectionFactory(challenge=challenge)
    assert [c.pk for c in review_queue(user=reviewer)] == [fresh.pk, old.pk]
    # Employees still see the fresh one, after what has waited longer.
    assert [c.pk for c in review_queue(user=employee)] == [old.pk, fresh.pk]
    # Once the first look is over, the ordinary order (least reviewed first) applies to all.
    later = timezone.now() + REVIEWER_FIRST_LOOK
    assert [c.pk for c in review_queue(user=employee, at=later)] == [fresh.pk, old.pk]


def test_the_queue_page_offers_a_reviewer_the_fresh_correction_first(client, challenge):
    reviewer = UserFactory(roles=[REVIEWER])
    old = CorrectionFactory(challenge=challenge)
    Correction.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(hours=2), review_count=1
    )
    fresh = CorrectionFactory(challenge=challenge)
    client.force_login(reviewer)
    body = client.get(reverse("challenges:review_queue")).content.decode()
    fresh_url = reverse("challenges:review", args=[fresh.pk])
    old_url = reverse("challenges:review", args=[old.pk])
    assert body.index(fresh_url) < body.index(old_url)
