"""The one interface through which challenges talk to an AI.

A provider has ``generate(prompt, context) -> AIResult``: the text plus which provider and model
answered (the UI says so). ``context`` is a dict; ``challenge`` (the ChallengePage) and
``system`` (a system prompt) are the keys providers understand. Providers raise
:class:`AIUnavailable` with a message fit for the user when they cannot answer.
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


class Provider(Protocol):
    name: str

    def generate(self, prompt: str, context: dict[str, Any]) -> AIResult: ...


def get_provider(name: str | None = None) -> Provider:
    """The provider named by ``name`` or the AI_PROVIDER setting."""
    name = name or settings.AI_PROVIDER
    if name == "sample":
        from challenges.ai.sample import SampleProvider

        return SampleProvider()
    if name == "openai":
        from challenges.ai.openai import OpenAIProvider

        return OpenAIProvider(
            base_url=settings.AI_BASE_URL,
            model=settings.AI_MODEL,
            api_key=settings.AI_API_KEY,
            timeout=settings.AI_TIMEOUT,
            max_retries=settings.AI_MAX_RETRIES,
        )
    raise AIUnavailable(f"The AI provider “{name}” is not known. Use “sample” or “openai”.")
