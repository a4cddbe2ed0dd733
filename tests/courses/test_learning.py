"""Learning as an employee does it, over HTTP: quizzes, completion, points, reflections."""

import pytest
from django.urls import reverse

from courses.models import LessonProgress, ModuleCompletion, QuizAttempt, ReflectionAnswer
from leaderboard.models import PointsAward
from tests.accounts.factories import UserFactory
from tests.courses.factories import (
    QUIZ_ID,
    REFLECTION_ID,
    lesson_page,
    module_page,
    quiz_block,
    reflection_block,
)

pytestmark = pytest.mark.django_db

RIGHT = {"q-0": "1", "q-1": ["0", "2"]}
WRONG = {"q-0": "0", "q-1": ["1"]}


@pytest.fixture
def module():
    return module_page(points=50)


@pytest.fixture
def quiz_lesson(module):
    return lesson_page(module, title="Spot the made-up citation", body=[quiz_block()], points=10)


@pytest.fixture
def employee(client):
    user = UserFactory()
    client.force_login(user)
    return user


def quiz_url(lesson, block_id=QUIZ_ID):
    return reverse("courses:quiz_submit", args=[lesson.pk, block_id])


def points(user):
    return sum(PointsAward.objects.filter(user=user).values_list("amount", flat=True))


def test_answers_and_feedback_are_absent_from_the_lesson_before_an_attempt(
    client, employee, quiz_lesson
):
    html = client.get(quiz_lesson.url).content.decode()
    assert "Check the source before using it" in html  # options are shown...
    assert "FEEDBACK-" not in html  # ...but no option's feedback
    assert "correct" not in html.lower().replace("incorrect", "")
    assert 'name="q-0" value="1"' in html


def test_passing_the_quiz_completes_the_lesson_and_awards_points_once(
    client, employee, module, quiz_lesson
):
    lesson_page(module, title="Second lesson")
    response = client.post(quiz_url(quiz_lesson), RIGHT)
    assert response.status_code == 302
    assert LessonProgress.objects.get(user=employee, lesson=quiz_lesson).via == "quiz"
    assert points(employee) == 10
    award = PointsAward.objects.get(user=employee)
    assert (award.kind, award.skill) == ("lesson.completed", "critical-thinking")
    # Retrying, or posting the same passing answers again, never pays twice.
    client.post(quiz_url(quiz_lesson), RIGHT)
    client.post(reverse("courses:lesson_complete", args=[quiz_lesson.pk]))
    assert points(employee) == 10
    assert QuizAttempt.objects.filter(user=employee).count() == 2


def test_feedback_is_shown_after_an_attempt_for_the_chosen_options_only(
    client, employee, quiz_lesson
):
    client.post(quiz_url(quiz_lesson), WRONG)
    html = client.get(quiz_lesson.url).content.decode()
    assert "FEEDBACK-TRUST" in html
    assert "FEEDBACK-GREETING" in html
    assert "FEEDBACK-CHECK" not in html  # not chosen: the right answer stays hidden
    assert "0 of 2 right" in html
    assert not LessonProgress.objects.filter(user=employee).exists()


def test_best_score_is_kept_across_retries(client, employee, quiz_lesson):
    client.post(quiz_url(quiz_lesson), RIGHT)
    client.post(quiz_url(quiz_lesson), WRONG)
    html = client.get(quiz_lesson.url).content.decode()
    assert "Best score: 100%" in html
    assert LessonProgress.objects.filter(user=employee, lesson=quiz_lesson).exists()


def test_a_failing_score_does_not_complete_the_lesson(client, employee, quiz_lesson):
    client.post(quiz_url(quiz_lesson), {"q-0": "0", "q-1": ["0", "2"]})  # 1 of 2 = 50%
    attempt = QuizAttempt.objects.get(user=employee)
    assert (attempt.correct_count, attempt.score_percent, attempt.passed) == (1, 50, True)
    client.post(quiz_url(quiz_lesson), {"q-0": "0", "q-1": ["0"]})
    assert QuizAttempt.objects.filter(user=employee, passed=False).count() == 1


def test_multiple_answer_question_needs_exactly_the_right_set(client, employee, quiz_lesson):
    client.post(quiz_url(quiz_lesson), {"q-0": "1", "q-1": ["0"]})
    attempt = QuizAttempt.objects.get(user=employee)
    assert attempt.results == {"0": True, "1": False}


def test_missing_answer_gets_a_clear_message_and_keeps_other_answers(client, employee, quiz_lesson):
    response = client.post(quiz_url(quiz_lesson), {"q-1": ["0", "2"]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Question 1 has no answer. Choose an option." in html
    assert 'name="q-1" value="0" checked' in html
    assert 'name="q-1" value="2" checked' in html
    assert "FEEDBACK-" not in html
    assert not QuizAttempt.objects.exists()


@pytest.mark.parametrize(
    "data",
    [{"q-0": "7", "q-1": ["0"]}, {"q-0": "abc", "q-1": ["0"]}, {"q-0": ["0", "1"], "q-1": ["0"]}],
)
def test_unknown_or_extra_options_are_refused_without_a_500(client, employee, quiz_lesson, data):
    response = client.post(quiz_url(quiz_lesson), data)
    assert response.status_code == 400
    assert "Question 1" in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_unknown_quiz_block_is_a_404(client, employee, quiz_lesson):
    assert client.post(quiz_url(quiz_lesson, "nope"), RIGHT).status_code == 404


def test_quiz_on_an_unpublished_lesson_is_a_404(client, employee, quiz_lesson):
    quiz_lesson.unpublish()
    assert client.post(quiz_url(quiz_lesson), RIGHT).status_code == 404
    assert points(employee) == 0


def test_quiz_lesson_cannot_be_marked_complete_by_hand(client, employee, quiz_lesson):
    response = client.post(reverse("courses:lesson_complete", args=[quiz_lesson.pk]), follow=True)
    assert "Pass the quiz in this lesson to complete it." in response.content.decode()
    assert not LessonProgress.objects.exists()


def test_completing_every_lesson_completes_the_module_once_with_its_points(
    client, employee, module
):
    first = lesson_page(module, title="One", points=10)
    second = lesson_page(module, title="Two", points=15)
    client.post(reverse("courses:lesson_complete", args=[first.pk]))
    assert not ModuleCompletion.objects.exists()
    response = client.post(reverse("courses:lesson_complete", args=[second.pk]), follow=True)
    assert "Module complete: +50 points" in response.content.decode()
    client.post(reverse("courses:lesson_complete", args=[second.pk]))
    assert points(employee) == 10 + 15 + 50
    assert ModuleCompletion.objects.filter(user=employee, module=module).count() == 1
    module_award = PointsAward.objects.get(user=employee, kind="module.completed")
    assert module_award.source_key == f"module:{module.pk}:completed"


def test_completing_twice_says_so(client, employee, module):
    lesson = lesson_page(module)
    lesson_page(module)
    client.post(reverse("courses:lesson_complete", args=[lesson.pk]))
    response = client.post(reverse("courses:lesson_complete", args=[lesson.pk]), follow=True)
    assert "You have already completed this lesson." in response.content.decode()
    assert LessonProgress.objects.count() == 1


def test_module_page_shows_progress_and_continue_where_you_left_off(client, employee, module):
    first = lesson_page(module, title="Lesson A")
    second = lesson_page(module, title="Lesson B")
    lesson_page(module, title="Lesson C")
    client.post(reverse("courses:lesson_complete", args=[first.pk]))
    html = client.get(module.url).content.decode()
    assert 'aria-valuenow="33"' in html
    assert "Continue where you left off" in html
    assert f'href="{second.url}">Continue where you left off' in html


def test_lesson_page_links_previous_and_next(client, employee, module):
    first = lesson_page(module, title="Lesson A")
    second = lesson_page(module, title="Lesson B")
    third = lesson_page(module, title="Lesson C")
    html = client.get(second.url).content.decode()
    assert f'rel="prev" href="{first.url}"' in html
    assert f'rel="next" href="{third.url}"' in html
    assert "Lesson 2 of 3" in html


def test_reflection_is_private_to_its_author_and_ld_sees_only_counts(client, module):
    lesson = lesson_page(module, body=[reflection_block()])
    author, colleague = UserFactory(), UserFactory()
    manager = UserFactory(roles=["L&D Manager"])
    url = reverse("courses:reflection_save", args=[lesson.pk, REFLECTION_ID])
    client.force_login(author)
    client.post(url, {"text": "I would have sent the wrong refund policy."})
    assert "I would have sent the wrong refund policy." in client.get(lesson.url).content.decode()
    client.force_login(colleague)
    assert "wrong refund policy" not in client.get(lesson.url).content.decode()
    client.force_login(manager)
    html = client.get(lesson.url).content.decode()
    assert "wrong refund policy" not in html
    assert "1 reflection written so far" in html


def test_empty_reflection_is_refused_and_too_long_keeps_the_text(client, employee, module):
    lesson = lesson_page(module, body=[reflection_block()])
    url = reverse("courses:reflection_save", args=[lesson.pk, REFLECTION_ID])
    response = client.post(url, {"text": "   "})
    assert response.status_code == 400
    assert "Write a few words before saving your reflection." in response.content.decode()
    long_text = "Customer tone matters. " * 300
    response = client.post(url, {"text": long_text})
    assert response.status_code == 400
    assert "please keep it under 5000" in response.content.decode()
    assert "Customer tone matters. Customer tone matters." in response.content.decode()
    assert not ReflectionAnswer.objects.exists()


def test_points_total_is_shown_on_the_lesson_page(client, employee, module):
    lesson = lesson_page(module, points=10)
    lesson_page(module)
    client.post(reverse("courses:lesson_complete", args=[lesson.pk]))
    html = client.get(lesson.url).content.decode()
    assert '<strong data-testid="points-total">10</strong>' in html


def test_lesson_page_renders_in_a_bounded_number_of_queries(
    client, employee, module, django_assert_max_num_queries
):
    lessons = [
        lesson_page(module, body=[quiz_block(), reflection_block()], title=f"L{i}")
        for i in range(12)
    ]
    client.post(quiz_url(lessons[3]), RIGHT)
    client.post(quiz_url(lessons[3]), WRONG)
    client.get(lessons[3].url)  # warm the site-root cache
    # ~12 are Wagtail's routing, session, user and userbar permissions; 7 are the lesson's own
    # (module, siblings, progress, attempts, reflections, roles, points), whatever the counts.
    with django_assert_max_num_queries(22):
        response = client.get(lessons[3].url)
    assert response.status_code == 200
