"""How the web app is served: the `serve` command's flags, their defaults and help, each written once.

Light on purpose (no Gradio, no engine): `assistant serve --help` and `python ui.py --help` both
read these through the one command line (assistant/cli.py), and the server (assistant/web/server.py)
and the page take their defaults from here.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

AUTH_ENV = "ASSISTANT_AUTH"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
# Questions answered at the same time. The Assistant is read-only once loaded (tests/test_engine.py:
# 8 threads give the serial answers) and the question's embedding, most of an answer's time, runs in
# C without Python's lock, so one question's embedding overlaps others' Python work. One at a time
# left both cores half idle: 32 clients waited 3.7 s at p95 for answers that cost 40 ms; see README
# "Running past one machine" for the load test at 1 and at this value. The queue in front holds
# DEFAULT_MAX_QUEUE requests before new ones get "busy, try again" (README, "Operating it").
DEFAULT_CONCURRENCY = 4
DEFAULT_MAX_QUEUE = 64
DESCRIPTION = f"The web app (http://{DEFAULT_HOST}:{DEFAULT_PORT} by default); `python ui.py` runs the same."


@dataclass(frozen=True)
class ServeOptions:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    auth: tuple[tuple[str, str], ...] = ()
    concurrency: int = DEFAULT_CONCURRENCY
    max_queue: int = DEFAULT_MAX_QUEUE
    blocked_paths: tuple[str, ...] = ()
    # Host names the page is reached by besides this machine's own (localhost, 127.0.0.1, ::1): on a
    # loopback bind any other Host is refused, so a web page cannot rebind its name to 127.0.0.1.
    hosts: tuple[str, ...] = ()
    # Addresses of reverse proxies whose X-Forwarded-For is believed: none by default, so a client
    # cannot pick the address the login limit counts (issue 20: rotating it dodged the limit).
    trusted_proxies: tuple[str, ...] = ()
    # The MCP server at /gradio_api/mcp/ (`--mcp`): ask, find_company and compare as tools for agents,
    # behind the same login (assistant/web/api.py, api_gate.py).
    mcp: bool = False


def add_serve_arguments(ap: argparse.ArgumentParser) -> None:
    """The flags of `assistant serve` (and `python ui.py`) beyond the corpus, index and model."""
    ap.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}: this machine only; 0.0.0.0 exposes it)",
    )
    ap.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT})"
    )
    ap.add_argument(
        "--auth-file",
        type=Path,
        default=None,
        help=f"file of user:password lines to require a login (or set ${AUTH_ENV}=user:password)",
    )
    ap.add_argument(
        "--concurrency",
        type=int,
        default=DEFAULT_CONCURRENCY,
        help=f"questions answered at the same time (default {DEFAULT_CONCURRENCY})",
    )
    ap.add_argument(
        "--max-queue",
        type=int,
        default=DEFAULT_MAX_QUEUE,
        help=f"requests that may wait; beyond this users see 'busy, try again' (default {DEFAULT_MAX_QUEUE})",
    )
    ap.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a host name the page is reached by, besides localhost and 127.0.0.1 (repeatable); "
        "on a loopback bind requests for any other name are refused",
    )
    ap.add_argument(
        "--mcp",
        action="store_true",
        help="also serve the MCP server at /gradio_api/mcp/ (tools ask, find_company, compare; "
        "behind the login when one is set)",
    )
    ap.add_argument(
        "--trusted-proxy",
        action="append",
        default=[],
        metavar="ADDRESS",
        help="a reverse proxy whose X-Forwarded-For header is believed (repeatable; default none)",
    )
