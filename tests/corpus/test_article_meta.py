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


def test_labelled_header_lines_are_the_articles_metadata_not_its_text(tmp_path):
    from assistant.corpus.ingest import ingest_corpus

    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "deal.txt").write_text(
        "标题: 启衡拟收购微澜\n来源：财联社\n作者: 周以宁\n日期: 2026年3月16日\n\n"
        "财联社3月16日讯，启衡半导体今日晚间披露重大资产重组方案。\n",
        encoding="utf-8",
    )
    (doc,) = ingest_corpus(tmp_path).documents
    assert (doc.title, doc.source, doc.author, doc.published) == (
        "启衡拟收购微澜",
        "财联社",
        "周以宁",
        "2026-03-16",
    )
    assert [p.text for p in doc.paragraphs if p.kind == "body"] == [
        "财联社3月16日讯，启衡半导体今日晚间披露重大资产重组方案。"
    ]
    assert doc.text.index("财联社3月16日讯") == len(
        "标题: 启衡拟收购微澜\n来源：财联社\n作者: 周以宁\n日期: 2026年3月16日\n\n"
    )


def test_one_labelled_line_alone_is_text():
    from assistant.corpus.article_meta import header_block

    assert header_block("作者：周以宁\n正文第一段。\n") == ({}, 0)
    assert header_block("正文第一段。\n标题: 不是开头\n来源: 也不是\n") == ({}, 0)


def test_a_dateline_under_the_headline_gives_the_source_and_the_date():
    from assistant.corpus.article_meta import meta_from_lines

    assert meta_from_lines("晶拓股份斩获大单\n第一财经 2026-05-12\n\n正文。") == {
        "published": "2026-05-12",
        "source": "第一财经",
    }
    assert meta_from_lines("标题\n21世纪经济报道 | 2026年5月12日\n正文")["published"] == "2026-05-12"
    assert meta_from_lines("标题\n正文说2026-05-12那天发生了许多事情，公司表示将继续推进。") == {}
