"""A small LRS-like server on loopback for the xAPI tests.

It accepts ``POST /xapi/statements`` the way an LRS does (xAPI 1.0.3 header, Basic auth, a
statement or a list), validates each statement with ADL's ``tincan`` library plus the rules we
promise (actor by account, never e-mail), stores them by id (a repeated id is not stored twice)
and can be switched to answer 503 to simulate an outage.
"""

import base64
import json
import uuid

import tincan

from tests.support.loopback import LoopbackServer, QuietHandler


class LRS(LoopbackServer):
    def __init__(self, username: str = "lrs-user", password: str = "lrs-pass", port: int = 0):
        self.username = username
        self.password = password
        self.statements: dict[str, dict] = {}
        self.requests = 0
        self.down = False
        self.errors: list[str] = []
        super().__init__(self._handler(), port=port)
        self.endpoint = f"{self.url}/xapi/"

    def _check(self, statement: dict) -> str | None:
        try:
            uuid.UUID(statement["id"])
            actor = statement["actor"]
            if "mbox" in actor or "mbox_sha1sum" in actor:
                return "actor identified by e-mail"
            if not actor["account"]["homePage"].startswith("http"):
                return "actor account homePage is not an IRL"
            if not actor["account"]["name"]:
                return "actor account has no name"
            if not statement["verb"]["id"].startswith("http"):
                return "verb id is not an IRI"
            if not statement["object"]["id"].startswith("http"):
                return "object id is not an IRI"
            if "timestamp" not in statement:
                return "statement has no timestamp"
            tincan.Statement.from_json(json.dumps(statement))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            return f"invalid statement: {exc!r}"
        return None

    def _handler(self):
        lrs = self

        class Handler(QuietHandler):
            def _reply(self, status: int, body: object = None):
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                lrs.requests += 1
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                if lrs.down:
                    return self._reply(503, {"error": "maintenance"})
                if self.path.rstrip("/") != "/xapi/statements":
                    return self._reply(404)
                if self.headers.get("X-Experience-API-Version") != "1.0.3":
                    lrs.errors.append("missing version header")
                    return self._reply(400, {"error": "X-Experience-API-Version"})
                expected = base64.b64encode(f"{lrs.username}:{lrs.password}".encode()).decode()
                if self.headers.get("Authorization") != f"Basic {expected}":
                    return self._reply(401)
                body = json.loads(raw)
                statements = body if isinstance(body, list) else [body]
                for statement in statements:
                    problem = lrs._check(statement)
                    if problem:
                        lrs.errors.append(problem)
                        return self._reply(400, {"error": problem})
                for statement in statements:
                    lrs.statements.setdefault(statement["id"], statement)
                return self._reply(200, [s["id"] for s in statements])

        return Handler
