"""Stand-ins for the fast tests: a deterministic embedder and a ten-passage corpus about made-up companies.

`FakeEmbedder` hashes a text's character bigrams into a small signed vector (feature hashing), so
texts that share words get similar vectors and unrelated ones nearly orthogonal — enough for the
pipeline after the vectors (fusion, sentence choice, ranking, abstention) to behave as with the
model, in microseconds and the same on every machine.
"""

from __future__ import annotations

import hashlib
import shutil
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from assistant.text import normalize

DIM = 32


class FakeEmbedder:
    """Hash-of-character-bigrams vectors: float32, L2-normalised, `dim` wide."""

    def __init__(self, dim: int = DIM):
        self.dim = dim
        self.model_id = f"fake-bigram-hash-{dim}"
        self.embedded_count = 0
        self.queries: list[str] = []  # what was asked, for tests that check what reached the model
        common = np.random.default_rng(0).standard_normal(dim)
        self._common = (common / np.linalg.norm(common)).astype(np.float32)

    def vector(self, text: str) -> np.ndarray:
        chars = "".join(normalize(text).split())
        grams = [chars[i : i + 2] for i in range(len(chars) - 1)] or [chars]
        v = np.zeros(self.dim, dtype=np.float32)
        for g in grams:
            h = int.from_bytes(
                hashlib.blake2b(g.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little"
            )
            v[h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
        norm = float(np.linalg.norm(v))
        v = v / norm if norm else v
        # Like e5's, every vector leans one shared way: unrelated texts score about 0.5, texts that
        # share words 0.7 and more, so the engine's similarity floor works as it does with the model.
        v = v + self._common
        return (v / np.linalg.norm(v)).astype(np.float32)

    def query(self, text: str) -> np.ndarray:
        self.queries.append(text)
        return self.vector(text)

    def passages(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        out = np.array([self.vector(t) for t in texts], dtype=np.float32).reshape(len(texts), self.dim)
        self.embedded_count += len(texts)
        if progress:
            progress(len(texts))
        return out


# ---- the tiny corpus -----------------------------------------------------------------------------
# Two short articles about two made-up companies and a profile of each citing the articles' passages:
# ten passages in all (eight from the articles, two profile records). The language tables — how
# people ask (lexicon.yaml) and the English → Chinese glossary — are the built-in corpus's: they are
# about the language, not about these companies (a small glossary stands in if there is none).
BUILT_IN = Path(__file__).resolve().parent.parent / "corpus"
LANGUAGE_TABLES = ("glossary.yaml", "lexicon.yaml")
ARTICLES = {
    "xinghe": """\
        星河芯片的上市之路
        星河芯片成立于 2018 年，总部位于杭州，专注于数据中心 GPU。
        公司累计融资约 20 亿元人民币。最新一轮融资后，星河芯片的估值约为 150 亿元。
        2024 年，星河芯片的营收为 5.2 亿元，亏损 3.1 亿元。
        星河芯片计划在科创板上市，已于 2025 年 3 月提交招股书。
        """,
    "yunfan": """\
        云帆智算的推理芯片
        云帆智算成立于 2020 年，总部位于成都，聚焦 AI 推理芯片。
        2024 年，云帆智算的营收为 1.8 亿元，同比增长 60%。
        云帆智算的估值约为 80 亿元，股东包括多家地方产业基金。
        """,
}
META = {
    "xinghe": {
        "title": "星河芯片的上市之路",
        "source": "测试日报",
        "author": "甲",
        "published": "2025-05-01",
    },
    "yunfan": {
        "title": "云帆智算的推理芯片",
        "source": "测试周刊",
        "author": "乙",
        "published": "2025-06-01",
    },
}
PROFILES = {
    "xinghe": """\
        id: xinghe
        name_zh: 星河芯片
        name_en: Xinghe Chips
        full_names: [星河芯片科技]
        aliases: [XHC, 星河一号]
        sources: [xinghe]
        facts:
          - {field: founded, zh: "星河芯片成立于 2018 年", en: "Xinghe Chips was founded in 2018", value: 2018, source: "xinghe#p1"}
          - {field: headquarters, zh: "总部位于杭州", en: "headquartered in Hangzhou", source: "xinghe#p1"}
          - {field: valuation, zh: "星河芯片的估值约为 150 亿元", en: "valued at about 15 billion yuan", value: 150, source: "xinghe#p2"}
          - {field: revenue, zh: "2024 年，星河芯片的营收为 5.2 亿元", en: "revenue of 520 million yuan in 2024", value: 5.2, year: 2024, source: "xinghe#p3"}
          - {field: listing, zh: "已于 2025 年 3 月提交招股书", en: "filed its prospectus in March 2025", value: "2025-03", source: "xinghe#p4"}
        """,
    "yunfan": """\
        id: yunfan
        name_zh: 云帆智算
        name_en: Yunfan Compute
        aliases: [YFC]
        sources: [yunfan]
        facts:
          - {field: founded, zh: "云帆智算成立于 2020 年", en: "Yunfan Compute was founded in 2020", value: 2020, source: "yunfan#p1"}
          - {field: headquarters, zh: "总部位于成都", en: "headquartered in Chengdu", source: "yunfan#p1"}
          - {field: revenue, zh: "2024 年，云帆智算的营收为 1.8 亿元", en: "revenue of 180 million yuan in 2024", value: 1.8, year: 2024, source: "yunfan#p2"}
          - {field: valuation, zh: "云帆智算的估值约为 80 亿元", en: "valued at about 8 billion yuan", value: 80, source: "yunfan#p3"}
        """,
}
GLOSSARY = """\
    terms:
      - {en: [valuation, valued, worth], zh: [估值]}
      - {en: [founded, established], zh: [成立]}
      - {en: [revenue, sales], zh: [营收]}
      - {en: [headquartered, headquarters], zh: [总部]}
    """


def write_tiny_corpus(root: Path) -> Path:
    """Write the tiny corpus into `root` (created) and return it."""
    (root / "articles").mkdir(parents=True, exist_ok=True)
    (root / "companies").mkdir(exist_ok=True)
    for doc, text in ARTICLES.items():
        (root / "articles" / f"{doc}.txt").write_text(textwrap.dedent(text), encoding="utf-8")
        meta = "".join(f'{k}: "{v}"\n' for k, v in META[doc].items())
        (root / "articles" / f"{doc}.meta.yaml").write_text(meta + "language: zh\n", encoding="utf-8")
    for cid, text in PROFILES.items():
        (root / "companies" / f"{cid}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    (root / "glossary.yaml").write_text(textwrap.dedent(GLOSSARY), encoding="utf-8")
    for name in LANGUAGE_TABLES:
        if (BUILT_IN / name).is_file():
            shutil.copyfile(BUILT_IN / name, root / name)
    return root


# An article of the kind users add each week: nobody wrote a profile, a translation or a name-table
# entry for anything in it (the uncurated_bot fixture adds it to the tiny corpus).
UNCURATED = """\
    澜芯微电子完成科创板上市
    3月18日，国产GPU企业澜芯微电子（688901.SH）正式在上交所科创板挂牌上市。
    澜芯微电子此次发行价为42.50元/股，开盘价报96.00元/股。截至收盘，澜芯微电子报88.20元/股，总市值352.8亿元。
    按发行价计算，澜芯微电子发行时总市值为170亿元，对应2025年摊薄后的市盈率为68.4倍。
    本次发行的保荐机构（主承销商）为鹤鸣证券。公司创始人兼CEO邝明哲表示，募集资金将用于下一代训练芯片研发。
    2023年、2024年、2025年，公司营收分别为3.2亿元、6.8亿元、11.5亿元。
    风险提示方面，公司尚未盈利，且前五大客户集中度较高。
    """


# A second one, about another company: a revised plan, a reason next to its figure, a change stated
# after an amount and a share of revenue (answering/claims.py, answering/overview.py).
UNCURATED_REVISED = """\
    岚途科技定增方案调整
    9月2日晚间，AI芯片企业岚途科技（688977.SH）公告称，公司对向特定对象发行股票方案作出修订，募资总额由不超过22亿元下调至不超过18亿元。
    2026年上半年，公司实现营业收入9.6亿元，同比增长35.2%；研发投入2.1亿元，同比增长18.0%，占营业收入的21.9%。
    上半年公司综合毛利率为41.2%，较上年同期提升3.4个百分点，主要得益于高端推理芯片出货占比提升。
    分业务看，推理芯片业务营收6.1亿元，占比63.5%；训练芯片业务营收3.5亿元，毛利率为28.0%。
    参数方面，岚途LT-200的FP16算力为320 TFLOPS；作为对比，同类产品AX-90的FP16算力为256 TFLOPS。
    此前，本次定增申请于2025年6月30日获上交所受理，2025年9月2日通过上交所审核。
    """


# A third, mixing a bond issue with a penalty: a count in a measure word (张), dates the article
# schedules after its own date, a rating agency's long name, roles asked about and then referred to
# as 他, fines written with thousands separators, a figure and the one it grew from in one sentence,
# a day referred to as 同日 (answering/needs.py, answering/claims.py, answering/arithmetic.py).
UNCURATED_NOTICE = """\
    鸿钧电子发行可转债并收到罚单
    4月20日晚间，创业板公司鸿钧电子（300777.SZ）公告，拟发行可转债总额6.5亿元，共计650万张，每张面值100元，债券简称“鸿钧转债”。
    经鹏睿资信评估股份有限公司评定，本次债项信用等级为AA，评级展望稳定。
    本次可转债股权登记日为4月22日，原股东优先配售日为4月23日。
    同日公司披露，因未及时披露关联交易，监管部门对鸿钧电子处以1,500万元罚款。
    对董事长罗启明处以300万元罚款；对董事会秘书郑一帆处以60万元罚款。
    此前下发的事先告知书中，监管部门曾拟对罗启明采取终身市场禁入措施。
    听证会后，监管部门最终将罗启明的禁入期限改为5年。
    杭州钧石投资合伙企业（有限合伙）（下称“钧石投资”）持有公司6.2%股份。
    一季度末公司存货为8.4亿元，较年初的6.0亿元增加2.4亿元。
    一季度公司实现营业收入5.2亿元，同比增长30.5%，归母净利润0.6亿元。
    钧石投资曾于1月12日披露减持计划，拟减持不超过1%的股份。
    3月2日晚间，公司公告了一季度经营情况。同日，钧石投资决定提前终止减持计划。
    """


# A listing plan revised later in the same article, and a product's specifications in clauses after
# semicolons, with a rival's figures stated as differences (answering/lookup.py, answering/claims.py);
# a reason next to one figure and another figure stated against last year's (answering/overview.py,
# answering/arithmetic.py).
UNCURATED_PLAN = """\
    启云算力调整上市计划
    启云算力是一家位于成都的智算服务企业，主营GPU集群租赁与推理加速卡。
    启云算力在今年1月完成融资时曾表示，公司计划于2026年下半年向港交所递交上市申请。
    不过，启云算力的上市计划已出现调整。2026年5月8日，公司董事长何立新表示，公司决定放弃赴港上市计划，转而申报深交所创业板，递交申请的时间推迟至2027年上半年。
    参数方面，启云QY-80基于自研架构，采用7nm制程，FP16算力为400 TFLOPS；配备80GB HBM3显存，显存带宽为2.4TB/s；整卡典型功耗为400W。
    与竞品QX-70相比，QY-80的显存多出16GB，功耗则低50W。
    按照公司公布的数据，QX-70的FP16算力为320 TFLOPS、显存为64GB HBM2e、典型功耗为450W。
    公司预计2026年实现营业收入8.2亿元至9.6亿元，同比增长41%至65%。
    受益于推理需求增长，启云算力一季度租赁收入同比增长80%。
    启云算力2026年资本开支计划约6亿元，较2025年的4亿元明显增加，主要用于成都智算中心建设。
    """


# A Taiwan merger report in traditional characters whose title names both companies: four-digit stock
# codes, 每股純益 after a year named once, an EGM's date before its noun, 雙方 paragraphs about both
# (corpus/entities.py, answering/claims.py, answering/arithmetic.py, index/build.py).
UNCURATED_TW = """\
    瑞升科技併購華鎧半導體 每股對價92元
    網通晶片廠瑞升科技（6612）與記憶體控制晶片廠華鎧半導體（3519）今日宣布，瑞升將以現金加換股方式取得華鎧全部股權，每股對價約92元。
    財務面，瑞升2025年合併營收210.4億元，年增12.1%，每股純益9.62元；華鎧2025年營收55.3億元，年減3.5%，每股純益2.41元。
    時程方面，雙方預計於7月21日召開股東臨時會，轉換基準日暫定為11月2日。
    瑞升董事長周啟明表示，華鎧的車用電源產品線正好補足瑞升在高壓製程的缺口。
    瑞升4月初提出的初步方案為全現金收購、每股85元，雙方協商後才改為現金加換股。
    """


# A round-up of three start-ups' rounds in table rows, an investor (an institution) named twice, a
# listed company named once, and a caveat paragraph whose second sentence opens with 此外
# (answering/near_articles.py, answering/overview.py).
UNCURATED_ROUNDUP = """\
    存储芯片一级市场升温 三家初创企业完成新一轮融资
    近期，存储控制芯片企业北辰半导体、车规存储企业岳川微电子以及存算芯片企业霁光智能相继宣布完成新一轮融资，澜芯微电子上市后市场信心有所提振。
    三家公司的最新融资情况如下：北辰半导体｜B轮｜6亿元｜投后估值30亿元；岳川微电子｜C轮｜10亿元｜投后估值52亿元；霁光智能｜A轮｜2亿元｜投后估值9亿元。
    北辰半导体本轮由松涛资本领投，资金将用于第二代主控芯片研发。
    岳川微电子获松涛资本跟投，2025年营收为4.1亿元，已实现盈利。
    霁光智能成立于2024年，目前尚无收入。
    需要指出的是，霁光智能的性能数据均为公司自测，尚未经第三方机构验证。此外，先进封装产能仍较为紧张，量产时间存在不确定性；软件工具链方面，主流框架的兼容性也有待更多客户验证。
    """


# The uncurated articles: (file name, text, title, source, date) each, written with a sidecar.
UNCURATED_ARTICLES = (
    ("lanxin", UNCURATED, "澜芯微电子完成科创板上市", "测试财经", "2026-03-18"),
    ("lantu", UNCURATED_REVISED, "岚途科技定增方案调整", "测试财经", "2026-09-03"),
    ("hongjun", UNCURATED_NOTICE, "鸿钧电子发行可转债并收到罚单", "测试财经", "2026-04-20"),
    ("qiyun", UNCURATED_PLAN, "启云算力调整上市计划", "测试财经", "2026-05-10"),
    ("roundup", UNCURATED_ROUNDUP, "存储芯片一级市场升温", "测试财经", "2026-06-02"),
    ("ruisheng", UNCURATED_TW, "瑞升科技併購華鎧半導體", "測試財經", "2026-05-12"),
)


def write_uncurated(root: Path) -> Path:
    """The tiny corpus in `root` plus the uncurated articles."""
    write_tiny_corpus(root)
    for name, text, title, source, published in UNCURATED_ARTICLES:
        (root / "articles" / f"{name}.txt").write_text(textwrap.dedent(text), encoding="utf-8")
        (root / "articles" / f"{name}.meta.yaml").write_text(
            f'title: "{title}"\nsource: "{source}"\npublished: "{published}"\nlanguage: zh\n',
            encoding="utf-8",
        )
    return root
