"""corpus/ → index: ingest, chunk, annotate with companies, embed (cached), write atomically.

Kept apart from searching (retrieval.py) so that loading an index never imports the build path.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..corpus.chunking import document_passages, passage_sentences
from ..corpus.companies import CompanyDirectory, CompanyProfile, profile_files
from ..index.embedding import Embedder
from ..index.filehashes import FileHashes
from ..corpus.glossary import glossary_path
from ..index.store import FORMAT_VERSION, IndexData, write_index
from ..corpus.ingest import article_files, ingest_corpus
from ..schema import Passage
from ..settings import Settings
from ..search.tokens import Tokenizer

# Bump when the way passages, sentences or tokens are made changes: old indexes become stale.
PIPELINE_VERSION = 1


@dataclass
class BuildReport:
    path: Path
    documents: int
    passages: int
    sentences: int
    embedded: int  # texts run through the model (the rest came from the cache)
    seconds: float
    warnings: list[str] = field(default_factory=list)


def corpus_fingerprint(settings: Settings, model_id: str) -> str:
    """Hash of every source file and every setting that shapes the index."""
    h = hashlib.sha256()
    corpus = Path(settings.corpus_dir)
    # Strings, not Paths: this runs at every start over every file, and Path arithmetic was most of
    # its time for a large archive. The order is Path order (by components).
    articles = [str(p) for p in article_files(corpus)]
    sources = set(articles)
    sources.update(os.path.splitext(a)[0] + ".meta.yaml" for a in articles)
    sources.update(str(p) for p in profile_files(corpus) + [glossary_path(corpus)])
    base = str(corpus) + os.sep

    def rel(s: str) -> str:
        return s[len(base):] if s.startswith(base) else Path(s).relative_to(corpus).as_posix()

    hashes = FileHashes(Path(settings.index_dir) / "cache" / "file-hashes.json")
    for name, path in sorted(((rel(s), s) for s in sources), key=lambda x: x[0].split("/")):
        digest = hashes.digest(path, name)
        if digest is not None:
            h.update(name.encode() + b"\0")
            h.update(digest)
    hashes.save()
    items = {**settings.fingerprint_items(), "model_id": model_id, "format": FORMAT_VERSION, "pipeline": PIPELINE_VERSION}
    h.update(json.dumps(items, sort_keys=True).encode())
    return h.hexdigest()


def embedding_text(p: Passage) -> str:
    """Body passages are embedded with their section heading, which often names the company ('其营收…')."""
    if p.kind == "body" and p.section:
        return f"{p.section}\n{p.text}"
    return p.text


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
    """Each passage learns which companies it names or sits under (its section heading)."""
    from dataclasses import replace

    out = []
    for p in passages:
        ids = directory.mentions(p.text)
        for cid in directory.mentions(p.section)[:1]:
            if cid not in ids:
                ids.append(cid)
        out.append(replace(p, companies=tuple(ids)))
    return out


def build(
    settings: Settings,
    embedder: Embedder,
    profiles: list[CompanyProfile],
    tokenizer: Tokenizer,
    progress: bool = True,
    log: Callable[[str], None] = print,
) -> BuildReport:
    t0 = time.perf_counter()
    ingested = ingest_corpus(settings.corpus_dir)
    for w in ingested.warnings:
        log(f"warning: {w}")
    directory = CompanyDirectory(profiles)
    passages: list[Passage] = []
    for doc in ingested.documents:
        passages.extend(document_passages(doc, settings.max_passage_chars, settings.overlap_sentences))
    passages = annotate_companies(passages, directory)
    known = {p.passage_id for p in passages}
    for prof in profiles:
        missing = [f.source for f in prof.facts if f.source not in known]
        if missing:
            log(f"warning: company profile {prof.path}: facts cite passages not in the corpus: {', '.join(missing[:3])}")
        passages.append(profile_passage(prof))
    # Profiles are searchable records, but answers quote article sentences only.
    sentences = passage_sentences([p if p.is_article else _empty(p) for p in passages])

    texts = [embedding_text(p) for p in passages]
    sentence_texts = [
        f"{passages[s.passage_index].section}\n{s.text}" if passages[s.passage_index].kind == "body" else s.text
        for s in sentences
    ]
    before = embedder.embedded_count
    vectors = _embed(embedder, texts + sentence_texts, progress)
    passage_vectors, sentence_vectors = vectors[: len(texts)], vectors[len(texts) :]

    documents = [
        {k: getattr(d, k) for k in ("doc_id", "path", "title", "source", "author", "published", "language", "url", "sha256")}
        for d in ingested.documents
    ]
    manifest = {
        "model": settings.model,
        "model_id": embedder.model_id,
        "corpus_fingerprint": corpus_fingerprint(settings, embedder.model_id),
        "settings": settings.fingerprint_items(),
        "document_count": len(ingested.documents),
        "profile_count": len(profiles),
        "warnings": ingested.warnings,
    }
    data = IndexData(
        passages=passages,
        passage_vectors=passage_vectors,
        sentences=sentences,
        sentence_vectors=sentence_vectors,
        documents=documents,
        bm25_tokens=tokenizer.many(embedding_text(p) for p in passages),
        manifest=manifest,
    )
    path = write_index(settings.index_dir, data)
    return BuildReport(
        path=path,
        documents=len(ingested.documents),
        passages=len(passages),
        sentences=len(sentences),
        embedded=embedder.embedded_count - before,
        seconds=time.perf_counter() - t0,
        warnings=list(ingested.warnings),
    )


def _empty(p: Passage) -> Passage:
    from dataclasses import replace

    return replace(p, text="")


def _embed(embedder: Embedder, texts: list[str], progress: bool) -> np.ndarray:
    if not progress:
        return embedder.passages(texts)
    from tqdm import tqdm

    with tqdm(total=len(texts), desc="embedding", unit="text") as bar:
        return embedder.passages(texts, progress=bar.update)
