"""Contributions other apps hand to a system's guidance and eval suite, without this app
importing them.

An app that holds loop records about an AI system (``challenges``: approved context notes, gold
corrections and settled test cases of the challenges attached to the system) registers a source
in its ``AppConfig.ready()``. Compiling a guidance pack and running the evals read every source.
"""

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class RuleItem:
    """Context, as a rule for the system-prompt addendum."""

    topic: str
    text: str
    source_key: str
    contributor_id: int | None


@dataclass(frozen=True)
class ExampleItem:
    """A gold correction, as a few-shot pair."""

    prompt: str
    answer: str
    rationale: str
    source_key: str
    contributor_id: int | None


@dataclass(frozen=True)
class CaseItem:
    """An accepted test case for the eval suite."""

    input: str
    must: str
    must_not: str
    source_key: str
    author_id: int | None


class Source(Protocol):
    def rules(self, system) -> list[RuleItem]: ...

    def examples(self, system) -> list[ExampleItem]: ...

    def cases(self, system) -> list[CaseItem]: ...


_SOURCES: list[Source] = []


def source_register(source: Source) -> None:
    """Add a source (idempotent per object: ``ready()`` may run more than once in tests)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def sources() -> list[Source]:
    return list(_SOURCES)
