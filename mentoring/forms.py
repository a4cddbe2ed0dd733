"""Forms of the mentoring pages (validation of shape; the rules live in the services)."""

from django import forms

from mentoring.models import FLAW_CATEGORIES, AISystem


class ReportForm(forms.Form):
    system = forms.ModelChoiceField(
        queryset=AISystem.objects.order_by("name"),
        to_field_name="slug",
        label="Which AI system",
    )
    asked = forms.CharField(
        label="What was it asked?", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    answer = forms.CharField(
        label="What did it answer?",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=8000,
        help_text="Paste the answer exactly as the AI gave it.",
    )
    where = forms.CharField(label="Where (a URL or ticket id)", required=False, max_length=500)
    has_personal_data = forms.BooleanField(
        label="It contains personal data (kept out of exports until an owner redacts it)",
        required=False,
    )
    via = forms.ChoiceField(
        choices=[("form", "form"), ("snippet", "snippet")],
        initial="form",
        widget=forms.HiddenInput,
    )


class FlagForm(forms.Form):
    quote = forms.CharField(
        label="The passage (copy it exactly from the answer)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    category = forms.ChoiceField(label="What is wrong with it", choices=FLAW_CATEGORIES)


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label="The answer it should have given",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=8000,
    )
    rationale = forms.CharField(
        label="Why", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ContextForm(forms.Form):
    topic = forms.CharField(label="Topic (a few words, e.g. refund receipts)", max_length=60)
    text = forms.CharField(
        label="What the AI did not know",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
    )


class CaseForm(forms.Form):
    input_text = forms.CharField(
        label="Test input", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    must = forms.CharField(
        label="A good answer must…",
        max_length=1000,
        help_text='Put phrases in "double quotes" to have them checked automatically.',
    )
    must_not = forms.CharField(label="A good answer must not…", max_length=1000)


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("confirm", "Confirm"), ("merge", "Merge"), ("reject", "Reject")]
    )
    reason = forms.CharField(label="Reason (the reporter sees it)", required=False, max_length=2000)
    into = forms.IntegerField(label="Merge into report number", required=False, min_value=1)


class ApproveForm(forms.Form):
    approve = forms.ChoiceField(choices=[("yes", "Approve"), ("no", "Reject")])
    reason = forms.CharField(label="Reason", required=False, max_length=2000)


class RedactForm(forms.Form):
    asked = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=8000)


class PublishForm(forms.Form):
    notes = forms.CharField(
        label="What changed (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
