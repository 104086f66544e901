"""The assistant for other programs (assistant/web/api.py): what each way of calling `ask` costs.

Serves the built-in corpus with the MCP server and a login, in this process, on a free loopback port,
then asks the dev questions (or the fallback set) one at a time, warm, four ways: in this process
(`AssistantApi.ask`: the answer and its JSON), through the HTTP API (`/gradio_api/call/ask`, POST then
GET, with httpx), through `gradio_client`, and as an MCP tool call (the official `mcp` client, one
session over streamable HTTP). Every way must give the same answers. Reports p50 / p95 / max ms.

    .venv/bin/python benchmarks/api_latency.py [--index index] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CORPUS, ROOT, dev_questions, fallback_questions, stats_ms, table  # noqa: E402

LOGIN = ("bench", "bench-password")


def http_ask(http: httpx.Client, question: str) -> dict:
    r = http.post("/gradio_api/call/ask", json={"data": [question, [], ""]})
    r.raise_for_status()
    with http.stream("GET", f"/gradio_api/call/ask/{r.json()['event_id']}") as stream:
        for line in stream.iter_lines():
            if line.startswith("data:"):
                return json.loads(line[5:])[0]
    raise RuntimeError("no result")


async def mcp_answers(url: str, questions: list[str]) -> tuple[list[dict], list[float]]:
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    answers, times = [], []
    http = httpx.AsyncClient(auth=LOGIN, timeout=120)
    async with http, streamable_http_client(f"{url}/gradio_api/mcp/", http_client=http) as (r, w, _):
        async with ClientSession(r, w) as session:
            await session.initialize()
            await session.call_tool("ask", {"question": questions[0]})  # warm
            for q in questions:
                t0 = time.perf_counter()
                result = await session.call_tool("ask", {"question": q})
                times.append((time.perf_counter() - t0) * 1000)
                answers.append(json.loads(result.content[0].text))
    return answers, times


def timed(fn, questions: list[str]) -> tuple[list[dict], list[float]]:
    fn(questions[0])  # warm
    answers, times = [], []
    for q in questions:
        t0 = time.perf_counter()
        answers.append(fn(q))
        times.append((time.perf_counter() - t0) * 1000)
    return answers, times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, default=ROOT / "index")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()

    from gradio_client import Client

    from assistant import Assistant
    from assistant.web import page, server
    from assistant.web.api import api_of
    from assistant.web.options import ServeOptions
    from tests.ui_support import free_port

    questions = [i["question"] for i in (dev_questions() or fallback_questions())]
    bot = Assistant.load(corpus_dir=CORPUS, index_dir=args.index)
    server.warm_up(bot)
    demo = page.build_app(bot)
    port = free_port()
    server.launch(demo, ServeOptions(port=port, auth=(LOGIN,), mcp=True), block=False)
    url = f"http://127.0.0.1:{port}"
    try:
        api = api_of(demo)
        runs = {"in process (AssistantApi.ask)": timed(lambda q: api.ask(q), questions)}
        with httpx.Client(base_url=url, timeout=120) as http:
            http.post("/login", data={"username": LOGIN[0], "password": LOGIN[1]}).raise_for_status()
            runs["HTTP API, httpx (POST + GET)"] = timed(lambda q: http_ask(http, q), questions)
        client = Client(url, auth=LOGIN, verbose=False, download_files=False)
        runs["gradio_client"] = timed(lambda q: client.predict(q, [], "", api_name="/ask"), questions)
        runs["MCP tool call (mcp ClientSession)"] = asyncio.run(mcp_answers(url, questions))
    finally:
        demo.close()

    reference = [
        (a["answer"], [c["id"] for c in a["citations"]]) for a in runs["in process (AssistantApi.ask)"][0]
    ]
    rows, out = [], {"questions": len(questions)}
    for name, (answers, times) in runs.items():
        same = sum(
            (a["answer"], [c["id"] for c in a["citations"]]) == ref for a, ref in zip(answers, reference)
        )
        s = stats_ms(times)
        out[name] = {**s, "same_answers": same}
        rows.append(
            [name, f"{same}/{len(questions)}", f"{s['p50']:.1f}", f"{s['p95']:.1f}", f"{s['max']:.1f}"]
        )
    print(table(rows, ["ask, one at a time, warm", "same answers", "p50 ms", "p95 ms", "max ms"]))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2), encoding="utf-8")
    return 0 if all(v["same_answers"] == len(questions) for k, v in out.items() if k != "questions") else 1


if __name__ == "__main__":
    sys.exit(main())
