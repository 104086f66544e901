"""Every sentence the assistant writes itself, in both languages, in one catalog.

Answers quote; the few words around the quotes — "the article does not give …", "the closest
material …", the note on a rendered value — are these templates, filled with names, labels and
dates by `say`. So are the reasons an article added from the page is refused (`UploadError` in
corpus/new_articles.py carries one). A new message is one entry here, not an f-string in an
answerer or a form handler. Top level: corpus, answering and web all read it.
"""

from __future__ import annotations

import re
from enum import Enum


class Msg(Enum):
    NOT_COVERED = ("语料库没有涉及「{names}」，无法回答。", "The corpus does not cover {names}.")
    AFTER_DATE = (
        "文章发布于 {date}，只报道到那时为止的进展；文中没有{company}在那之后的信息。",
        "The article was published on {date} and reports nothing after that date, so it cannot say "
        "this{for_company}.",
    )
    ABSENT_WORDS = (
        "文中没有提到{company}的「{words}」。",
        "The article says nothing about {words} for {company}.",
    )
    NO_ROLE = (
        "文中没有提到{company}的相关{label}。",
        "The article names no {label} in that role for {company}.",
    )
    NO_FIELD = ("文中没有提到{company}的{label}。", "The article does not give {company}'s {label}.")
    NO_KIND = ("文中没有给出{company}的这一{label}。", "The article gives no such {label} for {company}.")
    NO_YEAR = (
        "文中没有给出{company} {year} 年的{label}。",
        "The articles give no {label} of {company} for {year}.",
    )
    NO_PERIOD = (
        "文中没有给出{company}{period}的{label}。",
        "The articles give no {label} of {company} for the {period}.",
    )
    PART_NOT_ANSWERED = ("文中没有回答这一部分：「{part}」", "The articles do not answer this part: “{part}”")
    NOT_ANSWERED = ("语料库中没有能回答这个问题的内容。", "The corpus does not answer this question.")
    CLOSEST = (
        "下面是最接近的材料，仅供参考，并非答案。",
        "The closest material is listed below — it is not an answer.",
    )
    ADVICE = (
        "文章只报道事实，不提供投资建议或判断；下面是文中与{company}相关的事实。",
        "The articles report facts, not investment advice; here are the relevant facts about {company}.",
    )
    WHICH_COMPANY = (
        "请问您指的是哪家公司？语料库中的公司有：{names}。",
        "Which company do you mean? The corpus covers: {names}.",
    )
    RELATIVE_YEAR = (
        "（“{word}”按文章发布日期 {date} 计为 {year} 年）",
        "(“{word}” read as {year}, from the article's date, {date})",
    )
    YES = ("是的。", "Yes.")
    NO = ("不是。", "No.")
    HIGHER = ("{a}的{label}（{va}）高于{c}（{vc}）。", "{a}'s {label} ({va}) is higher than {c}'s ({vc}).")
    COMPARE_WITH = ("对比 {company}：{fact}[{n}]", "Compare {company}: {fact} [{n}].")
    UNTRANSLATED = ("", "In Chinese (this article has no English translation):")
    GLOSSED = ("", "(a word-by-word gloss from CC-CEDICT and the glossary; the article has no translation)")
    MACHINE = ("", "(machine translation)")
    LATEST_STATUS = ("文中报道的最新进展（{date}）：", "Where the articles leave it ({date}):")
    AS_OF = ("（据 {date} 的报道）", "(as of {date})")
    # ---- an article added from the page, refused ----
    UPLOAD_NO_CONTENT = ("请选择一个文件或粘贴文章正文。", "Choose a file or paste the article's text.")
    UPLOAD_BOTH = ("请二选一：上传文件，或粘贴正文。", "Either upload a file or paste text, not both.")
    UPLOAD_TYPE = (
        "不支持 “{name}” 的类型：文章只能是 {types} 文件。",
        "“{name}” is not a type the corpus reads: an article is a {types} file.",
    )
    UPLOAD_TRANSLATION_TYPE = (
        "译文 “{name}” 必须是 .txt 或 .md 文件（例如 NAME.en.txt）。",
        "The translation “{name}” must be a .txt or .md file (e.g. NAME.en.txt).",
    )
    UPLOAD_TOO_BIG = (
        "“{name}” 有 {size}，超过了 {limit} 的上限。",
        "“{name}” is {size}, over the {limit} limit.",
    )
    UPLOAD_EMPTY = ("“{name}” 是空的。", "“{name}” is empty.")
    UPLOAD_BINARY = (
        "“{name}” 看起来是二进制文件，不是文本。",
        "“{name}” looks like a binary file, not text.",
    )
    UPLOAD_ENCODING = (
        "“{name}” 不是 UTF-8 文本（第 {byte} 个字节）：请另存为 UTF-8 后再上传。",
        "“{name}” is not UTF-8 text (byte {byte}): save it as UTF-8 and upload it again.",
    )
    UPLOAD_FILES = (
        "一次只能添加一篇文章（可附一个 NAME.en.txt 英文译文）。",
        "Add one article at a time (with at most one NAME.en.txt English translation).",
    )
    UPLOAD_DATE = (
        "日期 “{value}” 的格式不对：请写成 2025-11-04（或 2025-11、2025）。",
        "The date “{value}” is not a date: write it as 2025-11-04 (or 2025-11, 2025).",
    )
    UPLOAD_FIELD_LONG = (
        "{field_zh}太长：最多 {limit} 个字符。",
        "The {field_en} is too long: at most {limit} characters.",
    )
    UPLOAD_FIELD_TYPE = ("{field_zh}必须是文字。", "The {field_en} must be text.")
    UPLOAD_NAME_LONG = (
        "文件名 “{name}” 太长：最多 {limit} 个字符。",
        "The file name “{name}” is too long: at most {limit} characters.",
    )
    UPLOAD_NOT_BASE64 = (
        "“{name}” 的内容不是 base64 编码（网页上传文件时使用的编码）。",
        "The content of “{name}” is not base64, the encoding the page sends files in.",
    )
    UPLOAD_FULL = (
        "已上传 {n} 篇文章，达到上限：请先删除一篇。",
        "The uploads folder holds {n} articles, the limit: remove one first.",
    )
    UPLOAD_OUTSIDE = (
        "上传目录 {folder} 指向语料库之外，已拒绝写入。",
        "The uploads folder {folder} leads outside the corpus folder: nothing was written.",
    )
    UPLOAD_NOT_FOUND = ("没有名为 “{name}” 的上传文章。", "There is no uploaded article called “{name}”.")
    UPLOAD_WRITE = ("无法写入 {folder}：{why}", "Cannot write to {folder}: {why}")
    # ---- a call of the HTTP API or an MCP tool, refused (assistant/web/api.py, api_gate.py) ----
    API_NOT_TEXT = ("{name} 必须是文字。", "{name} must be text.")
    API_NOT_LIST = ("{name} 必须是文字的列表。", "{name} must be a list of texts.")
    API_TOO_LONG = ("{name} 太长：最多 {limit} 个字符。", "{name} is too long: at most {limit} characters.")
    API_TOO_MANY = ("{name} 太多：最多 {limit} 项。", "{name} has too many items: at most {limit}.")
    API_LANGUAGE = (
        "language 只能是 zh、en 或空（“{value}”）。",
        "language must be zh, en or empty, not “{value}”.",
    )
    API_LOGIN = (
        "需要登录：请用 HTTP Basic 认证发送用户名和密码（与网页的登录相同）。",
        "A login is required: send the user name and password with HTTP Basic authentication "
        "(the page's login).",
    )
    API_BUSY = ("服务器正忙，请稍后再试。", "The server is busy: try again in a moment.")
    API_NO_PASSAGE = ("没有编号为 “{id}” 的段落。", "There is no passage “{id}”.")

    # ---- the page, of a question it does not ask ----
    NO_WORDS = (
        "这里没有可以回答的问题：请用中文或英文输入要问的内容。",
        "There is no question here to answer: type what you want to ask, in Chinese or English.",
    )

    # ---- suggested follow-ups under an answer (web/followups.py): one question per profile field ----
    FOLLOW_FOUNDED = ("{company}是哪一年成立的？", "When was {company} founded?")
    FOLLOW_HEADQUARTERS = ("{company}的总部在哪里？", "Where is {company} headquartered?")
    FOLLOW_FOCUS = ("{company}主要做什么？", "What does {company} focus on?")
    FOLLOW_PRODUCTS = ("{company}有哪些产品？", "What products does {company} make?")
    FOLLOW_FUNDRAISING = ("{company}计划募资多少？", "How much does {company} plan to raise?")
    FOLLOW_VALUATION = ("{company}的估值是多少？", "What is {company}'s valuation?")
    FOLLOW_LISTING = ("{company}的IPO进展到哪一步了？", "What is the status of {company}'s IPO?")
    FOLLOW_REVENUE = ("{company}的营收是多少？", "What is {company}'s revenue?")
    FOLLOW_LOSSES = ("{company}亏损多少？", "How much did {company} lose?")
    FOLLOW_SHAREHOLDERS = ("{company}的股东有哪些？", "Who are {company}'s shareholders?")

    def say(self, language: str, **values: object) -> str:
        """The message in `language` ("zh" or "en"), its blanks filled. In English a name that ends
        in s takes a bare apostrophe: "Moore Threads' valuation", not "Moore Threads's"."""
        zh, en = self.value
        if language == "zh":
            return zh.format(**values)
        return _S_POSSESSIVE.sub("s'", en.format(**values))


_S_POSSESSIVE = re.compile(r"(?<=[A-Za-z])s's\b")
