"""Every threshold and weight of answering, in one place, with where each number came from.

Measured on ../shared/eval/dev.jsonl and dev2.jsonl together (`assistant eval`, README "Quality"),
and checked against tests/data/own_questions.jsonl, which was written apart from both. A change here
is a change to what the assistant says: re-run the three sets and the floors in tests/test_evaluation.py.
"""

from __future__ import annotations

from dataclasses import dataclass

# ---- when the corpus answers at all (lookup.py) -----------------------------------------------------
# Coverage: the known share of a question's weighted content words. Answerable questions scored
# 0.75–1.0 on both sets, unanswerable ones 0–0.62; between the two, 0.65.
MIN_COVERAGE = 0.65
# The best candidate sentence's own similarity to the question; below it nothing was really found
# (the multilingual model scores unrelated text about 0.5 to 0.6).
MIN_SENTENCE_SIMILARITY = 0.60
# How far down the ranked candidates a sentence holding the asked type may be and still answer: on
# the dev sets the right sentence was within the first 8 whenever it was retrieved at all.
TYPE_WINDOW = 8
# How much a sentence's best clause (answering/claims.py: one point per attribute word it holds, a third
# per character pair shared with the question, two for a value of the asked kind) adds to the sentence's
# score when choosing among those that hold the asked kind: sentence scores of the top 8 differ by
# 0.02–0.15, so one attribute word (0.05) decides between near ties and a value plus the attribute
# word (0.15) beats a sentence that is merely closer in wording. Set on the fresh batches of this
# session (tests/data), not on dev or dev2.
CLAIM_WEIGHT = 0.05
# Of sentences that hold what was asked, one from the newest article about it gets this much more: a
# status (listed? valuation? raised?) is what the latest report says, other things nearly equal.
NEWEST_BONUS = 0.03
# Passages a company question draws on: its passages are spread through the article (its section,
# the introduction, comparisons), so three times top_k.
COMPANY_TOP_K_FACTOR = 3
# Attributes with a word of their own in every sentence that states them (估值, 营收, 亏损, 募资 …): a
# sentence without the word is about something else ("What is Glenfly's valuation?").
CHECKED_FIELDS = (
    "valuation",
    "revenue",
    "losses",
    "profit",
    "fundraising",
    "founded",
    "headquarters",
    "shareholders",
)
# The kind of value an attribute has, where it has one kind only: "who founded X" asks a person, and the
# founding date's word (成立) is no requirement for the sentence that names the founder.
FIELD_KINDS = {"founded": "date", "headquarters": "place"}
# Lines of a look-up answer: one per part of a multi-part question, at most this many.
MAX_PARTS = 3
# Fields that describe a company rather than give a value: asked on their own with its focus or what it
# is likened to among them ("瀚博主要做哪类产品", "Who is X compared to?"), the profile's curated
# statements answer better than the one most similar sentence; three of them, since a company's focus
# is rarely one sentence.
DESCRIPTIVE_FIELDS = ("focus", "products", "analogy")
DESCRIPTION_LINES = 3


@dataclass(frozen=True)
class Weights:
    """Sentence score = dense·similarity + lexical·term overlap + passage·retrieval rank + type bonus.

    From the first engine: on dev.jsonl sentence vectors alone gave accuracy 0.952, term overlap
    alone 0.976, their mix with the answer-type bonus 1.000. The company term is now a filter
    (lookup: only sentences about the asked company may answer), not a bonus.
    """

    dense: float = 0.55
    lexical: float = 0.35
    passage: float = 0.10
    answer_type: float = 0.06


# ---- comparisons (across.py) ------------------------------------------------------------------------
# What "区别 / 路线 / different" compares when the question names no attribute.
DEFAULT_ASPECT = ("focus", "analogy")
# Sentences per company: two keep a side-by-side answer short; one company set against "the others"
# gets four, since its distinctness is the whole answer.
SENTENCES_PER_COMPANY = 2
SENTENCES_SINGLE = 4

# ---- open questions (overview.py) -------------------------------------------------------------------
# A summary's lead: the first sentence of each of the article's first two body paragraphs.
LEAD_PARAGRAPHS = 2
# ... and of a company's own article, the second sentence too when the first states no figure (an
# announcement's date and title first, its figures after).
LEAD_SENTENCES = 2
# A company's rundown: one fact per field, in this order, at most six lines.
RUNDOWN_FIELDS = ("focus", "analogy", "founded", "listing", "fundraising", "revenue", "losses", "valuation")
RUNDOWN_LINES = 6
# A company without a profile is summed up from its sentences: one that states a figure ranks this much
# higher (sentence similarities of one article lie within about 0.1 of each other).
FIGURE_BONUS = 0.05
# Risk / strength sentences quoted per kind (three: an open question wants more than one point, and
# the fresh batches' risk questions named three kinds of risk); a cue phrase adds this much per hit (up
# to three) to a sentence's similarity, so 风险在于… outranks a sentence with a stray 但.
CUE_SENTENCES = 3
# "Why …" is answered by the sentences that give a reason (lexicon cues "causes") nearest the
# question: the first states the cause; a second adds the other half ("一方面…另一方面…").
CAUSE_SENTENCES = 2
# A cue sentence that ends in a semicolon brings the points after it in its paragraph, up to this many in all.
MAX_POINTS = 4
CUE_WEIGHT = 0.15
# "This article" and open questions that name no company read the articles of the question's 20
# nearest passages (the first engine's summary used the same 20 to find its article): more only
# adds far-off articles, and walking every article cost 0.5 s a question at a million passages.
NEAR_PASSAGES = 20
# A set of companies named by how many ("the three start-ups") is of the article the question's best
# sentences come from: its share of the scores of this many best candidates (a look-up quotes from the
# first few; a dozen reaches past one article's passages on the same topic).
GROUP_SENTENCES = 12

# ---- declines (decline.py) and multi-part questions (router.py) -------------------------------------
CLOSEST_SHOWN = 3
# Companies named when asking which one is meant: a corpus of many articles names dozens.
CLARIFY_NAMES = 12
# A part of a question needs this many letters to be a question of its own.
MIN_CLAUSE_LETTERS = 4
