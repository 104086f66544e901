"""The door of the MCP endpoint and of the passage pages: the page's login, a bound on calls at once.

Gradio mounts its MCP server (`/gradio_api/mcp/`) beside its routes, without the login the page and
`/gradio_api/call/…` have: with a login set, anyone who could reach the port could list the tools
and call them. So this ASGI middleware, inside the RequestGuard (which has already checked the Host,
the body's size and the login attempts' rate), lets a request to those paths through only with

- `Authorization: Basic` and one of the server's logins (what MCP clients send: the `headers` of
  their server entry), a wrong one counted by the same LoginLimiter as the page's login form, or
- the page's login cookie (a browser opening a citation's url after logging in to the page).

It also bounds MCP requests: at most `concurrency` run at once and `max_queue` wait; past that the
caller hears "busy" (503) at once, as the page does when its queue is full. Waiting costs no thread:
the tools run in Gradio's thread pool only once admitted.

`GET /passage/<id>?lang=en` is answered here: the passage between its neighbours, as the page's side
panel shows it (a citation's `url`).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hmac
import math
from collections.abc import Callable
from urllib.parse import parse_qs

from ..messages import Msg
from .guard import LoginLimiter, Receive, Scope, Send, refuse

MCP_PATH = "/gradio_api/mcp"
PASSAGE_PATH = "/passage/"  # a citation's url: /passage/<id>?lang=zh|en (web/api.py)
# A passage id is a document path and a paragraph number (uploads/NAME#p12); far under this.
MAX_PASSAGE_ID_CHARS = 300


class ApiGate:
    """ASGI middleware: see the module docstring. Constructed by Starlette (FastAPI `middleware=`)."""

    def __init__(
        self,
        app,
        *,
        logins: tuple[tuple[str, str], ...],
        limiter: LoginLimiter,
        concurrency: int,
        max_queue: int,
        passage_page: Callable[[str, str], str | None],
    ):
        self.app = app
        self.logins = logins
        self.limiter = limiter
        self.concurrency = concurrency
        self.max_queue = max_queue
        self.passage_page = passage_page
        self._slots: asyncio.Semaphore | None = None  # made in the server's event loop
        self._waiting = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        mcp = path == MCP_PATH or path.startswith(MCP_PATH + "/")
        passage = path.startswith(PASSAGE_PATH)
        if not (mcp or passage):
            await self.app(scope, receive, send)
            return
        refusal = self._login_problem(scope)
        if refusal:
            await refuse(send, *refusal)
            return
        if passage:
            await self._passage(scope, path[len(PASSAGE_PATH) :], send)
        elif scope["method"] == "POST":
            await self._bounded(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    def _login_problem(self, scope: Scope) -> tuple | None:
        """(status, detail, headers) when the request may not pass, else None."""
        if not self.logins:
            return None
        headers = dict(scope.get("headers", ()))
        if _cookie_login(scope, headers.get(b"cookie", b"")):
            return None
        client = (scope.get("client") or ("?", 0))[0]
        wait = self.limiter.wait(client)
        if wait > 0:
            seconds = math.ceil(wait)
            detail = f"too many failed logins from this address: try again in {seconds} s"
            return 429, detail, [(b"retry-after", str(seconds).encode())]
        given = _basic(headers.get(b"authorization", b""))
        if given is None:
            return 401, Msg.API_LOGIN.say("en"), [(b"www-authenticate", b'Basic realm="assistant"')]
        if any(_same(given, login) for login in self.logins):
            self.limiter.succeeded(client)
            return None
        self.limiter.failed(client)
        return 401, Msg.API_LOGIN.say("en"), [(b"www-authenticate", b'Basic realm="assistant"')]

    async def _bounded(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.concurrency)
        if self._slots.locked() and self._waiting >= self.max_queue:
            await refuse(send, 503, Msg.API_BUSY.say("en"))
            return
        self._waiting += 1
        try:
            await self._slots.acquire()
        finally:
            self._waiting -= 1
        try:
            await self.app(scope, receive, send)
        finally:
            self._slots.release()

    async def _passage(self, scope: Scope, passage_id: str, send: Send) -> None:
        if scope["method"] not in ("GET", "HEAD"):
            await refuse(send, 405, "a passage is read with GET")
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        lang = "en" if query.get("lang") == ["en"] else "zh"
        html = self.passage_page(passage_id[:MAX_PASSAGE_ID_CHARS], lang)
        if html is None:
            await refuse(send, 404, Msg.API_NO_PASSAGE.say("en", id=passage_id[:80]))
            return
        body = html.encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/html; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    # the page is our escaped HTML: no script of its own runs, none from elsewhere
                    (b"content-security-policy", b"default-src 'none'; style-src 'unsafe-inline'"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body if scope["method"] == "GET" else b""})


def _cookie_login(scope: Scope, cookie: bytes) -> bool:
    """Whether the request carries the page's login cookie (Gradio's token, in the app's table)."""
    app = scope.get("app")
    tokens, cookie_id = getattr(app, "tokens", None), getattr(app, "cookie_id", None)
    if not tokens or not cookie_id or not cookie:
        return False
    names = (f"access-token-{cookie_id}", f"access-token-unsecure-{cookie_id}")
    for part in cookie.decode("latin-1").split(";"):
        key, _, value = part.strip().partition("=")
        if key in names and value in tokens:
            return True
    return False


def _basic(header: bytes) -> tuple[str, str] | None:
    """(user, password) of an `Authorization: Basic …` header, or None. Spaces around either are not
    part of them, as for the logins read from $ASSISTANT_AUTH (web/server.read_auth)."""
    scheme, _, encoded = header.decode("latin-1").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, sep, password = base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (user.strip(), password.strip()) if sep else None


def _same(given: tuple[str, str], login: tuple[str, str]) -> bool:
    """Compared in constant time, the user name and the password both (no early exit on the name)."""
    user = hmac.compare_digest(given[0].encode(), login[0].encode())
    password = hmac.compare_digest(given[1].encode(), login[1].encode())
    return user and password
