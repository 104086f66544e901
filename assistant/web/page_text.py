"""The page's interface text in both languages, and `t`, which picks one.

Every label, hint and status line the page shows that is not an answer: the templates, the app
and the example questions read them through `t`. (What the assistant itself writes is
assistant/messages.py.)
"""

from __future__ import annotations

ZH, EN = "zh", "en"

# Interface text, (Chinese, English). The page is in the language the user chose with the switch, and
# until they choose, in the language of the latest question.
TEXT: dict[str, tuple[str, str]] = {
    "title": ("国产 GPU 问答", "GPU-industry assistant"),
    "tagline": (
        "每句回答都摘自原文并标注来源 [n]；资料里没有的，直说没有。",
        "Every sentence of an answer is quoted from a source and cited [n]; "
        "when the sources do not say, neither does the assistant.",
    ),
    "corpus": (
        "资料：{docs} 篇文章（{sources}），{companies} 家公司档案。",
        "Sources: {docs} {articles} ({sources}), {companies} company {profiles}.",
    ),
    "language": ("界面语言", "Language"),
    "tab_chat": ("对话", "Chat"),
    "tab_companies": ("公司", "Companies"),
    "tab_compare": ("对比", "Compare"),
    "chat": ("对话", "Conversation"),
    "placeholder": ("用中文或英文提问，例如：{example}", "Ask in English or Chinese, e.g. {example}"),
    "ex_valuation": ("{a}的估值是多少？", "What is {a}'s valuation?"),
    "ex_raise": ("{a}计划募资多少？", "How much does {a} plan to raise?"),
    "ex_rank": ("哪家公司成立得最早？", "Which company was founded first?"),
    "ex_compare": ("{a}和{b}有什么区别？", "Compare {a} and {b}"),
    "ex_unstated": ("{a}有多少员工？", "How many employees does {a} have?"),
    "ex_founded": ("{a}是哪一年成立的？", "When was {a} founded?"),
    "ex_followup": ("它的营收是多少？", "What is its revenue?"),
    "ex_traditional": ("{a}的營收", "{a}'s revenue"),
    "ask": ("提问", "Ask"),
    "indexing_wait": (
        "正在为新添加的文章建立索引…完成后用新索引回答",
        "Indexing the added article… answering from the new index",
    ),
    "clear": ("清空对话", "Clear"),
    "examples": ("示例问题（点击即问）", "Example questions (click to ask)"),
    "chat_empty": (
        "问一个关于国产 GPU 公司的问题：募资、估值、营收、上市、产品……",
        "Ask about China's GPU makers: fundraising, valuation, revenue, listing, products…",
    ),
    "sources": ("来源", "Sources"),
    "sources_empty": (
        "提问后，这里列出回答引用的每一段原文，被引用的句子会高亮。",
        "Ask a question: every passage the answer quotes appears here, the quoted sentence highlighted.",
    ),
    "closest": ("最接近的材料（不是答案）", "Closest material (not an answer)"),
    "closest_none": ("资料中没有相关的段落。", "Nothing in the sources is close to this question."),
    "read_context": ("在原文中阅读", "Read in context"),
    "about": ("相关公司", "Companies"),
    "note": ("注意", "Note"),
    "error": ("出错了", "Something went wrong"),
    "viewer": ("原文", "Source passage"),
    "viewer_empty": (
        "点击任何来源，在这里阅读它所在的原文段落。",
        "Click any source to read it here, with the paragraphs around it.",
    ),
    "viewer_missing": ("找不到这个段落：{id}", "No passage with the id {id}"),
    "cited_passage": ("被引用的段落", "cited passage"),
    "search": ("搜索公司（中文名、英文名或别名）", "Find a company (Chinese, English or any alias)"),
    "search_placeholder": ("例如：{names}", "e.g. {names}"),
    "company_empty": (
        "选择或输入一个公司名，查看它的档案和提到它的所有段落。",
        "Choose or type a company name to see its profile and every passage that mentions it.",
    ),
    "no_company": ("没有与“{q}”匹配的公司。已知的公司：", "No company matches “{q}”. Known companies:"),
    "also_known": ("又名", "Also known as"),
    "full_names": ("全称", "Full names"),
    "profile": ("档案（每条事实都注明出处）", "Profile (every fact cited)"),
    "mentions": ("提到它的段落（{n}）", "Passages that mention it ({n})"),
    "mentions_none": ("文章中没有提到它的段落。", "No article passage mentions it."),
    "other_matches": ("其他匹配", "Other matches"),
    "compare_intro": (
        "{n} 家公司并排对比：每个单元格都摘自原文，点 ↗ 阅读出处；点公司名查看完整档案。",
        "{n} companies side by side: every cell is taken from a source passage (↗ opens it); "
        "click a name for the full profile.",
    ),
    "more": ("另有 {n} 条", "{n} more"),
    "field": ("项目", "Field"),
    "not_in_profile": ("档案中没有", "not in the profile"),
    "source_of": ("出处", "source"),
    "tab_add": ("添加资料", "Add material"),
    "original": ("原文", "original"),
    "not_answer": ("不是答案", "not an answer"),
    "cut": (
        "问题超过 {n} 个字符，只回答了前 {n} 个字符。",
        "The question was longer than {n} characters: only its first {n} were answered.",
    ),
    "count_near": ("{n} / {limit} 字", "{n} / {limit} characters"),
    "count_over": (
        "{n} / {limit} 字：只会回答前 {limit} 个字",
        "{n} / {limit}: only the first {limit} characters will be answered",
    ),
    "sources_for": ("来源 · 问题：", "Sources of:"),
    "answer_of": ("第 {k} / {m} 个回答", "answer {k} of {m}"),
    "translation_note": ("英文译文 · 原文见下", "English translation · original below"),
    "translation_by": (
        "英文译文（{who}）· 原文在每段之下",
        "English translation by {who} · the original below each paragraph",
    ),
    "add_login": (
        "本应用对外开放且未设置登录，因此不能从网页添加资料（设置 ASSISTANT_AUTH 或 --auth-file 后即可）。",
        "This app is open beyond this machine without a login, so material cannot be added from the page "
        "(set ASSISTANT_AUTH or --auth-file to allow it).",
    ),
    "add_intro": (
        "上传一篇文章（.txt、.md 或 .html，UTF-8，最大 1 MB），可附英文译文 NAME.en.txt；或直接粘贴正文。"
        "文章存入 corpus/articles/uploads/，加入索引后即可提问。",
        "Upload an article (.txt, .md or .html, UTF-8, at most 1 MB), optionally with its English "
        "translation NAME.en.txt, or paste its text. It is saved under corpus/articles/uploads/ and can be "
        "asked about as soon as it is indexed.",
    ),
    "add_file": ("文件", "File"),
    "add_file_hint": (
        "可同时选两个文件：文章和它的英文译文（NAME.en.txt，逐行对应原文）。",
        "You may pick two files at once: the article and its English translation (NAME.en.txt, line "
        "by line with the original).",
    ),
    "add_paste": ("或粘贴正文（每行一段）", "Or paste the text (a paragraph a line)"),
    "add_title": ("标题", "Title"),
    "add_source": ("来源", "Source"),
    "add_date": ("日期（2025-11-04）", "Date (2025-11-04)"),
    "add_author": ("作者", "Author"),
    "add_submit": ("添加并建立索引", "Add and index"),
    "add_too_big_js": ("“{name}” 超过 1 MB，不能上传。", "“{name}” is over 1 MB and cannot be uploaded."),
    "add_unreadable": ("无法读取所选文件。", "The chosen file could not be read."),
    "add_saving": ("保存文章…", "Saving the article…"),
    "add_indexing": ("更新索引…", "Updating the index…"),
    "add_skipped": (
        "这篇文章没有被加入索引，已删除：",
        "The article was not indexed and has been removed again:",
    ),
    "added": (
        "已添加《{title}》（{id}，{n} 段），现在就可以提问。",
        "Added “{title}” ({id}, {n} passages): ask about it now.",
    ),
    "removed": ("已删除 {name}，索引已更新。", "Removed {name}; the index is updated."),
    "uploads": ("从网页添加的文章（{n}）", "Articles added from the page ({n})"),
    "uploads_none": ("还没有从网页添加的文章。", "No article has been added from the page yet."),
    "remove": ("删除", "Remove"),
    "remove_confirm": ("确定删除？再点一次", "Sure? Click again"),
    # ---- issue 21 (15-17): what a reader does with answers ----
    "copy": ("复制（含引用）", "Copy with sources"),
    "copied": ("已复制回答及其来源（Markdown）。", "Copied the answer and its sources (Markdown)."),
    "copy_failed": ("浏览器不允许复制。", "The browser did not allow copying."),
    "fb_up": ("✓ 有用", "✓ Helpful"),
    "fb_down": ("✗ 有问题", "✗ Not right"),
    "regenerate": ("重新回答", "Regenerate"),
    "edit": ("修改问题", "Edit question"),
    "follow_ups": ("接着问：", "Ask next:"),
    "export": ("导出对话：", "Export the conversation:"),
    "export_empty": ("还没有可以导出的对话。", "There is no conversation to export yet."),
    "exported": ("已导出 {name}。", "Exported {name}."),
    "fb_saved_up": ("已记录：回答有用。谢谢！", "Recorded: helpful. Thank you!"),
    "fb_saved_down": ("已记录：回答有问题。谢谢！", "Recorded: has a problem. Thank you!"),
    "fb_comment": ("补充说明（可选）", "Add a comment (optional)"),
    "fb_send": ("发送", "Send"),
    "fb_commented": ("说明已记录。", "Comment recorded."),
    "fb_no_comment": ("没有记录说明。", "No comment was recorded."),
    "fb_no_turn": ("找不到这个回答。", "That answer is no longer in this conversation."),
    "fb_not_saved": (
        "反馈未能保存（反馈文件已满或无法写入）。",
        "The feedback could not be saved (the file is full or cannot be written).",
    ),
    # ---- the page's look and what survives a reload (issue 21) ----
    "scheme_dark": ("深色模式", "Dark mode"),
}


def t(key: str, lang: str, **fmt) -> str:
    """Interface text in the page's language (plain text: the templates escape it)."""
    zh, en = TEXT[key]
    s = en if lang == EN else zh
    return s.format(**fmt) if fmt else s
