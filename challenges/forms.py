"""Forms of the loop steps. They render fields and coerce types; the rules live in services."""

import uuid

from django import forms

from challenges.models import ContextNote, Review, TestJudgement
from challenges.selectors import observe_state
from challenges.services.observe import FlagInput

SCORE_CHOICES = [(str(i), str(i)) for i in range(1, 6)]


class StepForm(forms.Form):
    """A form of one loop step. The challenge page shows every step's form at once, so each
    step's ids carry its name (``id_context-text``) and a label focuses its own step's field.
    Field names stay unprefixed: drafts and posts keep the keys they always had."""

    step = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.step}-%s")
        super().__init__(*args, **kwargs)


class CorrectionForm(StepForm):
    step = "correct"
    text = forms.CharField(
        label="Your rewrite of the response",
        widget=forms.Textarea(attrs={"rows": 10, "maxlength": 5000}),
        help_text="Rewrite the AI's answer as it should have been (20 to 5000 characters).",
    )
    rationale = forms.CharField(
        label="Why: what was wrong, and what you changed",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        help_text="20 to 2000 characters. Reviewers read this first.",
    )


class ReviewForm(forms.Form):
    accuracy = forms.TypedChoiceField(
        choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect, label="Accuracy"
    )
    tone = forms.TypedChoiceField(
        choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect, label="Tone"
    )
    completeness = forms.TypedChoiceField(
        choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect, label="Completeness"
    )
    policy_fit = forms.TypedChoiceField(
        choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect, label="Policy fit"
    )
    comment = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        help_text="Required when any score is below 3: say what would make it better.",
    )

    def scores(self) -> dict[str, int]:
        return {c: self.cleaned_data[c] for c in Review.CRITERIA}


class ContextNoteForm(StepForm):
    step = "context"
    client_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    kind = forms.ChoiceField(choices=[("", "Choose…"), *ContextNote.KIND_CHOICES], label="Kind")
    title = forms.CharField(max_length=150, label="Title")
    text = forms.CharField(
        label="What the AI did not know",
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 3000}),
        help_text="The policy, practice, rule or fact, in words a colleague (or an AI) can use.",
    )
    skills = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Skills"
    )

    def __init__(self, *args, skills=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skills"].choices = [(str(s.pk), s.name) for s in skills]


class TestCaseForm(StepForm):
    __test__ = False
    step = "test"

    client_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    input_text = forms.CharField(
        label="Your tricky input",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        help_text="A message a real user might send that could trip the AI up.",
    )
    must = forms.CharField(
        label="A good answer must…", widget=forms.Textarea(attrs={"rows": 2, "maxlength": 1000})
    )
    must_not = forms.CharField(
        label="A good answer must not…", widget=forms.Textarea(attrs={"rows": 2, "maxlength": 1000})
    )


class JudgementForm(forms.Form):
    verdict = forms.ChoiceField(choices=TestJudgement.VERDICT_CHOICES)


class ReflectionForm(StepForm):
    step = "reflect"
    what_changed = forms.CharField(
        label="What changed in how you see this AI's work?",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
    )
    what_remains = forms.CharField(
        label="What remains unsolved or risky?",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
    )
    tip = forms.CharField(
        required=False,
        label="A tip for colleagues",
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 1000}),
    )
    shared = forms.BooleanField(
        required=False, label="Share in the cross-team insights feed (your name is shown)"
    )


# A step form nobody has a draft of renders the same for everyone but for its client token:
# its fields' HTML is cached per challenge under the page-tree version (``home.page_cache``) and
# the token is new on every render (``challenge_steps.step_fields``). Skills renamed elsewhere
# show within FIELDS_TTL.
FIELDS_TTL = 60


def fields_keys(challenge_pk) -> dict[str, str]:
    """The cache key of each step form's fields as nobody's draft fills them."""
    from home.page_cache import pages_version

    version = pages_version()
    return {
        step: f"challenges:fields:{version}:{challenge_pk}:{step}"
        for step in ("correct", "context", "test", "reflect")
    }


class CachedFields:
    """Stands for a step form nobody has a draft of whose fields' HTML is cached: the page
    renders that HTML (``challenge_steps.step_fields``) and builds no form."""

    is_bound = False

    def __init__(self, key: str, html: str):
        self.fields_key, self.fields_html = key, html


def step_forms(
    *, challenge, drafts: dict[str, dict], skills, found: dict | None = None
) -> dict[str, forms.Form]:
    """Unbound forms for each step, pre-filled from the user's drafts. Each form without a
    draft carries ``fields_key`` and, when cached, ``fields_html`` (in ``found``, the cache
    entries the caller read, or read here in one round trip); one whose HTML is cached is a
    ``CachedFields``."""
    from django.core.cache import cache

    keys = fields_keys(challenge.pk)
    if found is None:
        found = cache.get_many(list(keys.values()))
    makers = {
        "correct": lambda: CorrectionForm(
            initial={"text": challenge.output, **drafts.get("correct", {})}
        ),
        "context": lambda: ContextNoteForm(initial=_initial(drafts, "context"), skills=skills),
        "test": lambda: TestCaseForm(initial=_initial(drafts, "test")),
        "reflect": lambda: ReflectionForm(initial=_initial(drafts, "reflect")),
    }
    made = {}
    for step, make in makers.items():
        if drafts.get(step):
            made[step] = make()
            continue
        html = found.get(keys[step])
        if html is not None:
            made[step] = CachedFields(keys[step], html)
        else:
            made[step] = make()
            made[step].fields_key = keys[step]
    return made


def _initial(drafts: dict[str, dict], step: str) -> dict:
    data = dict(drafts.get(step, {}))
    # A stale token in a draft would make the next submit look like a repeat of an old one.
    data.pop("client_token", None)
    if step == "reflect":
        data["shared"] = data.get("shared") in ("on", "true", "1", True)
    return data


class ObserveForm:
    """The Observe post: one row per sentence (``s3``, ``s3-category``, ``s3-note``) and one per
    passage selected with the JavaScript enhancement (``span-<key>-start`` … ``-note``).

    The field names are dynamic (a span per selection), so this small form, not a formset, owns
    the parsing: ``is_valid()`` refuses a field sent more than once with a sentence (never a
    500); ``state`` is what the page shows back; ``flags`` is what the service scores. Whether
    the flags are acceptable (inside the output, a known category, no overlap) is the
    service's rule (``challenges.services.observe.validate_flags``).
    """

    def __init__(self, data, *, output: str):
        self.errors: list[str] = []
        repeated = [k for k, v in data.lists() if len(v) > 1 and k != "csrfmiddlewaretoken"]
        if repeated:
            names = ", ".join(f"“{name[:40]}”" for name in repeated[:5])
            self.errors.append(f"Each field is sent once; these came more than once: {names}.")
        # The last value of each field: what the page shows back when a field was repeated.
        self.data = {k: v[-1] for k, v in data.lists() if k != "csrfmiddlewaretoken"}
        self.state = observe_state(output=output, data=self.data)

    def is_valid(self) -> bool:
        return not self.errors

    @property
    def flags(self) -> list[FlagInput]:
        rows = [row for row in self.state.rows if row.checked]
        return [
            FlagInput(row.start, row.end, _int(row.category), row.note)
            for row in [*rows, *self.state.spans]
        ]


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
