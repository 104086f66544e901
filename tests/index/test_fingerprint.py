"""The corpus fingerprint (index/fingerprint.py): which files beside the articles change it."""

import pytest

from assistant.index.fingerprint import corpus_fingerprint
from assistant.settings import Settings


@pytest.mark.parametrize(
    "companion, text", [(".en.txt", "One sentence."), (".meta.yaml", "title: Another title\n")]
)
def test_a_file_put_beside_an_article_changes_the_fingerprint(tiny_copy, tmp_path, companion, text):
    settings = Settings(corpus_dir=tiny_copy, index_dir=tmp_path / "index")
    before = corpus_fingerprint(settings, "fake")
    article = sorted((tiny_copy / "articles").rglob("*.txt"))[0]
    article.with_name(article.stem + companion).write_text(text, encoding="utf-8")
    assert corpus_fingerprint(settings, "fake") != before


def test_an_unrelated_file_beside_the_articles_leaves_the_fingerprint(tiny_copy, tmp_path):
    settings = Settings(corpus_dir=tiny_copy, index_dir=tmp_path / "index")
    before = corpus_fingerprint(settings, "fake")
    (tiny_copy / "articles" / "notes.csv").write_text("a,b\n", encoding="utf-8")
    assert corpus_fingerprint(settings, "fake") == before
