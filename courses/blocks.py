"""StreamField blocks that L&D authors build lessons from.

Quiz blocks hold their answer key (which options are correct, and each option's feedback). The
quiz template never prints that key: grading happens on the server (``courses.services``), and
feedback is shown only for the options an employee chose, after an attempt.
"""

from django.core.exceptions import ValidationError
from django.utils.html import escape
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

# The flaw taxonomy of DESIGN.md, so an AI example teaches the same words challenges use.
FLAW_CATEGORIES = [
    ("factual", "Factual error / hallucination"),
    ("misclassification", "Misclassification"),
    ("tone", "Tone and empathy"),
    ("bias", "Bias and fairness"),
    ("privacy", "Privacy and sensitive data"),
    ("compliance", "Policy and compliance"),
    ("context", "Missing context"),
    ("unsafe", "Unsafe or harmful advice"),
    ("good", "Good practice (worth copying)"),
]


class RichTextSectionBlock(blocks.RichTextBlock):
    """Body text with headings, lists and links."""

    class Meta:
        icon = "pilcrow"
        template = "courses/blocks/rich_text.html"
        description = "Formatted text: headings, paragraphs, lists and links."
        features = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "hr", "blockquote"]


class CalloutBlock(blocks.StructBlock):
    """A boxed aside: a tip, a warning, or a company policy the employee must follow."""

    kind = blocks.ChoiceBlock(
        choices=[("tip", "Tip"), ("warning", "Warning"), ("policy", "Policy")], default="tip"
    )
    title = blocks.CharBlock(max_length=120, required=False)
    body = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "warning"
        template = "courses/blocks/callout.html"
        description = "A highlighted tip, warning or policy reminder."
        label = "Callout"


class FigureBlock(blocks.StructBlock):
    """An image with alt text and an optional caption."""

    image = ImageBlock()
    caption = blocks.CharBlock(max_length=250, required=False)

    class Meta:
        icon = "image"
        template = "courses/blocks/figure.html"
        description = "An image with alternative text and an optional caption."
        label = "Image"


class VideoBlock(blocks.StructBlock):
    """An embedded video (or other oEmbed content) with a transcript for accessibility."""

    embed = EmbedBlock(help_text="A YouTube, Vimeo or other oEmbed URL.")
    caption = blocks.CharBlock(max_length=250, required=False)
    transcript = blocks.TextBlock(required=False, help_text="Shown in a collapsible section.")

    class Meta:
        icon = "media"
        template = "courses/blocks/video.html"
        description = "A video or other embed, with caption and transcript."
        label = "Video or embed"


class AnnotationBlock(blocks.StructBlock):
    """A comment on one part of an AI output, anchored by quoting that part exactly."""

    quote = blocks.CharBlock(
        max_length=300,
        help_text="Copy the exact words of the AI output this comment is about.",
    )
    category = blocks.ChoiceBlock(choices=FLAW_CATEGORIES, default="factual")
    comment = blocks.TextBlock()

    class Meta:
        icon = "comment"
        template = "courses/blocks/annotation.html"
        description = "A comment on a quoted part of the AI output."


class AIExampleBlock(blocks.StructBlock):
    """A prompt, what an AI answered, and annotations teaching what is good or bad about it."""

    title = blocks.CharBlock(max_length=150)
    prompt = blocks.TextBlock(help_text="What the person asked the AI.")
    output = blocks.TextBlock(help_text="What the AI answered, verbatim.")
    verdict = blocks.ChoiceBlock(
        choices=[("flawed", "Flawed"), ("mixed", "Mixed"), ("good", "Good")], default="flawed"
    )
    annotations = blocks.ListBlock(AnnotationBlock(), min_num=1)

    class Meta:
        icon = "openquote"
        template = "courses/blocks/ai_example.html"
        description = "An AI prompt and output with annotated strengths and flaws."
        label = "AI example"

    def clean(self, value):
        value = super().clean(value)
        missing = [
            index + 1
            for index, annotation in enumerate(value["annotations"])
            if annotation["quote"] not in value["output"]
        ]
        if missing:
            numbers = ", ".join(str(n) for n in missing)
            raise blocks.StructBlockValidationError(
                block_errors={
                    "annotations": ValidationError(
                        f"Annotation {numbers}: the quote must be copied exactly from the AI "
                        "output, so it can be highlighted."
                    )
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["segments"] = annotated_segments(value["output"], value["annotations"])
        labels = dict(FLAW_CATEGORIES)
        context["notes"] = [
            {
                "number": number,
                "label": labels.get(note["category"], note["category"]),
                "category": note["category"],
                "quote": note["quote"],
                "comment": note["comment"],
            }
            for number, note in enumerate(value["annotations"], start=1)
        ]
        return context


def annotated_segments(output: str, annotations) -> list[dict]:
    """Split ``output`` into plain and highlighted segments, in order, for the template.

    Each annotation highlights the first occurrence of its quote that does not overlap an earlier
    highlight; a quote that cannot be found is still listed below the output, just not marked.
    """
    spans = []
    for number, annotation in enumerate(annotations, start=1):
        quote = annotation["quote"]
        start = output.find(quote) if quote else -1
        while start != -1 and any(s < start + len(quote) and start < e for s, e, _ in spans):
            start = output.find(quote, start + 1)
        if start != -1:
            spans.append((start, start + len(quote), number))
    spans.sort()
    segments, position = [], 0
    for start, end, number in spans:
        if start > position:
            segments.append({"text": escape(output[position:start]), "number": None})
        segments.append({"text": escape(output[start:end]), "number": number})
        position = end
    if position < len(output):
        segments.append({"text": escape(output[position:]), "number": None})
    return segments


class QuizOptionBlock(blocks.StructBlock):
    """One answer option; ``correct`` and ``feedback`` stay on the server until an attempt."""

    text = blocks.CharBlock(max_length=300)
    correct = blocks.BooleanBlock(required=False)
    feedback = blocks.TextBlock(
        required=False, help_text="Shown after an attempt to people who chose this option."
    )

    class Meta:
        icon = "tick"
        template = "courses/blocks/quiz_option.html"
        description = "An answer option with its feedback."


class QuizQuestionBlock(blocks.StructBlock):
    """A single- or multiple-answer question."""

    question = blocks.TextBlock()
    kind = blocks.ChoiceBlock(
        choices=[("single", "One answer"), ("multiple", "Several answers")], default="single"
    )
    options = blocks.ListBlock(QuizOptionBlock(), min_num=2)

    class Meta:
        icon = "help"
        template = "courses/blocks/quiz_question.html"
        description = "A question with answer options."

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for option in value["options"] if option["correct"])
        message = None
        if correct == 0:
            message = "Mark at least one option as correct."
        elif value["kind"] == "single" and correct > 1:
            message = "A one-answer question needs exactly one correct option."
        if message:
            raise blocks.StructBlockValidationError(
                block_errors={"options": ValidationError(message)}
            )
        return value


class QuizBlock(blocks.StructBlock):
    """A graded quiz. Passing every quiz in a lesson completes the lesson."""

    title = blocks.CharBlock(max_length=150, default="Check your understanding")
    intro = blocks.TextBlock(required=False)
    pass_mark = blocks.IntegerBlock(
        min_value=1, max_value=100, default=70, help_text="Percentage of questions to get right."
    )
    questions = blocks.ListBlock(QuizQuestionBlock(), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "courses/blocks/quiz.html"
        description = "Questions graded on the server, with feedback after each attempt."
        label = "Quiz"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        block_id = context.get("block_id")
        state = (context.get("quiz_state") or {}).get(block_id, {})
        attempt = state.get("attempt")
        selected = state.get("selected") or (attempt.answers if attempt else {})
        errors = state.get("errors", {})
        questions = []
        for index, question in enumerate(value["questions"]):
            key = str(index)
            chosen = {str(c) for c in selected.get(key, [])}
            show_feedback = attempt is not None and not errors
            questions.append(
                {
                    "key": key,
                    "number": index + 1,
                    "text": question["question"],
                    "multiple": question["kind"] == "multiple",
                    "error": errors.get(key),
                    "correct": attempt.results.get(key) if show_feedback else None,
                    "options": [
                        {
                            "value": str(option_index),
                            "text": option["text"],
                            "selected": str(option_index) in chosen,
                            # Feedback only on the chosen options, and only after an attempt.
                            "feedback": option["feedback"]
                            if show_feedback and str(option_index) in chosen
                            else "",
                        }
                        for option_index, option in enumerate(question["options"])
                    ],
                }
            )
        context.update(
            {
                "questions": questions,
                "attempt": attempt,
                "best": state.get("best"),
                "has_errors": bool(errors),
            }
        )
        return context


class ReflectionBlock(blocks.StructBlock):
    """A question the employee answers in writing; answers are private to their author."""

    prompt = blocks.TextBlock()
    guidance = blocks.TextBlock(required=False, help_text="Optional hint on what to write about.")

    class Meta:
        icon = "edit"
        template = "courses/blocks/reflection.html"
        description = "A prompt for a short private written reflection."
        label = "Reflection prompt"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        block_id = context.get("block_id")
        saved = (context.get("reflections") or {}).get(block_id)
        drafts = context.get("reflection_drafts") or {}
        context.update(
            {
                "saved": saved,
                # A rejected draft is shown again so nothing typed is lost.
                "draft": drafts.get(block_id, saved.text if saved else ""),
                "error": (context.get("reflection_errors") or {}).get(block_id),
                "ld_count": (context.get("reflection_counts") or {}).get(block_id),
            }
        )
        return context


class KeyTakeawaysBlock(blocks.StructBlock):
    """The few points to remember, at the end of a lesson."""

    title = blocks.CharBlock(max_length=120, default="Key takeaways")
    items = blocks.ListBlock(blocks.CharBlock(max_length=300), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "courses/blocks/key_takeaways.html"
        description = "A short list of points to remember."
        label = "Key takeaways"


class LessonStreamBlock(blocks.StreamBlock):
    """Everything a lesson body can contain."""

    text = RichTextSectionBlock()
    callout = CalloutBlock()
    image = FigureBlock()
    video = VideoBlock()
    ai_example = AIExampleBlock()
    quiz = QuizBlock()
    reflection = ReflectionBlock()
    key_takeaways = KeyTakeawaysBlock()

    class Meta:
        block_counts = {"quiz": {"max_num": 3}}
