"""What reviewers see beside the form: the rubric's level descriptors, and a word diff of the AI's
answer against the rewrite. Pure functions and constants, no database."""

import difflib
import re
from dataclasses import dataclass

# Level descriptors per criterion, 1 to 5. Reviewers agree more often when every score has a
# sentence behind it (the consensus bonus depends on it).
RUBRIC: dict[str, dict[int, str]] = {
    "accuracy": {
        1: "Keeps the AI's errors or adds new ones.",
        2: "Fixes some errors; at least one wrong fact or claim remains.",
        3: "No obvious errors, but some claims are vague or unchecked.",
        4: "Every fact is correct; minor imprecision only.",
        5: "Every fact is correct, precise and checkable against policy or sources.",
    },
    "tone": {
        1: "Cold, blaming or inappropriate for the person asking.",
        2: "Polite in places, but misses how the person feels.",
        3: "Neutral and polite; no real empathy.",
        4: "Warm and respectful; fits the situation.",
        5: "Warm, respectful and clear; a colleague would send it as it is.",
    },
    "completeness": {
        1: "Leaves out what the person needs to act.",
        2: "Answers part of the question; key steps are missing.",
        3: "Answers the question; next steps are thin.",
        4: "Answers fully with next steps; small gaps only.",
        5: "Answers fully: next steps, limits and who to contact.",
    },
    "policy_fit": {
        1: "Breaks a policy or legal rule.",
        2: "Risky: ignores a relevant policy or promises what policy does not allow.",
        3: "Within policy, but does not use the policy that applies.",
        4: "Follows the policy that applies.",
        5: "Follows and explains the policy that applies, with the right exceptions.",
    },
}


@dataclass(frozen=True)
class DiffPart:
    """One run of words: ``op`` is "same", "removed" (only in the AI's answer) or "added"."""

    op: str
    text: str


_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(before: str, after: str) -> list[DiffPart]:
    """The changes from ``before`` to ``after``, word by word (whitespace kept), for an inline
    diff. The template escapes each part; nothing here builds HTML."""
    a, b = _TOKENS.findall(before or ""), _TOKENS.findall(after or "")
    parts: list[DiffPart] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(DiffPart("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(DiffPart("removed", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(DiffPart("added", "".join(b[j1:j2])))
    return parts
