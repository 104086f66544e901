"""The dense index of a build: which FAISS index a corpus of n passages gets, making it, and its
search parameters (kept in the manifest, since FAISS files do not all keep them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from .layout import MANIFEST, IndexProblem

# Dense index by corpus size, from `python benchmarks/run.py` (README, "Performance" and "Running
# past one machine"). Exact search reads every vector (about 0.15 ms per 1,000 passages: 15 ms at
# 100k, 150 ms at 1M), so it is perfect and fast enough up to FLAT_MAX. Past it: IVF — k-means
# cells, of which a query scans the nearest `nprobe` share in compressed form, then re-scores the
# best k_factor × k with the float32 vectors — with 1-bit RaBitQ codes. A vector is then 48 bytes
# to scan instead of 384 with 8-bit codes (the previous choice: 8 % of the cells, 7.5 ms p95 at
# recall@10 0.962 at 1M), so a query scans twice the share of cells in about the same time; one bit
# per dimension misorders more neighbours, which a deeper exact re-rank (100 × k) puts back. On
# the benchmark's million-passage corpus (run.py --only dense scale) 1-bit codes scanning 16 %
# with the 100 × k re-rank reached the recall of 8-bit codes scanning twice as much, at half their
# time; 4-bit codes (SQ4, RaBitQ4) were slower than 8-bit ones, and HNSW (M=32, efConstruction=100)
# reached 0.916 at ef_search=512.
FLAT_MAX = 50_000
IVF_CELLS_PER_SQRT = 4  # cells: 4·sqrt(n)
IVF_TRAIN_PER_CELL = 40  # k-means sample: faiss wants at least 39 points a cell
IVF_CODES = "rabitq"  # "sq8" (8 bits per dimension) stays readable and buildable for comparison
IVF_NPROBE_SHARE = {"rabitq": 0.16, "sq8": 0.08}
IVF_NPROBE_MIN = 16
IVF_K_FACTOR = {"rabitq": 100, "sq8": 4}
RABITQ_QUERY_BITS = (
    8  # the query's own quantisation in RaBitQ's distance estimate (faiss's default 4 lost recall)
)
IVF_TYPES = {"rabitq": "ivf_rabitq_refine", "sq8": "ivf_sq8_refine"}
IVF_FACTORY_CODES = {"ivf_rabitq_refine": "RaBitQ", "ivf_sq8_refine": "SQ8"}
# HNSW stays readable (older indexes, and the benchmark's comparison).
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 100
HNSW_EF_SEARCH = 512


def choose_index_type(n: int) -> dict[str, Any]:
    """Index type and parameters from the corpus size (see the constants above); recorded in the manifest."""
    if n <= FLAT_MAX:
        return {"type": "flat_ip", "passages": n}
    return ivf_spec(n)


def ivf_spec(n: int, codes: str = IVF_CODES) -> dict[str, Any]:
    nlist = max(1, int(round(IVF_CELLS_PER_SQRT * np.sqrt(n))))
    nprobe = min(nlist, max(IVF_NPROBE_MIN, int(np.ceil(IVF_NPROBE_SHARE[codes] * nlist))))
    spec = {
        "type": IVF_TYPES[codes],
        "passages": n,
        "nlist": nlist,
        "nprobe": nprobe,
        "k_factor": IVF_K_FACTOR[codes],
        "train_points": min(n, IVF_TRAIN_PER_CELL * nlist),
    }
    if codes == "rabitq":
        spec["query_bits"] = RABITQ_QUERY_BITS
    return spec


def make_dense(vectors: np.ndarray, spec: dict[str, Any]):
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dim = vectors.shape[1]
    if spec["type"] in IVF_FACTORY_CODES:
        codes = IVF_FACTORY_CODES[spec["type"]]
        index = faiss.index_factory(dim, f"IVF{spec['nlist']},{codes},RFlat", faiss.METRIC_INNER_PRODUCT)
        # The same corpus gives the same sample, and faiss's k-means has a fixed seed: rebuilding
        # an unchanged corpus gives the same cells and so the same answers.
        rng = np.random.default_rng(0)
        take = min(len(vectors), int(spec.get("train_points", len(vectors))))
        index.train(vectors[np.sort(rng.choice(len(vectors), take, replace=False))])
        index.add(vectors)
        set_search_params(index, spec)
        return index
    if spec["type"] == "hnsw":
        index = faiss.IndexHNSWFlat(dim, spec["M"], faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = spec["ef_construction"]
        index.hnsw.efSearch = spec["ef_search"]
    else:
        index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(vectors)
    return index


def set_search_params(index, spec: dict[str, Any]) -> None:
    """Search parameters live in the manifest; FAISS files do not all keep them."""
    import faiss

    if not isinstance(spec, dict):
        raise IndexProblem(f"{MANIFEST}: field 'dense_index' is {spec!r}, not an object")
    try:
        if spec.get("type") == "hnsw":
            faiss.downcast_index(index).hnsw.efSearch = int(spec.get("ef_search", HNSW_EF_SEARCH))
        elif spec.get("type") in IVF_FACTORY_CODES:
            ivf = faiss.downcast_index(faiss.extract_index_ivf(index))
            ivf.nprobe = int(spec.get("nprobe", IVF_NPROBE_MIN))
            if spec.get("type") == "ivf_rabitq_refine":
                ivf.qb = int(spec.get("query_bits", RABITQ_QUERY_BITS))
            faiss.downcast_index(index).k_factor = float(spec.get("k_factor", IVF_K_FACTOR["sq8"]))
    except (AttributeError, TypeError, ValueError, RuntimeError) as exc:  # the manifest is hand-editable data
        raise IndexProblem(f"{MANIFEST}: field 'dense_index' does not fit the FAISS file ({exc})") from None


def read_dense(path: Path, spec: dict[str, Any]):
    """A FAISS file, memory-mapped when its type allows, with the manifest's search parameters set."""
    import faiss

    # Vectors and codes are memory-mapped (MMAP_IFC), not read: loading takes no time at any size
    # and the pages are shared with the OS cache instead of copied. (IO_FLAG_MMAP, faiss's older
    # way of mapping IVF cells, made every search 3.5x slower.)
    try:
        dense = faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY)
    except Exception:  # not every index type maps; read it into memory instead
        try:
            dense = faiss.read_index(str(path))
        except Exception as exc:
            raise IndexProblem(f"{path} cannot be read by FAISS ({exc})") from None
    set_search_params(dense, spec)
    return dense
