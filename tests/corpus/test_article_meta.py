"""An article's metadata from its sidecar, front matter or lines (corpus/article_meta.py)."""

from assistant.corpus.ingest import ingest_corpus
from tests.conftest import ARTICLE_ID, CORPUS


def _article():
    return next(d for d in ingest_corpus(CORPUS).documents if d.doc_id == ARTICLE_ID)


def test_builtin_article_metadata_comes_from_its_sidecar():
    doc = _article()
    assert doc.title == "一篇文章告诉你:国产 GPU 背后的技术和商业路线异同"
    assert (doc.source, doc.author, doc.published, doc.language) == (
        "硅星人",
        "董道力",
        "2025-11-04 12:15:33",
        "zh",
    )
