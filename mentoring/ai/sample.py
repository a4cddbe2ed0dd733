"""The offline ``sample`` provider: answers with the behaviours L&D scripted on the challenge.

A test input gets the response of the most similar probe (bag-of-words cosine similarity over
lightly stemmed words, stop words removed), or the challenge's own output when no probe is
similar enough. This makes the Test step a discovery game without a model.
"""

import math
import re
from collections import Counter
from typing import Any

from challenges.ai import AIResult, AIUnavailable

# Below this similarity an input is "something else" and gets the default output.
MIN_SIMILARITY = 0.2

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "she",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
    ]
)
_WORD = re.compile(r"[a-z0-9]+")


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def terms(text: str) -> Counter:
    return Counter(_stem(w) for w in _WORD.findall(text.lower()) if w not in STOP_WORDS)


def similarity(a: str, b: str) -> float:
    """Cosine similarity of the two texts' term counts (0..1)."""
    ta, tb = terms(a), terms(b)
    if not ta or not tb:
        return 0.0
    dot = sum(ta[t] * tb[t] for t in ta.keys() & tb.keys())
    norm = math.sqrt(sum(v * v for v in ta.values())) * math.sqrt(sum(v * v for v in tb.values()))
    return dot / norm


class SampleProvider:
    """Scripted answers authored on the challenge (see module docstring)."""

    name = "sample"

    def generate(self, prompt: str, context: dict[str, Any]) -> AIResult:
        challenge = context.get("challenge")
        if challenge is None:
            raise AIUnavailable("The sample AI can only answer inside a challenge.")
        model = challenge.model_name or "sample"
        best, best_score = None, 0.0
        for behaviour in challenge.behaviours.all():
            score = similarity(prompt, behaviour.probe)
            if score > best_score:
                best, best_score = behaviour, score
        if best is not None and best_score >= MIN_SIMILARITY:
            return AIResult(best.response, self.name, model, behaviour_id=best.pk)
        return AIResult(challenge.output, self.name, model)
