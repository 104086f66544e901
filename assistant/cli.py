"""Command line: `assistant build | ask | eval | company | serve | feedback export`.

Every AssistantError becomes one clean line on stderr and exit status 2; nothing else is caught,
so a real bug still shows its traceback.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from pathlib import Path

from .errors import AssistantError
from .settings import ENV_PREFIX, Settings
from .text import clip
from .web.options import DESCRIPTION as SERVE_DESCRIPTION
from .web.options import add_serve_arguments


def _common(p: argparse.ArgumentParser) -> None:
    """The corpus, index and model flags every command takes; defaults and variables from `Settings`."""
    p.add_argument(
        "--corpus",
        default=None,
        help=f"corpus folder (default: {Settings.default('corpus_dir')}, or ${ENV_PREFIX}CORPUS_DIR)",
    )
    p.add_argument(
        "--index",
        default=None,
        help=f"index folder (default: {Settings.default('index_dir')}, or ${ENV_PREFIX}INDEX_DIR)",
    )
    p.add_argument(
        "--model",
        default=None,
        help=f"embedding model: '{Settings.default('model')}' (default) or "
        f"any sentence-transformers name or folder (${ENV_PREFIX}MODEL)",
    )


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="assistant", description="Cited answers over Chinese technology reporting."
    )
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build (or rebuild) the index from the corpus")
    _common(b)
    b.add_argument("--force", action="store_true", help="rebuild even when the index is up to date")
    b.add_argument(
        "--store",
        choices=("faiss", "milvus"),
        default=None,
        help="where searches run: faiss (default: files in the index folder) or milvus ($ASSISTANT_STORE)",
    )
    b.add_argument(
        "--milvus-uri",
        default=None,
        help="Milvus Lite folder (default index/milvus.db) or server, http://host:19530 "
        "($ASSISTANT_MILVUS_URI)",
    )
    b.add_argument(
        "--dask",
        default=None,
        help="embed new texts on Dask: tcp://scheduler:8786, or 'local' for a LocalCluster ($ASSISTANT_DASK)",
    )
    b.add_argument(
        "--translator",
        default=None,
        help="machine-translate articles without an English file first: none (default), argos "
        "(an installed zh→en package) or openai (an OpenAI-compatible endpoint) ($ASSISTANT_TRANSLATOR)",
    )
    b.add_argument(
        "--translator-url",
        default=None,
        help="translator=openai: the endpoint, e.g. "
        "http://localhost:8000/v1 ($ASSISTANT_TRANSLATOR_URL; key in $ASSISTANT_TRANSLATOR_KEY)",
    )
    b.add_argument(
        "--translator-model",
        default=None,
        help="translator=openai: the model name ($ASSISTANT_TRANSLATOR_MODEL)",
    )
    a = sub.add_parser("ask", help="ask a question in Chinese or English")
    _common(a)
    a.add_argument("question")
    a.add_argument(
        "--history", action="append", default=[], help="an earlier question (repeat, oldest first)"
    )
    a.add_argument("--json", action="store_true", help="print the answer as JSON")
    e = sub.add_parser("eval", help="score the assistant on a labelled question set (JSON lines)")
    _common(e)
    e.add_argument("file")
    e.add_argument("--json", action="store_true")
    c = sub.add_parser("company", help="look a company up by any of its names")
    _common(c)
    c.add_argument("name")
    c.add_argument("--json", action="store_true")
    f = sub.add_parser("feedback", help="readers' verdicts on answers (index/feedback.jsonl)")
    fsub = f.add_subparsers(dest="feedback_command", required=True)
    fx = fsub.add_parser("export", help="the verdicts as a labelled question set for `assistant eval`")
    _common(fx)
    fx.add_argument("--out", default=None, help="write the set here (default: print it)")
    s = sub.add_parser("serve", help="start the web app", description=SERVE_DESCRIPTION)
    _common(s)
    add_serve_arguments(s)
    return ap


def _load(args, **kw):
    from .engine import Assistant  # lazily: `--help` need not load the engine

    settings = Settings.from_args(args)  # the flags, then ASSISTANT_* variables, then defaults; checked
    return Assistant.load(
        settings=settings, progress=sys.stderr.isatty(), log=lambda m: print(m, file=sys.stderr), **kw
    )


def _without_collector() -> None:
    """Turn Python's cyclic garbage collector off for the rest of this process: for `ask` only.

    A shell `ask` is one short process: it imports its libraries, loads the index, answers and
    exits, handing all its memory back. The collector ran again and again meanwhile (every 700 new
    container objects: the libraries' imports and the index load make hundreds of thousands), each
    time walking young objects that are all still in use, and it frees nothing that matters in a
    process of a second. Without it a shell ask took 0.94–0.96 of the time, side by side (issue 20,
    point 17). Not for `serve` or `eval`, which live long and answer many questions: there it frees
    the cycles each answer leaves."""
    gc.disable()


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return _run(args)
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _run(args) -> int:
    if args.command == "build":
        bot = _load(args, rebuild=args.force)
        r = bot.load_report
        m = bot.index.manifest
        print(f"index: {bot.index.path}")
        print(
            f"{m['document_count']} documents, {m['passage_count']} passages, "
            f"{m['sentence_count']} sentences, "
            f"model {m['model_id']}, {m['dense_index']['type']} index"
        )
        store = m.get("store") or {}
        if store.get("type") == "milvus":
            print(f"searches run on Milvus at {store.get('uri')}, collection {store.get('collection')}")
        if r.built and r.build:
            print(
                f"built in {r.build.seconds:.1f}s; {r.build.embedded} texts embedded, the rest from the cache"
            )
        else:
            print("already up to date (use --force to rebuild)")
        return 0
    if args.command == "ask":
        _without_collector()
        bot = _load(args)
        a = bot.ask(args.question, history=args.history)
        if args.json:
            print(json.dumps(a.to_json(), ensure_ascii=False, indent=2))
            return 0
        print(a.text)
        shown = a.citations or a.closest
        if shown:
            print()
            print("Sources:" if a.citations else "Closest material (not an answer):")
            for c in shown:
                where = " · ".join(x for x in (c.title, c.section, c.published) if x)
                print(f"[{c.n}] {c.passage_id} — {where}")
                print(f"    {c.text}")
        if a.notice:
            print(f"\nnote: {a.notice}")
        return 0
    if args.command == "eval":
        from .evaluation import evaluate, format_report, load_items

        items = load_items(Path(args.file))
        bot = _load(args)
        report = evaluate(bot, items)
        if args.json:
            print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        else:
            print(format_report(report))
        return 0
    if args.command == "company":
        bot = _load(args)
        matches = bot.find_company(args.name)
        if args.json:
            print(json.dumps([m.to_json() for m in matches], ensure_ascii=False, indent=2))
            return 0
        if not matches:
            names = ", ".join(f"{p.name_zh} ({p.name_en})" for p in bot.companies())
            print(f"No company in the corpus matches {clip(repr(args.name))}. Known companies: {names}")
            return 1
        from .corpus.companies import FIELD_LABELS

        for m in matches:
            print(f"{m.name_zh} / {m.name_en}  (match {m.score:.2f}; also: {', '.join(m.aliases)})")
            for fact in m.profile.facts:
                print(f"  {FIELD_LABELS[fact.field][1]}: {fact.en} — {fact.zh} [{fact.source}]")
            print(f"  mentioned in {len(m.passages)} passages: {', '.join(c.passage_id for c in m.passages)}")
        return 0
    if args.command == "feedback":
        return _export_feedback(args)
    if args.command == "serve":
        from .web.server import serve  # lazily: Gradio takes seconds to import, `--help` none

        return serve(args)
    return 2


def _export_feedback(args) -> int:
    """The feedback file of the index folder as JSON lines in the dev set's format (no model loaded)."""
    from .feedback import FeedbackStore, labelled_items

    settings = Settings.from_args(args)
    store = FeedbackStore(settings.index_dir)
    items = labelled_items(store.read())
    text = "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items)
    if args.out:
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise AssistantError(f"cannot write {args.out}: {exc.strerror or exc}") from None
        print(f"{len(items)} labelled items from {store.path} written to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
