"""One way to run a small real HTTP server on loopback for a test (the LRS, the OpenID Connect
provider, the OpenAI-compatible endpoint, a company tool's page).

``LoopbackServer(Handler)`` binds 127.0.0.1 on a free port (or ``port``) and serves in a daemon
thread from ``start()`` (or entering ``with``) until ``close()`` (or leaving it). Subclasses keep
their state on ``self`` and give their handler class a reference to it.

pytest-httpserver would do the same with declared expectations, but it is not a dependency, and
our servers hold behaviour (PKCE, statement validation, scripted delays) that reads better as a
handler than as a list of expectations (docs/architecture.md, "Tests").
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that keeps the test output free of access logs."""

    def log_message(self, *args):
        pass


class LoopbackServer:
    def __init__(self, handler: type[BaseHTTPRequestHandler], *, port: int = 0):
        self.server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def close(self) -> None:
        if self._thread.is_alive():  # shutdown() waits for serve_forever, so only once started
            self.server.shutdown()
            self._thread.join(timeout=5)
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()
