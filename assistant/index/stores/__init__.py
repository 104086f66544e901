"""The search stores: where retrieval's dense and BM25 searches run (base.py says which and why)."""
