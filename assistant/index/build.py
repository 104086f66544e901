"""corpus/ → index: ingest, chunk, annotate with companies, embed (cached), write atomically.

Kept apart from searching (retrieval.py) so that loading an index never imports the build path.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..corpus.article_files import MAX_FILE_BYTES
from ..corpus.chunking import document_passages, passage_sentences
from ..corpus.companies import CompanyProfile
from ..corpus.company_directory import CompanyDirectory
from ..corpus.entities import ORGANISATION, Entity, as_profile, discover
from ..corpus.files import file_problem, real_root
from ..corpus.ingest import ingest_corpus
from ..corpus.translation import (
    Translation,
    TranslationResult,
    read_translation,
    translate_passages,
    translation_file,
)
from ..language.gloss import cedict_glosses
from ..language.names import load_names
from ..language.tokens import ORDINARY_STEM_FREQUENCY, Tokenizer
from ..schema import Passage
from ..settings import Settings
from ..text import normalize
from .build_vectors import embed_build, embedding_text, embedding_text_en
from .embedding.model import Embedder
from .fingerprint import corpus_fingerprint
from .folders import write_index
from .layout import IndexData
from .stores.factory import store_writer

# A broken translation is reported by its first few problems: one shifted line misaligns all after it.
MAX_TRANSLATION_PROBLEMS = 5


@dataclass
class BuildReport:
    path: Path
    documents: int
    passages: int
    sentences: int
    embedded: int  # texts run through the model (the rest came from the cache)
    seconds: float
    warnings: list[str] = field(default_factory=list)


def profile_passage(profile: CompanyProfile) -> Passage:
    return Passage(
        passage_id=f"company:{profile.id}",
        doc_id=f"companies/{profile.id}",
        title=f"{profile.name_zh} ({profile.name_en})",
        section=profile.name_zh,
        text=profile.profile_text(),
        start=0,
        end=0,
        published="",
        kind="profile",
        companies=(profile.id,),
    )


def annotate_companies(passages: list[Passage], directory: CompanyDirectory) -> list[Passage]:
    """Each passage learns which companies it names or sits under (its section heading); every
    paragraph of an article whose title names one company is about that company too ("报告期内，
    公司实现营收…" under "恒擎信息2025年净利润…"), and one that names no company in an article whose
    title names several is about all of them ("时程方面，双方预计…" under "联晟…併購宏鈺…")."""
    from dataclasses import replace

    out = []
    titles: dict[str, list[str]] = {}
    for p in passages:
        ids = directory.mentions(p.text)
        names_one = bool(ids)
        for cid in directory.mentions(p.section)[:1]:
            if cid not in ids:
                ids.append(cid)
        if p.kind == "body":
            subject = titles.setdefault(p.doc_id, directory.mentions(p.title))
            if len(subject) == 1 and subject[0] not in ids:
                ids.append(subject[0])
            elif not names_one:
                ids += [cid for cid in subject if cid not in ids]
        out.append(replace(p, companies=tuple(ids)))
    return out


def build(
    settings: Settings,
    embedder: Embedder,
    profiles: list[CompanyProfile],
    tokenizer: Tokenizer,
    progress: bool | Callable[[int, int], None] = True,
    log: Callable[[str], None] = print,
    tables: dict | None = None,
) -> BuildReport:
    """`tables`: the curated tables as the load validated them (corpus/curated.py), kept in the build."""
    t0 = time.perf_counter()
    store = store_writer(settings)  # another search store: reached now, not after minutes of embedding
    if store is not None:
        store.check(log)
    ingested = ingest_corpus(settings.corpus_dir)
    for w in ingested.warnings:
        log(f"warning: {w}")
    entities = discover_entities(ingested.documents, profiles, tokenizer, settings.corpus_dir)
    directory = CompanyDirectory([*profiles, *(as_profile(e) for e in entities if e.kind == ORGANISATION)])
    passages, english = _article_passages(ingested, settings, log)
    passages = annotate_companies(passages, directory)
    _add_profiles(passages, profiles, log)
    # Profiles are searchable records, but answers quote article sentences only.
    sentences = passage_sentences([p if p.is_article else _empty(p) for p in passages])
    before = embedder.embedded_count
    if isinstance(embedder, Embedder):  # the fakes of the tests keep no cache
        embedder.start_build()
    vectors = embed_build(embedder, settings, passages, sentences, bool(english), progress, log)
    documents = _document_records(ingested.documents, english)
    manifest = _manifest(settings, embedder, ingested, profiles, entities)
    data = IndexData(
        passages=passages,
        passage_vectors=vectors.passages,
        sentences=sentences,
        sentence_vectors=vectors.sentences,
        documents=documents,
        # English words of a translation sit in the same BM25 record as the original they render
        bm25_tokens=tokenizer.many(f"{embedding_text(p)}\n{embedding_text_en(p)}" for p in passages),
        manifest=manifest,
        passage_vectors_en=vectors.passages_en,
        sentence_vectors_en=vectors.sentences_en,
        tables=tables,
    )
    path = write_index(settings.index_dir, data, store=store)
    if isinstance(embedder, Embedder):
        embedder.prune_cache()
    return BuildReport(
        path=path,
        documents=len(ingested.documents),
        passages=len(passages),
        sentences=len(sentences),
        embedded=embedder.embedded_count - before,
        seconds=time.perf_counter() - t0,
        warnings=list(ingested.warnings),
    )


def _article_passages(
    ingested, settings: Settings, log: Callable[[str], None]
) -> tuple[list[Passage], dict[str, Translation]]:
    """Every article's passages, with the English of its aligned translation when it has a usable one;
    a translation that cannot be used is a warning (said, and kept in `ingested.warnings`)."""
    passages: list[Passage] = []
    english: dict[str, Translation] = {}
    corpus_root = real_root(settings.corpus_dir)
    for doc in ingested.documents:
        doc_passages = document_passages(doc, settings.max_passage_chars, settings.overlap_sentences)
        tr_path = translation_file(Path(doc.path))
        if tr_path is not None:
            problem = file_problem(
                tr_path, corpus_root, MAX_FILE_BYTES
            )  # only files inside the corpus are read
            found = (
                TranslationResult(None, [f"{tr_path}: {problem}"])
                if problem
                else read_translation(doc, tr_path)
            )
            if found.translation is None:
                said = [f"translation {problem}" for problem in found.problems[:MAX_TRANSLATION_PROBLEMS]]
                said.append(f"translation {tr_path} not used: {doc.path} is indexed from its original only")
                for w in said:
                    log(f"warning: {w}")
                ingested.warnings.extend(said)
            else:
                doc_passages = translate_passages(doc_passages, doc, found.translation)
                english[doc.doc_id] = found.translation
        passages.extend(doc_passages)
    return passages, english


def _add_profiles(
    passages: list[Passage], profiles: list[CompanyProfile], log: Callable[[str], None]
) -> None:
    """A passage per company profile, after the articles; a fact citing a passage not in the corpus
    is a warning."""
    known = {p.passage_id for p in passages}
    for prof in profiles:
        missing = [f.source for f in prof.facts if f.source not in known]
        if missing:
            log(
                f"warning: company profile {prof.path}: facts cite passages not in the corpus: "
                f"{', '.join(missing[:3])}"
            )
        passages.append(profile_passage(prof))


def _document_records(documents, english: dict[str, Translation]) -> list[dict]:
    """documents.json: each article's record, with its translation's title, source and author when it
    has one."""
    out = []
    for d in documents:
        record = {
            k: getattr(d, k)
            for k in ("doc_id", "path", "title", "source", "author", "published", "language", "url", "sha256")
        }
        tr = english.get(d.doc_id)
        if tr is not None:
            record.update(
                title_en=tr.title,
                source_en=tr.source,
                author_en=tr.author,
                translated_by=tr.translated_by,
                translation_path=tr.path,
            )
        out.append(record)
    return out


def _manifest(
    settings: Settings, embedder: Embedder, ingested, profiles: list[CompanyProfile], entities: list[Entity]
) -> dict:
    """What the build records about itself besides its files (folders.write_index adds those)."""
    return {
        "model": settings.model,
        "model_id": embedder.model_id,
        "corpus_fingerprint": corpus_fingerprint(settings, embedder.model_id),
        "settings": settings.fingerprint_items(),
        "document_count": len(ingested.documents),
        "profile_count": len(profiles),
        "warnings": ingested.warnings,
        "entities": [e.to_json() for e in entities],  # organisations and people found in the articles
    }


def discover_entities(
    documents, profiles: list[CompanyProfile], tokenizer: Tokenizer, corpus_dir
) -> list[Entity]:
    """The organisations and people the articles name that no profile or name-table entry has."""
    directory = CompanyDirectory(profiles)
    names = load_names(corpus_dir)

    def known(name: str) -> bool:
        return bool(directory.mentions(name)) or any(
            normalize(name) == normalize(f) for n in names.in_text(name) for f in (*n.zh_forms, *n.en_forms)
        )

    texts = (para.text for doc in documents for para in doc.paragraphs if para.kind != "meta")
    glosses = cedict_glosses()

    def ordinary(stem: str) -> bool:  # 刻蚀 of 刻蚀设备: a word, where a name's stem is none
        return glosses.ordinary(stem) or tokenizer.is_common(stem, ORDINARY_STEM_FREQUENCY)

    return discover(texts, tokenizer.is_common, known, ordinary)


def _empty(p: Passage) -> Passage:
    from dataclasses import replace

    return replace(p, text="")
