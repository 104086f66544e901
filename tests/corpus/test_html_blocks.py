"""An HTML article as text blocks: in linear time, each list item's own text kept (issue 20)."""

from __future__ import annotations

import time

from assistant.corpus.html_blocks import html_blocks


def test_nested_lists_keep_each_items_own_text():
    _, blocks = html_blocks("<ul><li>item A<ul><li>sub 1</li><li>sub <b>2</b></li></ul></li></ul><p>para</p>")
    assert [b for b, _ in blocks] == ["item A", "sub 1", "sub 2", "para"]


def test_html_blocks_take_linear_time_in_nested_items():
    def seconds(n: int) -> float:
        start = time.perf_counter()
        _, blocks = html_blocks("<html><body>" + "<ul><li>x" * n + "</body></html>")
        assert len(blocks) == n
        return time.perf_counter() - start

    # the fastest of three runs each: a busy machine slows a run, never speeds one up
    small, large = min(seconds(2000) for _ in range(3)), min(seconds(16000) for _ in range(3))
    assert large < max(20 * small, 2.0)  # quadratic would be 64 times
