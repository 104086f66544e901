"""Every sentence the answering half writes itself, in both languages, in one catalog.

Answers quote; the few words around the quotes — "the article does not give …", "the closest
material …", the note on a rendered value — are these templates, filled with names, labels and
dates by `say`. A new message is one entry here, not an f-string in an answerer.
"""
from __future__ import annotations

from enum import Enum


class Msg(Enum):
    NOT_COVERED = ("语料库没有涉及「{names}」，无法回答。", "The corpus does not cover {names}.")
    AFTER_DATE = ("文章发布于 {date}，只报道到那时为止的进展；文中没有{company}在那之后的信息。",
                  "The article was published on {date} and reports nothing after that date, so it cannot say "
                  "this{for_company}.")
    ABSENT_WORDS = ("文中没有提到{company}的「{words}」。", "The article says nothing about {words} for {company}.")
    NO_ROLE = ("文中没有提到{company}的相关{label}。", "The article names no {label} in that role for {company}.")
    NO_FIELD = ("文中没有提到{company}的{label}。", "The article does not give {company}'s {label}.")
    NO_KIND = ("文中没有给出{company}的这一{label}。", "The article gives no such {label} for {company}.")
    NO_YEAR = ("文中没有给出{company} {year} 年的{label}。", "The articles give no {label} of {company} for {year}.")
    PART_NOT_ANSWERED = ("文中没有回答这一部分：「{part}」", "The articles do not answer this part: “{part}”")
    NOT_ANSWERED = ("语料库中没有能回答这个问题的内容。", "The corpus does not answer this question.")
    CLOSEST = ("下面是最接近的材料，仅供参考，并非答案。", "The closest material is listed below — it is not an answer.")
    ADVICE = ("文章只报道事实，不提供投资建议或判断；下面是文中与{company}相关的事实。",
              "The articles report facts, not investment advice; here are the relevant facts about {company}.")
    WHICH_COMPANY = ("请问您指的是哪家公司？语料库中的公司有：{names}。", "Which company do you mean? The corpus covers: {names}.")
    RELATIVE_YEAR = ("（“{word}”按文章发布日期 {date} 计为 {year} 年）", "(“{word}” read as {year}, from the article's date, {date})")
    YES = ("是的。", "Yes.")
    HIGHER = ("{a}的{label}（{va}）高于{c}（{vc}）。", "{a}'s {label} ({va}) is higher than {c}'s ({vc}).")
    COMPARE_WITH = ("对比 {company}：{fact}[{n}]", "Compare {company}: {fact} [{n}].")
    UNTRANSLATED = ("", "In Chinese (this article has no English translation):")
    RENDERED = ("", "(figures and names rendered from the Chinese; the article has no translation)")
    MACHINE = ("", "(machine translation)")
    LATEST_STATUS = ("文中报道的最新进展（{date}）：", "Where the articles leave it ({date}):")
    AS_OF = ("（据 {date} 的报道）", "(as of {date})")

    def say(self, language: str, **values: str) -> str:
        """The message in `language` ("zh" or "en"), its blanks filled."""
        zh, en = self.value
        return (zh if language == "zh" else en).format(**values)
