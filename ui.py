"""Placeholder web app until the UI issue lands: starts, loads the assistant, answers in a textbox."""
from __future__ import annotations

import argparse


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=7860)
    ap.add_argument("--corpus", default="corpus")
    ap.add_argument("--index", default="index")
    ap.add_argument("--model", default=None)
    args = ap.parse_args()
    import gradio as gr

    from assistant import Assistant

    bot = Assistant.load(corpus_dir=args.corpus, index_dir=args.index, model=args.model, log=print)
    with gr.Blocks(analytics_enabled=False) as demo:
        q = gr.Textbox(label="Question")
        out = gr.Textbox(label="Answer")
        q.submit(lambda text: bot.ask(text).text, q, out)
    demo.launch(server_name=args.host, server_port=args.port)


if __name__ == "__main__":
    main()
