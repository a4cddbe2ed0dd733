"""The ``openai`` provider: any OpenAI-compatible chat-completions endpoint over httpx.

Works with OpenAI, vLLM, Ollama and llama.cpp's server. Connection failures, timeouts, 429 and
5xx answers are retried with exponential backoff; anything else, or running out of retries,
raises AIUnavailable with a message for the user while the raw error goes to the log.
"""

import logging
import time
from typing import Any

import httpx

from mentoring.ai import AIResult, AIUnavailable

logger = logging.getLogger(__name__)

RETRYABLE_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}
UNREACHABLE = (
    "The AI service is not answering right now, so your test was not run. Your input is kept: "
    "try again in a minute."
)


class OpenAIProvider:
    """Chat completions at ``{base_url}/chat/completions``."""

    name = "openai"

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str = "",
        timeout: float = 20.0,
        max_retries: int = 2,
        backoff: float = 0.5,
    ):
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.api_key = api_key
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff

    def generate(self, prompt: str, context: dict[str, Any]) -> AIResult:
        if not self.base_url or not self.model:
            raise AIUnavailable(
                "The live AI is not configured (AI_BASE_URL and AI_MODEL), so tests cannot run."
            )
        messages = []
        if context.get("system"):
            messages.append({"role": "system", "content": context["system"]})
        # Few-shot pairs from the guidance pack: the gold answers employees wrote.
        for example_prompt, example_answer in context.get("examples") or ():
            messages.append({"role": "user", "content": example_prompt})
            messages.append({"role": "assistant", "content": example_answer})
        messages.append({"role": "user", "content": prompt})
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        payload = {"model": self.model, "messages": messages}
        url = f"{self.base_url}/chat/completions"
        with httpx.Client(timeout=self.timeout, headers=headers) as client:
            for attempt in range(self.max_retries + 1):
                last = attempt == self.max_retries
                try:
                    response = client.post(url, json=payload)
                except httpx.TransportError as exc:
                    logger.warning(
                        "AI request to %s failed (attempt %s): %r", url, attempt + 1, exc
                    )
                    if last:
                        raise AIUnavailable(UNREACHABLE) from exc
                    self._sleep(attempt)
                    continue
                if response.status_code in RETRYABLE_STATUS:
                    logger.warning(
                        "AI request to %s answered %s (attempt %s): %s",
                        url,
                        response.status_code,
                        attempt + 1,
                        response.text[:500],
                    )
                    if last:
                        raise AIUnavailable(UNREACHABLE)
                    self._sleep(attempt)
                    continue
                return self._parse(response, url)
        raise AIUnavailable(UNREACHABLE)  # pragma: no cover - the loop always returns or raises

    def _sleep(self, attempt: int) -> None:
        time.sleep(self.backoff * (2**attempt))

    def _parse(self, response: httpx.Response, url: str) -> AIResult:
        if response.status_code >= 400:
            logger.error(
                "AI request to %s refused with %s: %s",
                url,
                response.status_code,
                response.text[:500],
            )
            raise AIUnavailable(
                f"The AI service refused the request (HTTP {response.status_code}). "
                "Ask L&D to check the AI settings; your input is kept."
            )
        try:
            data = response.json()
            text = data["choices"][0]["message"]["content"]
            model = data.get("model") or self.model
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            logger.error(
                "AI answer from %s was not a chat completion: %s", url, response.text[:500]
            )
            raise AIUnavailable(
                "The AI service sent an answer we could not read. Your input is kept; try again."
            ) from exc
        if not isinstance(text, str) or not text.strip():
            raise AIUnavailable(
                "The AI service sent an empty answer. Your input is kept; try again."
            )
        return AIResult(text, self.name, str(model))
