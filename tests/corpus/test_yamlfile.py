"""The one way this project reads YAML (corpus/yamlfile.py): YAML bombs refused with one line, errors
that say where."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import pytest

from assistant import Assistant
from assistant.errors import AssistantError
from tests.conftest import ROOT

# Nine names, each nine of the one before: 9^9 = 387 million strings once expanded.
LAUGHS = "\n".join(
    [f'a0: &a0 "{"lol" * 3}"']
    + [f"a{i}: &a{i} [{', '.join(f'*a{i - 1}' for _ in range(9))}]" for i in range(1, 9)]
)


# ---- 3. YAML bombs ----------------------------------------------------------------------------------
def _in_a_small_box(code: str) -> subprocess.CompletedProcess:
    """Run `code` in a child limited to 2 GB of address space and 60 s: a bomb that goes off fails
    the test instead of taking the machine down (it was killed at 4 GB after 37 s)."""
    prelude = "import resource; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_billion_laughs_in_a_profile_fact_stops_the_load_with_one_line(tiny_copy):
    profile = tiny_copy / "companies" / "xinghe.yaml"
    profile.write_text(
        LAUGHS
        + "\n"
        + profile.read_text(encoding="utf-8").replace('zh: "星河芯片成立于 2018 年"', "zh: *a8"),
        encoding="utf-8",
    )
    t0 = time.monotonic()
    run = _in_a_small_box(f"""
        from assistant.corpus.companies import load_profiles
        from assistant.errors import AssistantError
        try:
            load_profiles({str(tiny_copy)!r})
        except AssistantError as exc:
            print(exc)
        """)
    assert run.returncode == 0, run.stderr[-2000:]
    message = run.stdout.strip()
    assert "xinghe.yaml" in message and "anchors" in message and "line 1" in message and "\n" not in message
    assert time.monotonic() - t0 < 30


@pytest.mark.parametrize("where", ["sidecar title", "front matter"])
def test_a_billion_laughs_in_article_metadata_skips_the_article_with_a_warning(tiny_copy, where):
    arts = tiny_copy / "articles"
    if where == "sidecar title":
        (arts / "xinghe.meta.yaml").write_text(LAUGHS + "\ntitle: *a8\n", encoding="utf-8")
        name = "xinghe"
    else:
        (arts / "bomb.md").write_text(
            "---\n" + LAUGHS + "\ntitle: *a8\n---\n# 标题\n\n正文第一段，讲的是星河芯片。\n", encoding="utf-8"
        )
        name = "bomb"
    run = _in_a_small_box(f"""
        import json
        from assistant.corpus.ingest import ingest_corpus
        result = ingest_corpus({str(tiny_copy)!r})
        print(json.dumps({{"docs": [d.doc_id for d in result.documents], "warnings": result.warnings}}))
        """)
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout)
    assert name not in out["docs"] and "yunfan" in out["docs"]  # the rest is still read
    assert any(name in w and "anchors" in w and "not valid YAML" in w for w in out["warnings"]), out[
        "warnings"
    ]


def test_a_billion_laughs_in_the_glossary_stops_the_load_with_one_line(tiny_copy):
    (tiny_copy / "glossary.yaml").write_text(LAUGHS + "\nterms:\n  - {en: [x], zh: *a8}\n", encoding="utf-8")
    run = _in_a_small_box(f"""
        from assistant.language.glossary import load_glossary
        from assistant.errors import AssistantError
        try:
            load_glossary({str(tiny_copy)!r})
        except AssistantError as exc:
            print(exc)
        """)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "glossary.yaml" in run.stdout and "anchors" in run.stdout


def test_yaml_without_anchors_still_loads_and_other_yaml_tricks_get_one_line():
    import yaml

    from assistant.corpus.yamlfile import MAX_YAML_BYTES, load_yaml

    assert load_yaml("title: 星河\nfacts: [{a: 1}, {b: [x, y]}]\n") == {
        "title": "星河",
        "facts": [{"a": 1}, {"b": ["x", "y"]}],
    }
    for text, problem in (
        ("a: *x", "aliases"),
        ("k: " + "[" * 500 + "]" * 500, "nested"),
        ("n: " + "9" * 5000, "cannot be read"),
        ("d: 2025-13-45", "cannot be read"),
        ("t: " + "x" * (MAX_YAML_BYTES + 1), "limit"),
    ):
        with pytest.raises(yaml.YAMLError) as err:
            load_yaml(text)
        assert problem in str(err.value) and "\n" not in str(err.value)


def test_yaml_errors_say_where(corpus_copy, tmp_path):
    (corpus_copy / "companies" / "enflame.yaml").write_text(
        "id: enflame\nname_zh: 燧原\nname_en: [unclosed\n", encoding="utf-8"
    )
    with pytest.raises(AssistantError, match=r"line \d+, column \d+"):
        Assistant.load(corpus_dir=corpus_copy, index_dir=tmp_path / "index")
