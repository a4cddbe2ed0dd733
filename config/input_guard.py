"""One guard in the request path against input no view should ever have to handle.

NUL bytes and invalid UTF-8 (including encoded lone surrogates) in the path, the query string,
a form field or a JSON body are refused with a 400 and a sentence saying what was wrong, before
any view or database sees them: PostgreSQL refuses NUL in text and JSON, and a lone surrogate
cannot be stored or encoded at all. JSON bodies are parsed once here, bounded in size and depth
(Python's parser recurses, so a 100,000-deep body would exhaust the stack); views read the
parsed value with ``json_body(request)``.

Form-level rules (repeated fields, wrong types, lengths) stay in the forms and services; this
guard only keeps out what no form could handle.
"""

import json
import re
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.http import HttpRequest, JsonResponse
from django.template.response import TemplateResponse

# Characters shown back on the error page, per field (nothing typed is lost).
SHOW_BACK_CHARS = 20_000
SECRET_FIELD = re.compile(r"password|secret|token|csrf|otp|code", re.IGNORECASE)

_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class InputRefused(BadRequest):
    """Input the site refuses to read; ``str(exc)`` is the sentence shown to the client."""


def _json_limits() -> tuple[int, int]:
    return (
        getattr(settings, "JSON_BODY_MAX_BYTES", 1024 * 1024),
        getattr(settings, "JSON_BODY_MAX_DEPTH", 32),
    )


def _check_text_bytes(raw: bytes, where: str) -> None:
    if b"\x00" in raw:
        raise InputRefused(f"The {where} contains a NUL character, which the site cannot store.")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputRefused(f"The {where} is not valid UTF-8 text.") from None


def check_urlencoded(raw: bytes, where: str) -> None:
    """Refuse NUL and invalid UTF-8 in an ``a=b&c=d`` string, after percent-decoding."""
    _check_text_bytes(unquote_to_bytes(raw.replace(b"+", b" ")), where)


def _json_depth(raw: bytes) -> int:
    brackets = _NOT_BRACKET.sub(b"", _JSON_STRING.sub(b"", raw))
    depth = deepest = 0
    for byte in brackets:
        depth += 1 if byte in b"[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _check_json_strings(value) -> None:
    # Iterative: the depth is already bounded, but a wide body should not cost recursion either.
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            if "\x00" in item:
                raise InputRefused(
                    "The JSON body contains a NUL character, which the site cannot store."
                )
            if _LONE_SURROGATE.search(item):
                raise InputRefused("The JSON body contains an unpaired UTF-16 surrogate.")


def parse_json(raw: bytes):
    """Parse a JSON body within the size and depth limits, or raise ``InputRefused``."""
    max_bytes, max_depth = _json_limits()
    if len(raw) > max_bytes:
        raise InputRefused(f"The JSON body is larger than {max_bytes} bytes.")
    _check_text_bytes(raw, "JSON body")
    if _json_depth(raw) > max_depth:
        raise InputRefused(f"The JSON body is nested deeper than {max_depth} levels.")
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        raise InputRefused("The request body is not valid JSON.") from None
    _check_json_strings(value)
    return value


def json_body(request: HttpRequest):
    """The request's JSON body, parsed once and checked (by the middleware, or now)."""
    if not hasattr(request, "_guarded_json"):
        request._guarded_json = parse_json(request.body)
    return request._guarded_json


def is_json(content_type: str) -> bool:
    return content_type == "application/json" or content_type.endswith("+json")


def check_request(request: HttpRequest) -> None:
    """Raise ``InputRefused`` for a request no view should see."""
    if "\x00" in request.path_info:
        raise InputRefused("The address contains a NUL character.")
    scope = getattr(request, "scope", None)
    if scope is not None:
        query = scope.get("query_string", b"")
    else:
        query = get_bytes_from_wsgi(request.environ, "QUERY_STRING", "")
    if query:
        check_urlencoded(query, "address's query string")
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    content_type = request.content_type or ""
    if content_type == "application/x-www-form-urlencoded":
        check_urlencoded(request.body, "form")
    elif content_type == "multipart/form-data":
        # Django decodes multipart fields itself (invalid bytes become U+FFFD): only NUL is left.
        for key, values in request.POST.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                raise InputRefused(
                    "The form contains a NUL character, which the site cannot store."
                )
    elif is_json(content_type) and request.body:
        json_body(request)


def _wants_json(request: HttpRequest) -> bool:
    return is_json(request.content_type or "") or "application/json" in request.headers.get(
        "Accept", ""
    )


def _shown_back(request: HttpRequest) -> list[tuple[str, str]]:
    """What the user sent in a form, made printable, so nothing typed is lost."""
    if request.content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return []
    try:
        post = request.POST
    except Exception:  # an unreadable body has nothing to show back
        return []
    fields = []
    for key, values in post.lists():
        if SECRET_FIELD.search(key):
            continue
        for value in values:
            text = value.replace("\x00", "\ufffd")[:SHOW_BACK_CHARS]
            if text.strip():
                fields.append((key.replace("\x00", "\ufffd")[:100], text))
    return fields[:50]


def refused_response(request: HttpRequest, message: str):
    """The 400: JSON for API and JSON clients, otherwise a page showing back what was sent."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)  # the API's own error shape
    if _wants_json(request):
        return JsonResponse({"error": message}, status=400)
    response = TemplateResponse(
        request,
        "input_refused.html",
        {"message": message, "fields": _shown_back(request)},
        status=400,
    )
    return response.render()


class InputGuardMiddleware:
    """Refuse NUL bytes, invalid UTF-8 and unbounded JSON before any view runs (400)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            check_request(request)
        except InputRefused as exc:
            return refused_response(request, str(exc))
        return self.get_response(request)
