"""Does a sentence hold what was asked? The answer-type checks behind "only sentences that answer".

A question that asks "when" is answered by a sentence with a date, "how much" by one with an
amount, "who" by one naming an organisation or a person. Retrieval happily finds a sentence about
the right company and the right topic that holds none of these ("燧原成立于 2018 年" for "Who founded
Enflame?"): quoting it would be a confident, cited, wrong answer. These checks look at the Chinese
original and its English rendering alike.
"""

from __future__ import annotations

from ..corpus.name_forms import entity_words
from ..language.names import ORGANISATION_KINDS, NameTable
from ..text import compiled

# Compiled at first use (text.compiled): a question checks one or two kinds.
_DATE = (
    r"(?i)\d{4}\s*年|\d{1,2}\s*月(\s*\d{1,2}\s*日)?|\d{4}-\d{1,2}|\b(19|20)\d\d\b|"
    r"\b(january|february|march|april|may|june|july|august|september|october|november|december)\b"
)
_AMOUNT = (
    r"(?i)\d[\d.,]*\s*(万亿|亿|万|千|百)?\s*(元|美元|人民币|港元)|数十亿|几十亿|数亿|上百亿|\d\s*%|"
    r"\d[\d.,]*\s*(GB|TB|MB|GHz|MHz|W|nm|TOPS|TFLOPS|PFLOPS|倍|帧)(?![A-Za-z])|"
    r"\d[\d.,]*\s*(亿|万)|\b(rmb|usd|yuan|us\$|\$)\s*\d|\d[\d.,]*\s*(billion|million|thousand)\b|"
    r"\bseveral billion\b"
)
_COUNT = (
    r"(?i)\d+\s*(家|个|款|代|张|项|大|种|条)|[一二三四五六七八九十两]+\s*(家|个|款|代|张|项|大|种|条)|"
    r"(?<!\d)\d{1,3}\s*(年|个月|周|天|个交易日|个工作日)|"  # "how long": 期限为6年 (not 2026年)
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+[a-z]"
)
# Organisations as articles name them: a suffix that only organisations carry.
_ORG = (
    r"[\u4e00-\u9fff]{1,12}(证券|证监会|证监局|银行|资本|基金|集团|公司|科技|交易所|委员会|投资|控股|创投|"
    r"律师事务所|会计师事务所|评级)|\b[A-Z][A-Za-z&.]+(?: [A-Z][A-Za-z&.]+)* "
    r"(Securities|Capital|Bank|Group|Commission|"
    r"Exchange|Holdings|Technologies|Technology|Fund)\b|\b[A-Z]{3,6}\b"
)
# Where shares list, as articles name it: an exchange or a board.
_MARKET = (
    r"(?i)交易所|[上深北港]交所|科创板|创业板|主板|北交所|港股|美股|纳斯达克|纽交所|上櫃|上市櫃|"
    r"\b(?:exchange|nasdaq|nyse|star market|main board|chinext|hkex)\b"
)
_PLACE = r"(?i)位于|总部|坐落|落户|注册地|headquartered|based in"
_PRODUCT = (
    r"[A-Za-z]{1,6}[- ]?\d{2,}[A-Za-z]*|[《“\"][^》”\"]{2,20}[》”\"]|[A-Z]{2,}[a-z]*\s?\d|"
    r"(芯片|显卡|训练卡|推理卡|加速卡|架构|平台|SDK)"
)


def holds(kind: str, text: str, names: NameTable | None = None) -> bool:
    """Whether `text` (a sentence, or a sentence with its English) holds a thing of `kind`."""
    if kind == "date":
        return bool(compiled(_DATE).search(text))
    if kind == "amount":
        return bool(compiled(_AMOUNT).search(text))
    if kind == "count":
        return bool(compiled(_COUNT).search(text)) or bool(compiled(_AMOUNT).search(text))
    if kind == "organisation":
        return bool(compiled(_ORG).search(text)) or bool(names and names.kinds_in(text) & ORGANISATION_KINDS)
    if kind == "person":
        return bool(names and "person" in names.kinds_in(text))
    if kind == "place":
        return (
            bool(compiled(_PLACE).search(text))
            or bool(names and "place" in names.kinds_in(text))
            or any(p in text for p in entity_words().places)
        )
    if kind == "market":
        return bool(compiled(_MARKET).search(text)) or bool(
            names and names.kinds_in(text) & {"board", "exchange"}
        )
    if kind == "product":
        return bool(compiled(_PRODUCT).search(text)) or bool(
            names and names.kinds_in(text) & {"product", "architecture", "game"}
        )
    return True
