"""Block rendering and authoring validation."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Workflow, WorkflowPage

from courses.blocks import AIExampleBlock, CalloutBlock, KeyTakeawaysBlock, QuizQuestionBlock
from home.models import HomePage

OUTPUT = "Thanks for waiting. Per policy HR-77 we reject candidates over 50. Kind regards."


def ai_example_value(quote="we reject candidates over 50"):
    block = AIExampleBlock()
    return block, block.to_python(
        {
            "title": "Screening summary",
            "prompt": "Summarise why this applicant was rejected.",
            "output": OUTPUT,
            "verdict": "flawed",
            "annotations": [
                {"quote": quote, "category": "bias", "comment": "Age is a protected trait."},
                {"quote": "HR-77", "category": "factual", "comment": "No such policy exists."},
            ],
        }
    )


def test_ai_example_highlights_each_annotated_quote_in_the_output():
    block, value = ai_example_value()
    html = block.render(value, context={"block_id": "ex1"})
    assert '<mark class="ai-example__mark" id="ex1-mark-1">we reject candidates over 50' in html
    assert '<mark class="ai-example__mark" id="ex1-mark-2">HR-77' in html
    assert "Bias and fairness" in html
    assert "Age is a protected trait." in html


def test_ai_example_escapes_the_output():
    block = AIExampleBlock()
    value = block.to_python(
        {
            "title": "t",
            "prompt": "p",
            "output": "<script>alert(1)</script> done",
            "verdict": "flawed",
            "annotations": [{"quote": "done", "category": "factual", "comment": "c"}],
        }
    )
    html = block.render(value, context={"block_id": "x"})
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_ai_example_refuses_a_quote_that_is_not_in_the_output():
    block, value = ai_example_value(quote="we only hire graduates")
    with pytest.raises(ValidationError) as error:
        block.clean(value)
    assert "copied exactly from the AI output" in str(error.value.block_errors["annotations"])


def test_single_answer_question_with_two_correct_options_is_refused():
    block = QuizQuestionBlock()
    value = block.to_python(
        {
            "question": "Q",
            "kind": "single",
            "options": [
                {"text": "a", "correct": True, "feedback": ""},
                {"text": "b", "correct": True, "feedback": ""},
            ],
        }
    )
    with pytest.raises(ValidationError) as error:
        block.clean(value)
    assert "exactly one correct option" in str(error.value.block_errors["options"])


def test_question_without_a_correct_option_is_refused():
    block = QuizQuestionBlock()
    value = block.to_python(
        {
            "question": "Q",
            "kind": "multiple",
            "options": [
                {"text": "a", "correct": False, "feedback": ""},
                {"text": "b", "correct": False, "feedback": ""},
            ],
        }
    )
    with pytest.raises(ValidationError, match="Validation error"):
        block.clean(value)


def test_callout_and_takeaways_render_their_content():
    callout = CalloutBlock()
    html = callout.render(
        callout.to_python(
            {"kind": "policy", "title": "Data protection", "body": "<p>Never paste CVs.</p>"}
        )
    )
    assert "Policy: Data protection" in html
    assert "Never paste CVs." in html
    takeaways = KeyTakeawaysBlock()
    html = takeaways.render(takeaways.to_python({"title": "Remember", "items": ["Check sources"]}))
    assert "<li>Check sources</li>" in html


@pytest.mark.django_db
def test_ld_review_workflow_governs_the_site_and_is_approved_by_managers():
    workflow = Workflow.objects.get(name="L&D review")
    home = HomePage.objects.get(depth=2)
    assert WorkflowPage.objects.get(page=home).workflow == workflow
    task = workflow.tasks.get().specific
    assert [g.name for g in task.groups.all()] == ["L&D Manager"]
    assert home.get_workflow() == workflow
