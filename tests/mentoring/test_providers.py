"""AI providers: the sample provider's matching, and the real OpenAI client against a local server.

The ``openai`` provider runs its real httpx client against a small OpenAI-compatible server on
loopback started by each test; no mock objects.
"""

import json
import socket
import time

import pytest

from mentoring.ai import AIUnavailable, get_provider
from mentoring.ai.openai import OpenAIProvider
from mentoring.ai.sample import similarity
from tests.support.loopback import LoopbackServer, QuietHandler


class FakeOpenAI(LoopbackServer):
    """A tiny chat-completions server; ``script`` is a list of (status, body, delay) per call."""

    def __init__(self, script):
        self.script = list(script)
        self.requests = []
        outer = self

        class Handler(QuietHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                outer.requests.append(
                    {
                        "path": self.path,
                        "auth": self.headers.get("Authorization"),
                        "body": json.loads(self.rfile.read(length)),
                    }
                )
                status, body, delay = outer.script.pop(0) if outer.script else (200, "{}", 0)
                time.sleep(delay)
                payload = body if isinstance(body, str) else json.dumps(body)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(payload.encode())
                except (BrokenPipeError, ConnectionResetError):
                    pass

        super().__init__(Handler)
        self.url = f"{self.url}/v1"


def completion(text, model="tiny-llm"):
    return {"model": model, "choices": [{"message": {"role": "assistant", "content": text}}]}


def provider(url, **kwargs):
    options = {
        "base_url": url,
        "model": "tiny-llm",
        "api_key": "k-123",
        "timeout": 2,
        "backoff": 0.01,
    }
    options.update(kwargs)
    return OpenAIProvider(**options)


def test_openai_provider_sends_a_chat_completion_and_reads_the_answer():
    with FakeOpenAI([(200, completion("Refunds need a receipt."), 0)]) as server:
        result = provider(server.url).generate(
            "Can I return it?", {"system": "You help customers."}
        )
    assert result.text == "Refunds need a receipt."
    assert (result.provider, result.model) == ("openai", "tiny-llm")
    sent = server.requests[0]
    assert sent["path"] == "/v1/chat/completions"
    assert sent["auth"] == "Bearer k-123"
    assert sent["body"]["messages"] == [
        {"role": "system", "content": "You help customers."},
        {"role": "user", "content": "Can I return it?"},
    ]


def test_openai_provider_retries_an_overloaded_server_then_succeeds():
    script = [
        (503, {"error": "busy"}, 0),
        (429, {"error": "slow down"}, 0),
        (200, completion("ok"), 0),
    ]
    with FakeOpenAI(script) as server:
        result = provider(server.url, max_retries=2).generate("hi", {})
    assert result.text == "ok"
    assert len(server.requests) == 3


def test_openai_provider_gives_up_with_a_clear_message_after_retries(caplog):
    with (
        FakeOpenAI([(500, "oops", 0)] * 3) as server,
        pytest.raises(AIUnavailable, match="not answering right now"),
    ):
        provider(server.url, max_retries=2).generate("hi", {})
    assert len(server.requests) == 3
    assert "oops" in caplog.text  # the raw error is logged for operators


def test_openai_provider_times_out_with_a_clear_message():
    with (
        FakeOpenAI([(200, completion("late"), 1.5)] * 2) as server,
        pytest.raises(AIUnavailable, match="Your input is kept"),
    ):
        provider(server.url, timeout=0.3, max_retries=1).generate("hi", {})


def test_openai_provider_reports_an_unreachable_server():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(AIUnavailable, match="not answering right now"):
        provider(f"http://127.0.0.1:{port}/v1", max_retries=1).generate("hi", {})


def test_openai_provider_does_not_retry_a_refusal_and_says_why():
    with (
        FakeOpenAI([(401, {"error": "bad key"}, 0)]) as server,
        pytest.raises(AIUnavailable, match=r"refused the request \(HTTP 401\)"),
    ):
        provider(server.url).generate("hi", {})
    assert len(server.requests) == 1


def test_openai_provider_rejects_an_answer_that_is_not_a_completion():
    with (
        FakeOpenAI([(200, {"unexpected": True}, 0)]) as server,
        pytest.raises(AIUnavailable, match="could not read"),
    ):
        provider(server.url).generate("hi", {})


def test_openai_provider_needs_a_configured_endpoint(settings):
    settings.AI_BASE_URL = ""
    with pytest.raises(AIUnavailable, match="not configured"):
        get_provider("openai").generate("hi", {})


def test_unknown_provider_names_are_refused_clearly():
    with pytest.raises(AIUnavailable, match="not known"):
        get_provider("skynet")


def test_sample_similarity_prefers_the_closest_probe():
    probe = "I lost my receipt, can I still return my kettle?"
    assert similarity("Lost the receipt for my kettle, can I return it?", probe) > 0.5
    assert similarity("What is the weather tomorrow?", probe) == 0
