"""What an index is built from, as one hash: every source file and every setting that shapes it.

Apart from build.py so that a question, which checks the live index against this hash at every
start, does not import the build path (ingest, chunking, embedding workers, store writers): issue 20's
shell ask.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ..corpus.article_files import MAX_FILE_BYTES, scan_articles
from ..corpus.companies import profile_files
from ..corpus.files import real_root
from ..settings import Settings
from .filehashes import FileHashes
from .layout import FORMAT_VERSION

# Bump when the way passages, sentences or tokens are made changes: old indexes become stale.
PIPELINE_VERSION = (
    4  # 2: aligned English translations; 3: entities found in the articles; 4: Latin words whole
)
# Curated tables beside the articles that shape the index (segmenter words, name table).
CURATED_FILES = ("glossary.yaml", "names.yaml", "lexicon.yaml")


def corpus_fingerprint(settings: Settings, model_id: str) -> str:
    """Hash of every source file and every setting that shapes the index."""
    h = hashlib.sha256()
    corpus = Path(settings.corpus_dir)
    # Strings, not Paths: this runs at every start over every file, and Path arithmetic was most of
    # its time for a large archive. The order is Path order (by components).
    scan = scan_articles(corpus)
    articles = scan.paths
    vetted = frozenset(articles)  # the scan checked these: inside the corpus, regular, within the size limit
    root = real_root(corpus)
    sources = set(articles)
    sources.update(scan.companions)  # every NAME.meta.yaml and NAME.en.txt present: a superset of those used
    sources.update(str(p) for p in profile_files(corpus) + [corpus / name for name in CURATED_FILES])
    base = str(corpus) + os.sep

    def rel(s: str) -> str:
        return s[len(base) :] if s.startswith(base) else Path(s).relative_to(corpus).as_posix()

    hashes = FileHashes(Path(settings.index_dir) / "cache" / "file-hashes.json")
    for name, path in sorted(((rel(s), s) for s in sources), key=lambda x: x[0].split("/")):
        # Any other file is checked the same way before it is opened, and hashed only up to the size limit.
        digest = hashes.digest(path, name, root=None if path in vetted else root, max_bytes=MAX_FILE_BYTES)
        if digest is not None:
            h.update(name.encode("utf-8", "surrogateescape") + b"\0")  # a name may not be UTF-8
            h.update(digest)
    hashes.save()
    items = {
        **settings.fingerprint_items(),
        "model_id": model_id,
        "format": FORMAT_VERSION,
        "pipeline": PIPELINE_VERSION,
    }
    h.update(json.dumps(items, sort_keys=True).encode())
    return h.hexdigest()
