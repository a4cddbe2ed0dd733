"""Forms of the Wagtail editor for challenge pages (kept out of the model module)."""

from wagtail.admin.forms import WagtailAdminPageForm


class ChallengePageForm(WagtailAdminPageForm):
    """Refuses an answer key whose quoted passage is not in the AI output.

    The check runs after the inline formsets have cleaned, because the quote (a child row) can
    only be judged against the output (a field of the parent form).
    """

    def clean_output(self):
        # Browsers submit textareas with CRLF but parse HTML text with LF; flags are character
        # offsets into the output as the browser sees it, so store it the browser's way.
        return self.cleaned_data["output"].replace("\r\n", "\n")

    def is_valid(self):
        valid = super().is_valid()
        # An unbound form (Wagtail's preview before any edit) is never cleaned: no cleaned_data.
        output = (getattr(self, "cleaned_data", None) or {}).get("output") or ""
        flaws = self.formsets.get("flaws")
        if flaws is None or not output:
            return valid
        for form in flaws.forms:
            data = getattr(form, "cleaned_data", None) or {}
            quote = (data.get("quote") or "").replace("\r\n", "\n")
            if data.get("DELETE") or not quote:
                continue
            data["quote"] = quote
            if quote not in output:
                form.add_error(
                    "quote",
                    "This passage does not occur in the AI output. Copy it exactly from the "
                    "output (same spelling, punctuation and spaces).",
                )
                valid = False
        return valid
