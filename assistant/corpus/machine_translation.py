"""Machine translation at build time, off by default: `NAME.en.txt` for an article that has none.

No translation model installs offline here, so the assistant never needs one: English answers
about untranslated articles render their figures and names (answering/clause_values.py). A user who has
a translator can name it, and each article without an English file gets one before the index is
built:

- `translator="argos"`: Argos Translate (CTranslate2 models), when a zh→en package is installed;
- `translator="openai"`: any OpenAI-compatible chat endpoint (`translator_url`, `translator_model`,
  the key in the environment variable `ASSISTANT_TRANSLATOR_KEY`), called with the standard library.

The file it writes is an ordinary translation (corpus/translation.py), marked in its front matter
as machine-made: line for line, sentence for sentence, and checked by `values.same_values` like one
a person wrote. A sentence whose figures the translator got wrong makes the build report the file
and index the article from its original only — a wrong number under a citation is worse than none.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from ..errors import AssistantError
from ..schema import Document
from ..text import split_sentences

TRANSLATORS = ("none", "argos", "openai")
MACHINE_MARK = "machine translation"  # the front matter's translated_by starts with this
KEY_VARIABLE = "ASSISTANT_TRANSLATOR_KEY"
# One sentence per request keeps the one-for-one alignment translation.py checks (a model asked for a
# paragraph merges and splits sentences); a request that takes longer than this is a stalled endpoint.
REQUEST_TIMEOUT_S = 60


class Translator(Protocol):
    name: str

    def translate(self, text: str) -> str:
        """The English of one Chinese sentence."""
        ...


class ArgosTranslator:
    """Argos Translate's installed zh→en package (argostranslate; CTranslate2 underneath)."""

    name = "argos"

    def __init__(self) -> None:
        try:
            from argostranslate import translate
        except ImportError:
            raise AssistantError(
                "translator=argos needs the argostranslate package (pip install argostranslate)"
            ) from None
        langs = {lang.code: lang for lang in translate.get_installed_languages()}
        pair = langs["zh"].get_translation(langs["en"]) if "zh" in langs and "en" in langs else None
        if pair is None:
            raise AssistantError(
                "translator=argos: no Chinese→English package is installed (argospm install translate-zh_en)"
            )
        self._pair = pair

    def translate(self, text: str) -> str:
        return self._pair.translate(text)


class OpenAICompatibleTranslator:
    """Any endpoint that speaks the OpenAI chat-completions API (a local vLLM, llama.cpp, a service)."""

    name = "openai"
    PROMPT = (
        "Translate this sentence from Chinese financial reporting into English. Keep every number, "
        "convert 亿/万 amounts exactly, and answer with the translation only."
    )

    def __init__(self, url: str, model: str, key: str = "") -> None:
        if not url.startswith(("http://", "https://")):
            raise AssistantError("translator=openai needs translator_url, e.g. http://localhost:8000/v1")
        self.url = url.rstrip("/") + "/chat/completions"
        self.model = model or "default"
        self.key = key

    def translate(self, text: str) -> str:
        # Imported here: urllib.request brings http.client, email and ssl (about 5 ms), and every
        # question imports this module (answering/compose.py reads MACHINE_MARK) — issue 20's shell ask.
        import urllib.request

        body = json.dumps(
            {
                "model": self.model,
                "temperature": 0,
                "messages": [{"role": "system", "content": self.PROMPT}, {"role": "user", "content": text}],
            }
        ).encode()
        req = urllib.request.Request(
            self.url,
            body,
            {
                "Content-Type": "application/json",
                **({"Authorization": f"Bearer {self.key}"} if self.key else {}),
            },
        )
        try:
            with urllib.request.urlopen(req, timeout=REQUEST_TIMEOUT_S) as resp:
                reply = json.load(resp)
            return str(reply["choices"][0]["message"]["content"]).strip()
        except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
            raise AssistantError(f"translator {self.url}: {exc}") from None


def make_translator(kind: str, url: str = "", model: str = "") -> Translator | None:
    """The translator a setting names; None for "none"."""
    if kind == "none":
        return None
    if kind == "argos":
        return ArgosTranslator()
    if kind == "openai":
        return OpenAICompatibleTranslator(url, model, os.environ.get(KEY_VARIABLE, ""))
    raise AssistantError(f"translator must be one of {', '.join(TRANSLATORS)}, not {kind[:40]!r}")


def machine_translation(doc: Document, translator: Translator) -> str:
    """The text of `doc`'s English file: front matter marking it machine-made, then the original's
    lines, each sentence translated on its own and one per sentence (translation.py's alignment)."""
    lines = []
    for line in doc.text.split("\n"):
        english = [
            _one_line(translator.translate(line[a:b].strip()))
            for a, b in split_sentences(line)
            if line[a:b].strip()
        ]
        lines.append(" ".join(english))
    title = _one_line(translator.translate(doc.title)) if doc.title else ""
    front = {"title": title, "translated_by": f"{MACHINE_MARK} ({translator.name})"}
    return (
        "---\n"
        + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in front.items())
        + "---\n"
        + "\n".join(lines)
        + "\n"
    )


def _one_line(text: str) -> str:
    """A translation on one line, ending like a sentence (the alignment counts sentences by their ends)."""
    text = " ".join(text.split())
    return text if not text or text[-1] in ".?!;" else text + "."


def translate_missing(
    documents: list[Document], translator: Translator, log: Callable[[str], None] = print
) -> int:
    """Write `NAME.en.txt` for each .txt/.md article that has no translation; how many were written.
    Written whole to a temporary name and then moved, so a stopped build leaves no half file."""
    from .translation import translation_file  # the build path only: a question need not import it

    written = 0
    for doc in documents:
        path = Path(doc.path)
        if path.suffix.lower() not in (".txt", ".md") or translation_file(path) is not None:
            continue
        target = path.with_name(path.stem + ".en" + path.suffix)
        try:
            text = machine_translation(doc, translator)
        except AssistantError as exc:
            log(f"warning: {doc.path} not translated: {exc}")
            continue
        tmp = target.with_name(target.name + ".part")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
        written += 1
        log(f"machine-translated {path.name} → {target.name}")
    return written
