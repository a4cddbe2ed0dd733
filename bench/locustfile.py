"""Load scenario: signed-in employees learning, doing challenges, reviewing, giving kudos and
watching live boards, spread over the ASGI workers named in LOAD_HOSTS.

Run by ``bench/load.py`` (which prepares the database and writes LOAD_USERS). Every form is read
from the page and filled as a person would (so the scenario follows template changes); text
fields carry a unique marker, and each submission the site acknowledged is logged to LOAD_LOG so
``bench/load_django.py check`` can prove it was stored exactly once (and a refused one never).
"""

import json
import os
import random
import threading
import time
import uuid
from html.parser import HTMLParser
from http.cookiejar import DefaultCookiePolicy
from itertools import count
from urllib.parse import urljoin, urlsplit

import gevent
import websocket
from locust import HttpUser, between, events, task

HOSTS = os.environ.get("LOAD_HOSTS", "http://127.0.0.1:8101").split(",")
USERS = json.loads(open(os.environ["LOAD_USERS"]).read())  # noqa: SIM115 - read once at import
LOG_PATH = os.environ.get("LOAD_LOG", "load-submissions.json")
SUBMISSIONS: list[dict] = []
_next_user = count()
_lock = threading.Lock()

for url in HOSTS:
    # Bound: the scenario only ever talks to this machine.
    assert urlsplit(url).hostname == "127.0.0.1", f"{url} is not on 127.0.0.1"


class LoopbackSecureCookies(DefaultCookiePolicy):
    """Production settings mark cookies Secure; the workers speak plain HTTP on loopback."""

    def return_ok_secure(self, cookie, request):
        return True

    def set_ok_secure(self, cookie, request):  # pragma: no cover - not in every Python
        return True


class FormParser(HTMLParser):
    """The forms of a page: action, id and fields (inputs, textareas, selects with options)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "id": a.get("id"), "fields": []})
        elif not self.forms:
            return
        elif tag in {"input", "textarea", "button"} and a.get("name"):
            kind = "textarea" if tag == "textarea" else a.get("type", "text")
            if tag == "button":
                kind = "button"
            field = {"kind": kind, "name": a["name"], "value": a.get("value", "")}
            field["required"] = "required" in a
            self.forms[-1]["fields"].append(field)
        elif tag == "select" and a.get("name"):
            self._select = {"kind": "select", "name": a["name"], "options": []}
            self._select["multiple"] = "multiple" in a
            self.forms[-1]["fields"].append(self._select)
        elif tag == "option" and self._select is not None and a.get("value"):
            self._select["options"].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def forms_of(html: str) -> list[dict]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def fill(form: dict, marker: str) -> dict[str, list[str]]:
    """Answers for every field: text carries the marker, choices are picked at random."""
    data: dict[str, list[str]] = {}
    groups: dict[str, list[str]] = {}
    for f in form["fields"]:
        kind, name = f["kind"], f["name"]
        if kind in {"hidden"}:
            data.setdefault(name, []).append(f["value"])
        elif kind in {"radio", "checkbox"}:
            groups.setdefault(name, []).append(f["value"] or "on")
        elif kind == "select":
            if f["options"]:
                data[name] = [random.choice(f["options"])]
        elif kind in {"text", "textarea", "search", "email"}:
            data[name] = [f"{marker} {name}: the AI assumed a policy it was never told about."]
    for name, values in groups.items():
        checkbox = any(f["name"] == name and f["kind"] == "checkbox" for f in form["fields"])
        chosen = random.sample(values, random.randint(1, len(values))) if checkbox else None
        data[name] = chosen or [random.choice(values)]
    return data


class Employee(HttpUser):
    """One employee: a pre-made session on one worker, a board socket open all the time."""

    wait_time = between(2, 8)
    host = HOSTS[0]

    def on_start(self):
        n = next(_next_user)
        self.me = USERS["users"][n % len(USERS["users"])]
        self.base = HOSTS[n % len(HOSTS)]
        self.client.cookies.set_policy(LoopbackSecureCookies())
        self.client.cookies.set("sessionid", self.me["session"])
        self.client.cookies.set("csrftoken", USERS["csrf"])
        self.client.headers["X-CSRFToken"] = USERS["csrf"]
        self.socket_stop = False
        self.socket_greenlet = gevent.spawn(self.watch_board)

    def on_stop(self):
        self.socket_stop = True

    # -- HTTP helpers -----------------------------------------------------------------------
    def get(self, path: str, name: str):
        return self.client.get(urljoin(self.base, path), name=name)

    def submit(self, page_url: str, form: dict, kind: str, name: str, marker: str | None = None):
        """POST a form read from the page; log it as acknowledged if the site said so."""
        marker = marker or f"load-{uuid.uuid4().hex}"
        data = fill(form, marker)
        # Logged before it is sent: a request the end of the run cuts off stays "acked": None
        # (outcome unknown, stored at most once).
        record = {"kind": kind, "user": self.me["id"], "marker": marker, "acked": None}
        record["target"] = form["action"]
        with _lock:
            SUBMISSIONS.append(record)
        data["csrfmiddlewaretoken"] = [USERS["csrf"]]
        with self.client.post(
            urljoin(urljoin(self.base, page_url), form["action"]),
            data=data,
            name=name,
            headers={"Referer": urljoin(self.base, page_url)},
            catch_response=True,
        ) as response:
            acked = bool(response.history) and "alert--error" not in response.text
            # 400 (form errors) and 429 (a rate limit) are answers, not failures.
            if response.status_code >= 400 and response.status_code not in (400, 429):
                response.failure(f"{response.status_code}")
            else:
                response.success()
        record.update(acked=acked, status=response.status_code)
        return acked

    # -- what employees do --------------------------------------------------------------------
    @task(3)
    def dashboard(self):
        self.get("/", name="/ (dashboard)")

    @task(2)
    def leaderboard_page(self):
        self.get("/leaderboard/", name="/leaderboard/")

    @task(1)
    def insights(self):
        self.get("/insights/", name="/insights/")

    @task(4)
    def lesson(self):
        lesson = random.choice(USERS["lessons"])
        response = self.get(lesson, name="/skills/[lesson]")
        if response.status_code != 200:
            return
        for form in forms_of(response.text):
            if "/quiz/" in form["action"]:
                self.submit(lesson, form, "quiz", "/learn/lessons/[id]/quiz/[block]/")
                return
            if form["action"].endswith("/complete/"):
                self.submit(lesson, form, "lesson_complete", "/learn/lessons/[id]/complete/")
                return

    @task(4)
    def challenge(self):
        challenge = random.choice(USERS["challenges"])
        response = self.get(challenge, name="/challenges/[challenge]")
        if response.status_code != 200:
            return
        steps = [
            f
            for f in forms_of(response.text)
            if f["id"] in {"correct-form", "context-form", "test-form", "reflect-form"}
        ]
        if steps:
            form = random.choice(steps)
            step = form["id"].removesuffix("-form")
            self.submit(challenge, form, step, f"/challenge/[id]/{step}/")

    @task(2)
    def review(self):
        response = self.get("/challenge/reviews/", name="/challenge/reviews/")
        links = [
            a
            for a in response.text.split('href="')[1:]
            if a.startswith("/challenge/reviews/") and a.split('"')[0] != "/challenge/reviews/"
        ]
        if not links:
            return
        url = random.choice(links).split('"')[0]
        page = self.get(url, name="/challenge/reviews/[id]")
        for form in forms_of(page.text):
            if any(f["name"] == "accuracy" for f in form["fields"]):
                form["action"] = form["action"] or url
                self.submit(url, form, "review", "/challenge/reviews/[id]/")
                return

    @task(1)
    def kudos(self):
        colleague = random.choice([p for p in USERS["people"] if p != self.me["id"]])
        url = f"/leaderboard/people/{colleague}/"
        page = self.get(url, name="/leaderboard/people/[id]")
        for form in forms_of(page.text):
            if "/kudos/" in form["action"]:
                self.submit(url, form, "kudos", "/leaderboard/people/[id]/kudos/")
                return

    # -- the live board -------------------------------------------------------------------------
    def watch_board(self):
        """Keep a board socket open; reconnect (and count it) if the server closes it."""
        ws_url = self.base.replace("http://", "ws://") + "/ws/leaderboard/all/"
        fire = self.environment.events.request.fire
        while not self.socket_stop:
            started = time.perf_counter()
            try:
                ws = websocket.create_connection(
                    ws_url,
                    cookie=f"sessionid={self.me['session']}",
                    origin=self.base,
                    timeout=30,
                )
            except Exception as exc:
                fire(
                    request_type="WS",
                    name="connect",
                    response_time=(time.perf_counter() - started) * 1000,
                    response_length=0,
                    exception=exc,
                )
                time.sleep(random.uniform(2, 5))
                continue
            fire(
                request_type="WS",
                name="connect",
                response_time=(time.perf_counter() - started) * 1000,
                response_length=0,
                exception=None,
            )
            ws.settimeout(5)
            while not self.socket_stop:
                try:
                    message = ws.recv()
                except websocket.WebSocketTimeoutException:
                    continue
                except Exception as exc:
                    fire(
                        request_type="WS",
                        name="closed by server",
                        response_time=0,
                        response_length=0,
                        exception=exc,
                    )
                    time.sleep(random.uniform(2, 5))  # back off as board.js does
                    break
                kind = json.loads(message).get("type", "message") if message else "empty"
                fire(
                    request_type="WS",
                    name=f"message {kind}",
                    response_time=0,
                    response_length=len(message or ""),
                    exception=None,
                )
            ws.close()


@events.quitting.add_listener
def write_submissions(environment, **kwargs):
    with open(LOG_PATH, "w") as out:
        json.dump(SUBMISSIONS, out)
