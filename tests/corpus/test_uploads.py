"""The uploads folder (corpus/uploads.py): articles added from the page, written, listed, removed.

Pure file work on a temporary corpus; the re-indexing after an addition is tested on the tiny corpus
with the fake embedder (test_an_added_article_is_answered_after_reload_and_gone_after_removal)."""

from __future__ import annotations

import os
import threading

import pytest
import yaml

from assistant.corpus import uploads
from assistant.corpus.ingest import ingest_corpus
from assistant.corpus.new_articles import (
    ArticleMeta,
    UploadedFile,
    UploadError,
    article_from_file,
    article_from_text,
    pair_files,
)
from assistant.corpus.uploads import list_uploads, remove_upload, save_article
from assistant.messages import Msg
from tests.fakes import FakeEmbedder

ARTICLE = (
    "海川微电子完成新一轮融资\n\n海川微电子成立于 2019 年，总部位于苏州。\n\n公司的估值约为 60 亿元。\n"
).encode()
TRANSLATION = (
    b"HaiChuan Microelectronics closes a new round\n\nHaiChuan Microelectronics was founded in 2019 and is "
    b"based in Suzhou.\n\nThe company's valuation is about RMB 6 billion.\n"
)


def _folder(corpus):
    return corpus / "articles" / "uploads"


# ---- saving -----------------------------------------------------------------------------------------
def test_an_uploaded_file_is_saved_under_uploads_with_its_metadata_sidecar(corpus):
    meta = ArticleMeta(title="海川微电子完成新一轮融资", source="测试日报", published="2025-12-01")
    saved = save_article(corpus, article_from_file(UploadedFile("haichuan.txt", ARTICLE), meta))
    assert saved.article == _folder(corpus) / "haichuan.txt" and saved.article.read_bytes() == ARTICLE
    assert yaml.safe_load(saved.meta.read_text(encoding="utf-8")) == {
        "title": "海川微电子完成新一轮融资",
        "source": "测试日报",
        "published": "2025-12-01",
    }
    assert saved.doc_id == "uploads/haichuan"
    assert sorted(os.listdir(_folder(corpus))) == ["haichuan.meta.yaml", "haichuan.txt"]  # no temporary left


def test_the_build_reads_an_uploaded_article_with_its_metadata(corpus):
    meta = ArticleMeta(title="海川微电子完成新一轮融资", source="测试日报", published="2025-12-01")
    save_article(corpus, article_from_file(UploadedFile("haichuan.txt", ARTICLE), meta))
    [doc] = ingest_corpus(corpus).documents
    assert (doc.doc_id, doc.title, doc.source, doc.published) == (
        "uploads/haichuan",
        "海川微电子完成新一轮融资",
        "测试日报",
        "2025-12-01",
    )


def test_a_translation_is_saved_beside_its_article_as_name_en(corpus):
    article, translation = pair_files([UploadedFile("x.en.txt", TRANSLATION), UploadedFile("x.txt", ARTICLE)])
    saved = save_article(corpus, article_from_file(article, ArticleMeta(), translation))
    assert saved.translation == _folder(corpus) / "x.en.txt" and saved.translation.read_bytes() == TRANSLATION


def test_pasted_text_is_saved_as_a_txt_article_named_after_its_title(corpus):
    saved = save_article(corpus, article_from_text(ARTICLE.decode(), ArticleMeta(title="海川 融资")))
    assert saved.article.name == "海川-融资.txt"


def test_pasted_text_without_a_title_is_named_after_its_first_line(corpus):
    saved = save_article(corpus, article_from_text("\n  First line here\nSecond line.", ArticleMeta()))
    assert saved.article.name == "First-line-here.txt"


def test_a_name_that_is_taken_gets_a_number(corpus):
    names = [
        save_article(corpus, article_from_file(UploadedFile("same.txt", ARTICLE), ArticleMeta())).name
        for _ in range(3)
    ]
    assert names == ["same", "same-2", "same-3"]


def test_an_article_of_another_type_takes_the_name_too(corpus):
    save_article(corpus, article_from_file(UploadedFile("same.md", ARTICLE), ArticleMeta()))
    assert (
        save_article(corpus, article_from_file(UploadedFile("same.txt", ARTICLE), ArticleMeta())).name
        == "same-2"
    )


def test_additions_at_the_same_moment_never_share_a_name(corpus):
    names: list[str] = []

    def add():
        names.append(
            save_article(corpus, article_from_file(UploadedFile("race.txt", ARTICLE), ArticleMeta())).name
        )

    threads = [threading.Thread(target=add) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(names)) == 8
    assert len(ingest_corpus(corpus).documents) == 8


def test_an_uploads_folder_that_leads_outside_the_corpus_refuses_every_addition(corpus, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    os.symlink(outside, _folder(corpus))
    with pytest.raises(UploadError) as err:
        save_article(corpus, article_from_file(UploadedFile("x.txt", ARTICLE), ArticleMeta()))
    assert err.value.msg is Msg.UPLOAD_OUTSIDE and os.listdir(outside) == []


def test_the_number_of_uploaded_articles_is_capped(corpus, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOADED_ARTICLES", 2)
    for _ in range(2):
        save_article(corpus, article_from_file(UploadedFile("a.txt", ARTICLE), ArticleMeta()))
    with pytest.raises(UploadError) as err:
        save_article(corpus, article_from_file(UploadedFile("a.txt", ARTICLE), ArticleMeta()))
    assert err.value.msg is Msg.UPLOAD_FULL


# ---- listing and removing ---------------------------------------------------------------------------
def test_uploaded_articles_are_listed_with_their_title_and_translation(corpus):
    article, translation = pair_files([UploadedFile("x.txt", ARTICLE), UploadedFile("x.en.txt", TRANSLATION)])
    save_article(corpus, article_from_file(article, ArticleMeta(title="海川"), translation))
    [listed] = list_uploads(corpus)
    assert (listed.name, listed.file, listed.title, listed.translation) == ("x", "x.txt", "海川", "x.en.txt")


def test_removing_an_upload_deletes_its_article_translation_and_sidecar(corpus):
    article, translation = pair_files([UploadedFile("x.txt", ARTICLE), UploadedFile("x.en.txt", TRANSLATION)])
    save_article(corpus, article_from_file(article, ArticleMeta(title="海川"), translation))
    assert sorted(remove_upload(corpus, "x")) == ["x.en.txt", "x.meta.yaml", "x.txt"]
    assert os.listdir(_folder(corpus)) == [] and list_uploads(corpus) == []


@pytest.mark.parametrize("name", ["../x", "x/../../y", ".x", "", "x.txt", "nope"])
def test_only_an_uploaded_article_can_be_removed(corpus, name):
    (corpus / "articles" / "x.txt").write_bytes(ARTICLE)  # a built-in article beside the uploads folder
    save_article(corpus, article_from_file(UploadedFile("keep.txt", ARTICLE), ArticleMeta()))
    with pytest.raises(UploadError) as err:
        remove_upload(corpus, name)
    assert err.value.msg is Msg.UPLOAD_NOT_FOUND
    assert (corpus / "articles" / "x.txt").exists() and (_folder(corpus) / "keep.txt").exists()


def test_a_link_in_the_uploads_folder_to_a_file_outside_is_never_deleted(corpus, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("keep me", encoding="utf-8")
    save_article(corpus, article_from_file(UploadedFile("x.txt", ARTICLE), ArticleMeta()))
    os.symlink(secret, _folder(corpus) / "x.en.txt")
    removed = remove_upload(corpus, "x")
    assert "x.en.txt" not in removed and secret.read_text(encoding="utf-8") == "keep me"


# ---- re-indexing --------------------------------------------------------------------------------------
def test_an_added_article_is_answered_after_reload_and_gone_after_removal(tiny_copy, tmp_path):
    from assistant import Assistant

    bot = Assistant.load(corpus_dir=tiny_copy, index_dir=tmp_path / "index", embedder=FakeEmbedder())
    assert not bot.ask("海川微电子的估值是多少？").citations
    save_article(
        tiny_copy, article_from_file(UploadedFile("haichuan.txt", ARTICLE), ArticleMeta(title="海川融资"))
    )
    steps: list[tuple[int, int]] = []
    added = bot.reload(progress=lambda done, total: steps.append((done, total)))
    answer = added.ask("海川微电子的估值是多少？")
    assert any(c.doc_id == "uploads/haichuan" for c in answer.citations), answer.text
    assert steps and steps[-1][0] == steps[-1][1]
    assert added.embedder is bot.embedder and added.settings == bot.settings
    assert "60 亿元" in answer.text
    remove_upload(tiny_copy, "haichuan")
    assert "uploads/haichuan" not in bot.reload().index.documents
