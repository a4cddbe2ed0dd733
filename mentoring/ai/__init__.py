"""The one interface through which the product talks to an AI.

A provider has ``generate(prompt, context) -> AIResult``: the text plus which provider and model
answered (the UI says so). ``context`` is a dict; the keys providers understand:

- ``system``: the system prompt (the AI system's base prompt plus its guidance rules);
- ``examples``: few-shot pairs ``[(prompt, answer), ...]`` chosen from the guidance pack;
- ``behaviours``: the sample provider's scripted behaviours (objects with ``probe``,
  ``response``, ``pk`` and optionally ``fixed_by_topic`` / ``fixed_response``);
- ``topics``: the context topics of the guidance in force (the sample provider's fixes);
- ``challenge``: a challenge page (the sample provider reads its ``behaviours``).

Providers raise :class:`AIUnavailable` with a message fit for the user when they cannot answer.
"""

from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings


class AIUnavailable(Exception):
    """The AI could not answer; ``str(exc)`` is a full sentence to show the user."""


@dataclass(frozen=True)
class AIResult:
    text: str
    provider: str
    model: str
    behaviour_id: int | None = None
    # The guidance topics that changed this answer (sample provider: the fix that applied).
    fixed_by: tuple[str, ...] = ()
    # True when the sample provider had no scripted answer and gave its marked generic reply.
    generic: bool = False


class Provider(Protocol):
    name: str

    def generate(self, prompt: str, context: dict[str, Any]) -> AIResult: ...


def get_provider(
    name: str | None = None,
    *,
    base_url: str | None = None,
    model: str | None = None,
    api_key: str | None = None,
) -> Provider:
    """The provider named by ``name`` (or the AI_PROVIDER setting).

    ``base_url``, ``model`` and ``api_key`` override the site-wide AI_* settings for the
    ``openai`` provider (an AI system brings its own endpoint).
    """
    name = name or settings.AI_PROVIDER
    # The providers import AIResult and AIUnavailable from this package, a real cycle, so each
    # is imported when it is chosen.
    if name == "sample":
        from mentoring.ai.sample import SampleProvider

        return SampleProvider()
    if name == "openai":
        from mentoring.ai.openai import OpenAIProvider

        return OpenAIProvider(
            base_url=settings.AI_BASE_URL if base_url is None else base_url,
            model=settings.AI_MODEL if model is None else model,
            api_key=settings.AI_API_KEY if api_key is None else api_key,
            timeout=settings.AI_TIMEOUT,
            max_retries=settings.AI_MAX_RETRIES,
        )
    raise AIUnavailable(f"The AI provider “{name}” is not known. Use “sample” or “openai”.")
