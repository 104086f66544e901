"""The web app's front door: limits every request before Gradio parses or stores any of it.

Gradio keeps what it parses: a question sent through the queue API was stored, whole, in the
session (as the text box's value) before any handler of ours ran — 20 questions of 10 MB raised the
server from 954 to 2,178 MB, and two of 50 MB kept 580 MB after the requests had ended. A limit
in the page's text box does nothing against a client that skips the page. So this ASGI middleware,
in front of every route:

- refuses a request body over MAX_BODY_BYTES (413), reading what is sent in blocks and dropping
  it, so the client hears why instead of a reset connection and nothing is kept;
- refuses Gradio's uploads (403): files reach the app only through the "Add material" event
  (ADD_MATERIAL), as text in the request, never as files Gradio would store (it accepted a thousand
  empty ones in 0.35 s); that one event may send up to MAX_ADD_BODY_BYTES, every other request
  MAX_BODY_BYTES;
- refuses a queue or API call for an event or endpoint the app does not have, or with inputs that
  are not a list of at most the event's inputs (422/404), where Gradio answered 500;
- slows down password guessing: after MAX_FAILED_LOGINS failed logins from one address within
  LOGIN_WINDOW_SECONDS, further logins from it get 429 until the window has passed;
- on a loopback bind, answers only requests addressed to a loopback name (or a configured one):
  a web page the user visits could otherwise point its own host name at 127.0.0.1 (DNS
  rebinding) and add or remove articles through /gradio_api/queue/join (403);
- reads which event a large body is for from its bytes before parsing any of it: four clients
  sending 4 MB bodies for the chat event raised the chat's median from 0.07 to 0.77 s while each
  body was parsed as JSON only to be refused.

Every refusal is JSON `{"detail": "<one line>"}`, what Gradio's own errors look like.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

# The biggest request the page makes is a 500-character question (at most 6 KB as JSON, even with
# every character escaped as a surrogate pair) or a click carrying a passage id and its quote (at
# most 1,300 characters: under 8 KB escaped). 32 KB is four times that.
MAX_BODY_BYTES = 32 * 2**10
# The "Add material" event carries an article and its translation, each at most 1 MB
# (corpus/new_articles.MAX_ARTICLE_BYTES), as base64 (4/3 of the bytes) with the form's fields: under
# 2.8 MB. Only that event may send more than MAX_BODY_BYTES; the page's login covers it.
MAX_ADD_BODY_BYTES = 4 * 2**20
ADD_MATERIAL = "add_material"  # the api_name of that event (private: not callable by name)
# A refused body is read and dropped, up to this much, so that the client gets the 413 instead of a
# broken pipe; past it the connection is simply closed (reading costs time, not memory).
MAX_DRAIN_BYTES = 64 * 2**20
# A person who mistypes a password gets five tries a minute; a guesser gets five a minute instead
# of the 37 a second the app allowed (1,000 wrong logins in 27 s).
MAX_FAILED_LOGINS = 5
LOGIN_WINDOW_SECONDS = 60.0
# Addresses remembered for the login limit (the oldest is forgotten first): bounded memory under a
# flood from many addresses, and far more than the users of one app.
MAX_LOGIN_CLIENTS = 10_000
# Gradio's session ids are 11 (browser) or 36 (gradio_client) characters; a longer one is junk that
# would become a key of the session table.
MAX_SESSION_HASH_CHARS = 64

# A loopback server answers to these host names (and to those the operator adds, Settings.hosts).
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})

Scope = Mapping
# fn_index as it appears in a queue call's raw JSON (a key, so never inside a JSON string).
_FN_INDEX = re.compile(rb'"fn_index"\s*:\s*(-?\d{1,9})')
# Gradio's routes that run an endpoint by its api_name (API_PREFIX is /gradio_api).
_NAMED_CALL = re.compile(r"/gradio_api/(?:call/v2|call|run|api)/([^/]+)$")
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


@dataclass
class LoginLimiter:
    """Failed logins per client address in a sliding window (in memory; one per app)."""

    max_failures: int = MAX_FAILED_LOGINS
    window: float = LOGIN_WINDOW_SECONDS
    max_clients: int = MAX_LOGIN_CLIENTS
    clock: Callable[[], float] = time.monotonic
    _failures: OrderedDict[str, deque] = field(default_factory=OrderedDict)

    def wait(self, client: str) -> float:
        """Seconds until `client` may try again (0: now)."""
        times = self._failures.get(client)
        if not times or len(times) < self.max_failures:
            return 0.0
        return max(0.0, times[0] + self.window - self.clock())

    def failed(self, client: str) -> None:
        times = self._failures.pop(client, None) or deque(maxlen=self.max_failures)
        times.append(self.clock())
        self._failures[client] = times  # most recent last
        while len(self._failures) > self.max_clients:
            self._failures.popitem(last=False)

    def succeeded(self, client: str) -> None:
        self._failures.pop(client, None)


Check = Callable[[object], bool]


@dataclass(frozen=True)
class Events:
    """What the app offers and what each of its events takes: event id → a check per input (what
    the page sends through the queue), public endpoint name → a check per input it is called with
    (the same, without session state, which the server keeps)."""

    by_id: Mapping[int, tuple[Check, ...]]
    by_name: Mapping[str, tuple[Check, ...]]
    large: frozenset[int] = frozenset()  # events that may send up to MAX_ADD_BODY_BYTES (ADD_MATERIAL)

    @classmethod
    def of(cls, demo) -> Events:
        import gradio as gr

        fns = demo.fns.values()
        return cls(
            {fn._id: tuple(_check(b) for b in fn.inputs) for fn in fns},
            {
                fn.api_name: tuple(_check(b) for b in fn.inputs if not isinstance(b, gr.State))
                for fn in fns
                if fn.api_name and getattr(fn, "api_visibility", "public") != "private"
            },
            frozenset(fn._id for fn in fns if fn.api_name == ADD_MATERIAL),
        )


def _check(block) -> Check:
    """What an input component accepts, checked before Gradio's preprocessing sees it: Gradio logs
    a traceback for a value its components cannot take (a language that is not one of the choices,
    an example number that is not a number), and passes a handler a dict where it expects text."""
    import gradio as gr

    if isinstance(block, gr.State):  # the server's own; whatever a client sends is not used
        return lambda v: True
    if isinstance(block, gr.components.api_component.Api):  # gr.api: web/api.py checks its inputs
        return lambda v: True
    if isinstance(block, gr.BrowserState):  # the page's record (persistence.py checks each item)
        return lambda v: v is None or isinstance(v, dict)
    if isinstance(block, gr.Radio):
        choices = [value for _, value in block.choices]
        return lambda v: (
            v is None or (isinstance(v, (str, int, float)) and not isinstance(v, bool) and v in choices)
        )
    if isinstance(block, gr.Dataset):
        n = len(block.samples or [])
        return lambda v: v is None or (type(v) is int and 0 <= v < n)
    if isinstance(block, (gr.Textbox, gr.Dropdown)):
        return lambda v: v is None or isinstance(v, str)
    return lambda v: v is None or (isinstance(v, (str, int, float)) and not isinstance(v, bool))


class RequestGuard:
    """ASGI middleware: see the module docstring. Constructed by Starlette (FastAPI `middleware=`)."""

    def __init__(
        self,
        app,
        *,
        events: Events,
        logins: LoginLimiter,
        max_body: int = MAX_BODY_BYTES,
        max_add_body: int = MAX_ADD_BODY_BYTES,
        hosts: frozenset[str] | None = None,
    ):
        self.app = app
        self.events = events
        self.logins = logins
        self.max_body = max_body
        self.max_add_body = max_add_body
        self.hosts = hosts  # None: any Host (a bind other than loopback, where names are the operator's)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] in ("http", "websocket")
            and self.hosts is not None
            and not _addressed_to(scope, self.hosts)
        ):
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            await _drain(receive)
            await refuse(
                send, 403, "this server answers only requests addressed to " + ", ".join(sorted(self.hosts))
            )
            return
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "").rstrip("/")
        if path.endswith(("/upload", "/process_recording")):
            await _drain(receive)
            await refuse(
                send, 403, "this app does not accept uploads (articles are added in the Add material tab)"
            )
            return
        # A queue call may be the one event that carries an article; which event it is, is known
        # once its body is read, so it may be read up to that event's limit (_call_problem).
        limit = self.max_add_body if self.events.large and path.endswith("/queue/join") else self.max_body
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _drain(receive)
            await refuse(
                send,
                413,
                f"request of {declared:,} bytes refused: the limit is {limit // 1024} KB "
                "(a question is at most a few hundred characters)",
            )
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > limit:
                await _drain(receive, more)
                await refuse(
                    send,
                    413,
                    f"request refused: over the {limit // 1024} KB limit "
                    "(a question is at most a few hundred characters)",
                )
                return
        problem = self._call_problem(path, bytes(body))
        if problem:
            await refuse(send, *problem)
            return
        replay = _replay(bytes(body), receive)
        if path == "/login" or path.endswith("/login"):
            await self._login(scope, replay, send)
            return
        await self.app(scope, replay, send)

    def _call_problem(self, path: str, body: bytes) -> tuple[int, str] | None:
        """Why a queue or API call cannot be run (status, message), or None."""
        if path.endswith("/queue/join"):
            if len(body) > self.max_body and not self._may_be_large(body):
                return 413, (
                    f"request refused: over the {self.max_body // 1024} KB limit "
                    "(a question is at most a few hundred characters)"
                )
            data = _json(body)
            if not isinstance(data, dict):
                return 422, "expected a JSON object with fn_index, data and session_hash"
            fn_index = data.get("fn_index")
            if type(fn_index) is not int or fn_index not in self.events.by_id:
                return 422, f"no event {str(fn_index)[:20]!r} in this app"
            if len(body) > self.max_body and fn_index not in self.events.large:
                return 413, (
                    f"request refused: over the {self.max_body // 1024} KB limit "
                    "(a question is at most a few hundred characters)"
                )
            session = data.get("session_hash")
            if not isinstance(session, str) or not 0 < len(session) <= MAX_SESSION_HASH_CHARS:
                return 422, "session_hash must be a short string"
            if not isinstance(data.get("event_data"), (dict, type(None))):
                return 422, "event_data must be an object"
            return _inputs_problem(data.get("data"), self.events.by_id[fn_index])
        named = _NAMED_CALL.search(path)  # an endpoint called by name
        if named:
            name = named.group(1)
            if name not in self.events.by_name:
                return 404, f"no endpoint {name[:40]!r} in this app"
            data = _json(body)
            if not isinstance(data, dict):
                return 422, "expected a JSON object with data"
            return _inputs_problem(data.get("data"), self.events.by_name[name])
        return None

    def _may_be_large(self, body: bytes) -> bool:
        """Whether a body names an event that may be large, read from its bytes, not parsed."""
        return any(int(m.group(1)) in self.events.large for m in _FN_INDEX.finditer(body))

    async def _login(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = (scope.get("client") or ("?", 0))[0]
        wait = self.logins.wait(client)
        if wait > 0:
            seconds = math.ceil(wait)
            await refuse(
                send,
                429,
                f"too many failed logins from this address: try again in {seconds} s",
                headers=[(b"retry-after", str(seconds).encode())],
            )
            return
        status: list[int] = []

        async def watch(message: dict) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        await self.app(scope, receive, watch)
        if status and status[0] in (400, 401, 403):
            self.logins.failed(client)
        elif status and status[0] < 400:
            self.logins.succeeded(client)


def _inputs_problem(data, checks: tuple[Check, ...]) -> tuple[int, str] | None:
    if not isinstance(data, list):
        return 422, "data must be a list of the event's inputs"
    if len(data) != len(checks):  # Gradio fills in nothing: a short list failed with a traceback
        return 422, f"data has {len(data)} values; this event takes {len(checks)}"
    for i, (value, ok) in enumerate(zip(data, checks)):
        if not ok(value):
            return 422, f"input {i + 1} of this event cannot be {type(value).__name__} {str(value)[:40]!r}"
    return None


def _json(body: bytes):
    """The body as JSON, or None: not JSON, not UTF-8, or nested too deep for the parser
    (`[` × 16,000 raised RecursionError, a 500 with a traceback before any login)."""
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None


def _addressed_to(scope: Scope, hosts: frozenset[str]) -> bool:
    """Whether the request's Host, and its Origin when it has one, name one of `hosts`."""
    headers = dict(scope.get("headers", ()))
    host = _host_name(headers.get(b"host", b"").decode("latin-1"))
    origin = headers.get(b"origin", b"").decode("latin-1")
    if origin and origin != "null":
        if _host_name(origin.split("://", 1)[-1]) not in hosts:
            return False
    return host in hosts


def _host_name(value: str) -> str:
    """`example.com:7860` → `example.com`, `[::1]:7860` → `::1`, lower case."""
    value = value.strip().lower().split("/", 1)[0]
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", ()):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _drain(receive: Receive, more: bool = True) -> None:
    """Read and drop the rest of a request body, up to MAX_DRAIN_BYTES."""
    seen = 0
    while more and seen <= MAX_DRAIN_BYTES:
        message = await receive()
        if message["type"] != "http.request":
            return
        seen += len(message.get("body", b""))
        more = message.get("more_body", False)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the app the body already read, then passes on what comes next."""
    sent = False

    async def again() -> dict:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again


async def refuse(send: Send, status: int, detail: str, headers: list | None = None) -> None:
    """A refusal as JSON ({"detail": …}) that closes the connection: the guard's, and the API gate's."""
    payload = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                (b"connection", b"close"),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
