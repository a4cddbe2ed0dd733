"""The offline ``sample`` provider: answers with the behaviours scripted on a challenge or system.

A test input gets the response of the most similar probe (bag-of-words cosine similarity over
lightly stemmed words, stop words removed). An input that no probe is similar enough to gets a
clearly marked generic reply, never the challenge's original output (that would pass an
unrelated question off as an answer). This makes the Test step a discovery game without a model.
"""

import math
import re
from collections import Counter
from typing import Any

from mentoring.ai import AIResult, AIUnavailable

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


GENERIC_REPLY = (
    "[Demo stand-in: no scripted answer] The sample AI is not a real model. Nothing L&D or "
    "the system's owners scripted matches this input, so this placeholder is all it can say. "
    "Try an input closer to the scenario, or ask an owner to connect the real system."
)


class SampleProvider:
    """Scripted answers (see module docstring); honest about being a demo stand-in.

    A behaviour may name the context topic that fixes it (``fixed_by_topic``): when the guidance
    in force carries that topic (``context["topics"]``), the behaviour answers its
    ``fixed_response`` instead, so publishing the guidance visibly changes the answer.
    """

    name = "sample"

    def generate(self, prompt: str, context: dict[str, Any]) -> AIResult:
        behaviours = context.get("behaviours")
        challenge = context.get("challenge")
        if behaviours is None and challenge is not None:
            behaviours = challenge.behaviours.all()
        if behaviours is None:
            raise AIUnavailable("The sample AI can only answer with scripted behaviours.")
        model = context.get("model") or getattr(challenge, "model_name", "") or "sample"
        best, best_score = None, 0.0
        for behaviour in behaviours:
            score = similarity(prompt, behaviour.probe)
            if score > best_score:
                best, best_score = behaviour, score
        if best is None or best_score < MIN_SIMILARITY:
            return AIResult(GENERIC_REPLY, self.name, model, generic=True)
        topic = (getattr(best, "fixed_by_topic", "") or "").strip().lower()
        fixed = getattr(best, "fixed_response", "") or ""
        topics = {t.strip().lower() for t in context.get("topics") or ()}
        if topic and fixed and topic in topics:
            return AIResult(fixed, self.name, model, behaviour_id=best.pk, fixed_by=(topic,))
        return AIResult(best.response, self.name, model, behaviour_id=best.pk)
