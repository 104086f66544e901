"""Memory under attack: huge questions sent straight to the queue API of a real `python ui.py`.

The page caps a question at 500 characters, but a client need not use the page: 20 questions of
10 MB through `/queue/join` once raised the server from 954 to 2,178 MB, and the memory stayed
taken. This starts the app in a subprocess on a free loopback port (as benchmarks/load_test.py
does), measures its memory after a warm-up question, sends --requests questions of --mb MB each
(alternately through `/gradio_api/queue/join`, event 0 as the page calls it, and the REST endpoint
`/gradio_api/call/chat`), then watches the memory for --settle seconds. It also checks that the
server still answers afterwards. Stops the server and exits by itself: status 1 unless memory is
back within --tolerance-mb of the baseline within --settle seconds and the server still answers.

    .venv/bin/python benchmarks/memory_attack.py [--index index] [--requests 20] [--mb 10] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import stop_process  # noqa: E402
from load_test import rss_mb, start_server  # noqa: E402 - the same way of starting the app

QUESTION = "沐曦计划募资多少？"
SETTLE_SECONDS = 10.0  # the bar: back within 10 s
TOLERANCE_MB = 50.0  # and within 50 MB of the baseline


@dataclass
class AttackReport:
    requests: int
    megabytes_each: float
    statuses: list = field(
        default_factory=list
    )  # HTTP status per request ("reset" if the connection was cut)
    details: list = field(default_factory=list)  # the server's one-line refusals (distinct)
    seconds: float = 0.0
    rss_baseline_mb: float = 0.0
    rss_peak_mb: float = 0.0
    rss_after_mb: float = 0.0
    settled_after_s: float | None = None  # seconds after the last request until within tolerance
    answers_afterwards: bool = False

    @property
    def growth_mb(self) -> float:
        return self.rss_after_mb - self.rss_baseline_mb

    @property
    def passed(self) -> bool:
        """Memory back within the tolerance in time, and the server still answers."""
        return self.settled_after_s is not None and self.answers_afterwards


def ask_once(url: str) -> bool:
    """One normal question through the REST endpoint; True when it is answered."""
    with httpx.Client(timeout=120) as client:
        r = client.post(f"{url}/gradio_api/call/chat", json={"data": [QUESTION]})
        if r.status_code != 200:
            return False
        with client.stream("GET", f"{url}/gradio_api/call/chat/{r.json()['event_id']}") as stream:
            event = None
            for line in stream.iter_lines():
                if line.startswith("event:"):
                    event = line.split(":", 1)[1].strip()
                elif line.startswith("data:") and event in ("complete", "error"):
                    if event != "complete":
                        return False
                    chat = json.loads(line.split(":", 1)[1])[1]
                    return chat[0]["content"][0]["text"] == QUESTION and chat[-1]["role"] == "assistant"
    return False


def _steady_rss(server: psutil.Process, samples: int = 5) -> float:
    values = []
    for _ in range(samples):
        values.append(rss_mb(server))
        time.sleep(0.2)
    return statistics.median(values)


def _huge_question(megabytes: float) -> str:
    return QUESTION * int(megabytes * 2**20 / len(QUESTION.encode("utf-8")))


def attack(
    url: str,
    pid: int,
    requests: int = 20,
    megabytes: float = 10.0,
    settle: float = SETTLE_SECONDS,
    tolerance_mb: float = TOLERANCE_MB,
) -> AttackReport:
    """Send the huge questions to the server at `url` (process `pid`) and measure its memory."""
    server = psutil.Process(pid)
    report = AttackReport(requests, megabytes)
    ask_once(url)  # warm-up: lazily loaded parts are in memory before the baseline
    report.rss_baseline_mb = report.rss_peak_mb = _steady_rss(server)
    stop = threading.Event()

    def watch_peak() -> None:
        while not stop.is_set():
            report.rss_peak_mb = max(report.rss_peak_mb, rss_mb(server))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch_peak, daemon=True)
    watcher.start()
    question = _huge_question(megabytes)
    queue_body = json.dumps(
        {
            "data": [question, None],
            "fn_index": 0,
            "session_hash": "attacker",
            "event_data": None,
            "trigger_id": None,
        },
        ensure_ascii=False,
    ).encode()
    rest_body = json.dumps({"data": [question]}, ensure_ascii=False).encode()
    del question
    t0 = time.monotonic()
    with httpx.Client(timeout=120) as client:
        for i in range(requests):
            path, body = (
                ("/gradio_api/queue/join", queue_body) if i % 2 == 0 else ("/gradio_api/call/chat", rest_body)
            )
            try:
                r = client.post(url + path, content=body, headers={"content-type": "application/json"})
                report.statuses.append(r.status_code)
                detail = (
                    r.json().get("detail") if "json" in r.headers.get("content-type", "") else r.text[:200]
                )
                if detail and str(detail) not in report.details:
                    report.details.append(str(detail))
            except httpx.TransportError as exc:
                report.statuses.append(f"reset ({type(exc).__name__})")
    report.seconds = time.monotonic() - t0
    end = time.monotonic()
    while True:
        report.rss_after_mb = rss_mb(server)
        if report.rss_after_mb - report.rss_baseline_mb <= tolerance_mb:
            report.settled_after_s = round(time.monotonic() - end, 2)
            break
        if time.monotonic() - end > settle:
            break
        time.sleep(0.25)
    stop.set()
    watcher.join()
    report.answers_afterwards = ask_once(url)
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", default="index")
    ap.add_argument("--requests", type=int, default=20)
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--settle", type=float, default=SETTLE_SECONDS)
    ap.add_argument("--tolerance-mb", type=float, default=TOLERANCE_MB)
    ap.add_argument("--json", default=None, help="also write the report here")
    args = ap.parse_args(argv)
    log = Path(tempfile.mkdtemp(prefix="memory-attack-")) / "server.log"
    proc, url = start_server(args.index, log, max_queue=64)
    try:
        report = attack(url, proc.pid, args.requests, args.mb, args.settle, args.tolerance_mb)
    finally:
        stop_process(proc)
    out = {**asdict(report), "growth_mb": round(report.growth_mb, 1), "passed": report.passed}
    print(json.dumps(out, ensure_ascii=False, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if out["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
