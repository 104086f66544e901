"""Many users at once: concurrent chat sessions against a real `python ui.py`, on loopback only.

Starts the app in a subprocess on a free 127.0.0.1 port, waits for it, warms it up, then runs
--clients sessions at the same time, each asking --questions questions (Chinese and English, with
follow-ups that lean on the session's history) through gradio_client — the same endpoint and queue the
page uses. Reports latency (p50/p95/max, as the user waits: queue + answer), errors, throughput and the
server's memory (after warm-up, peak, after the run). Stops the server and exits by itself: status 1
when a request failed, the run overran --timeout, or memory grew more than --max-growth-mb.

    .venv/bin/python benchmarks/load_test.py [--clients 32] [--questions 10] [--index index] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import stop_process  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# A conversation: questions in both languages; a follow-up ("它…", "its …") right after the company it
# refers to, one comparison, one the corpus cannot answer. Each client starts at a different point.
QUESTIONS = (
    "沐曦是哪一年成立的？",
    "它2024年的营收是多少？",
    "What is Enflame's valuation?",
    "Who holds a stake in it?",
    "哪家公司成立得最早？",
    "壁仞的估值是多少？",
    "When was Moore Threads founded?",
    "摩尔线程计划募资多少？",
    "寒武纪2024年的营收是多少？",
    "What does Vastai focus on?",
    "格兰菲的产品有哪些？",
    "Which company has the highest valuation?",
)


@dataclass
class Report:
    clients: int
    questions_per_client: int
    requests: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    seconds: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    max_ms: float = 0.0
    throughput_qps: float = 0.0
    rss_start_mb: float = 0.0
    rss_peak_mb: float = 0.0
    rss_end_mb: float = 0.0
    timed_out: bool = False

    @property
    def growth_mb(self) -> float:
        return self.rss_end_mb - self.rss_start_mb


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    index: str, log_path: Path, max_queue: int, concurrency: int | None = None, corpus: str | None = None
) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [
        sys.executable,
        str(ROOT / "ui.py"),
        "--port",
        str(port),
        "--index",
        index,
        "--max-queue",
        str(max_queue),
    ]
    if concurrency:
        cmd += ["--concurrency", str(concurrency)]
    if corpus:
        cmd += ["--corpus", corpus]
    env = {k: v for k, v in os.environ.items() if k != "ASSISTANT_AUTH"}
    with log_path.open("w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the app stopped while starting:\n{log_path.read_text()}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return proc, url
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    proc.kill()
    raise SystemExit("the app did not start within 300 s")


def rss_mb(proc: psutil.Process) -> float:
    """Resident memory of the server and anything it started."""
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / 2**20


def _check_reply(chat: list, sources: str, i: int, question: str, client_no: int, errors: list[str]) -> None:
    """The (i+1)-th reply of a session: the chat holds every turn so far, ending with the answer, and
    the sources panel came with it."""
    if not (len(chat) == 2 * (i + 1) and chat[-1]["role"] == "assistant" and "src-panel" in sources):
        errors.append(f"client {client_no}: unexpected reply to {question!r}")


def session(
    url: str, client_no: int, questions: int, latencies: list[float], errors: list[str], stop: threading.Event
) -> None:
    """One user: a gradio_client session (its own chat history on the server) asking in turn."""
    from gradio_client import Client

    client = Client(url, verbose=False, analytics_enabled=False, download_files=False)
    for i in range(questions):
        if stop.is_set():
            return
        question = QUESTIONS[(client_no + i) % len(QUESTIONS)]
        t0 = time.perf_counter()
        try:
            _, chat, sources, _lang = client.predict(question, api_name="/chat")
            _check_reply(chat, sources, i, question, client_no, errors)
        except Exception as exc:  # the report counts every failure, whatever it is
            errors.append(f"client {client_no}: {type(exc).__name__}: {str(exc)[:200]}")
            continue
        latencies.append((time.perf_counter() - t0) * 1000)


def http_session(
    url: str, client_no: int, questions: int, latencies: list[float], errors: list[str], stop: threading.Event
) -> None:
    """One user over Gradio's HTTP API directly (POST /gradio_api/call/chat with the session's own
    hash, then the event's stream) — the queue, session state and replies the page gets, without
    gradio_client, which spent 74 ms of CPU per question on this machine against the server's 39:
    with both on the same two cores, the load generator, not the app, set the latency."""
    import uuid

    session_hash = uuid.uuid4().hex[:11]
    with httpx.Client(base_url=url, timeout=120) as http:
        for i in range(questions):
            if stop.is_set():
                return
            question = QUESTIONS[(client_no + i) % len(QUESTIONS)]
            t0 = time.perf_counter()
            try:
                body = {"data": [question], "session_hash": session_hash}
                r = http.post("/gradio_api/call/chat", json=body)
                r.raise_for_status()
                event_id = r.json()["event_id"]
                event, data = "", None
                with http.stream("GET", f"/gradio_api/call/chat/{event_id}") as stream:
                    for line in stream.iter_lines():
                        if line.startswith("event:"):
                            event = line[6:].strip()
                        elif line.startswith("data:") and event in ("complete", "error"):
                            data = json.loads(line[5:])
                            break
                if event != "complete":
                    raise RuntimeError(f"{event or 'no'} event: {str(data)[:200]}")
                _, chat, sources, _lang = data[:4]
                _check_reply(chat, sources, i, question, client_no, errors)
            except Exception as exc:  # the report counts every failure, whatever it is
                errors.append(f"client {client_no}: {type(exc).__name__}: {str(exc)[:200]}")
                continue
            latencies.append((time.perf_counter() - t0) * 1000)


CLIENTS = {"http": http_session, "gradio": session}


def run(
    url: str, server: psutil.Process, clients: int, questions: int, timeout: float, client: str = "http"
) -> Report:
    report = Report(clients, questions)
    latencies: list[float] = []
    errors: list[str] = []
    stop = threading.Event()
    # warm-up: one short session so the first real request does not pay for lazy loading
    one_user = CLIENTS[client]
    one_user(url, 0, 2, [], errors, stop)
    errors.clear()
    report.rss_start_mb = report.rss_peak_mb = rss_mb(server)

    def sample() -> None:
        while not stop.wait(0.25):
            report.rss_peak_mb = max(report.rss_peak_mb, rss_mb(server))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t0 = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        futures = [pool.submit(one_user, url, n, questions, latencies, errors, stop) for n in range(clients)]
        _, pending = wait(futures, timeout=timeout)
        if pending:
            report.timed_out = True
            stop.set()
    report.seconds = time.perf_counter() - t0
    stop.set()
    sampler.join()
    time.sleep(1)
    report.rss_end_mb = rss_mb(server)
    report.requests = len(latencies) + len(errors)
    report.errors = len(errors)
    report.error_samples = errors[:5]
    if latencies:
        ordered = sorted(latencies)
        report.p50_ms = statistics.median(ordered)
        report.p95_ms = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
        report.max_ms = ordered[-1]
        report.throughput_qps = len(latencies) / report.seconds
    return report


def measure(
    index: str,
    clients: int,
    questions: int,
    concurrency: int | None = None,
    corpus: str | None = None,
    max_queue: int = 64,
    timeout: float = 600,
    client: str = "http",
) -> Report:
    """One load test against a fresh server (what run.py's `user` section and `main` call)."""
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # gradio_client would otherwise send telemetry
    with tempfile.TemporaryDirectory() as tmp:
        log_path = Path(tmp) / "server.log"
        proc, url = start_server(index, log_path, max_queue, concurrency, corpus)
        try:
            return run(url, psutil.Process(proc.pid), clients, questions, timeout, client)
        finally:
            stop_process(proc)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--questions", type=int, default=10, help="questions per client")
    ap.add_argument("--index", default=str(ROOT / "index"), help="index folder (built first when missing)")
    ap.add_argument("--max-queue", type=int, default=64, help="the app's --max-queue")
    ap.add_argument(
        "--concurrency", type=int, default=None, help="the app's --concurrency (default: the app's)"
    )
    ap.add_argument(
        "--client",
        choices=tuple(CLIENTS),
        default="http",
        help="http: Gradio's HTTP API directly (default); gradio: gradio_client (heavier on this machine)",
    )
    ap.add_argument("--timeout", type=float, default=600, help="seconds before the run is stopped")
    ap.add_argument("--max-growth-mb", type=float, default=64, help="allowed memory growth over the run")
    ap.add_argument("--json", type=Path, default=None, help="also write the report here")
    args = ap.parse_args(argv)
    report = measure(
        args.index,
        args.clients,
        args.questions,
        args.concurrency,
        max_queue=args.max_queue,
        timeout=args.timeout,
        client=args.client,
    )

    print(
        f"{report.clients} clients x {report.questions_per_client} questions: "
        f"{report.requests} requests in {report.seconds:.1f} s ({report.throughput_qps:.1f} questions/s)"
    )
    print(
        f"latency (queue + answer)  p50 {report.p50_ms:.0f} ms   p95 {report.p95_ms:.0f} ms   "
        f"max {report.max_ms:.0f} ms"
    )
    print(
        f"errors                    {report.errors}"
        + (f"  e.g. {report.error_samples[0]}" if report.errors else "")
    )
    print(
        f"server memory (RSS)       {report.rss_start_mb:.0f} MB after warm-up, "
        f"peak {report.rss_peak_mb:.0f} MB, "
        f"{report.rss_end_mb:.0f} MB after ({report.growth_mb:+.0f} MB)"
    )
    if args.json:
        args.json.write_text(json.dumps({**asdict(report), "growth_mb": report.growth_mb}, indent=2))
    failed = report.errors or report.timed_out or report.growth_mb > args.max_growth_mb
    if report.timed_out:
        print(f"stopped: the run took longer than {args.timeout:.0f} s")
    if report.growth_mb > args.max_growth_mb:
        print(f"memory grew by more than {args.max_growth_mb:.0f} MB")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
