"""Places and groups of people (地点/人群) that an appeal is about.

A hot problem is many residents raising one issue about one place (a compound, a road, a
school, a company…) or one group of people. This module finds those mentions in an appeal's
text and gives each a matching key, so the same place written differently meets itself:

    "A市A5区劳动东路魅力之城小区一楼的夜宵摊"  → 劳动东路 (road), 魅力之城小区 (site)
    "A2区丽发新城社区" / "丽发新城小区" / "丽发新城" → key "丽发新城"

How: the text is cut into chunks at punctuation, whitespace and administrative prefixes
("西地省", "A市", "A5区", "K9县", and any `admin_words` given); each chunk is segmented with
rjieba (plus the user dictionary) and scanned for place suffixes (小区, 新城, 苑, 路, 学院,
公司…) that end a token. A name runs left from its suffix to the chunk start, the end of a
previous place, or a lead-in word (投诉, 关于, 位于, 的…), at most `MAX_HEAD` characters.
Function words and lead-ins end a name for good; verbs, numbers and a few words that also
begin names (建设路, 丽发新城, 58车贷) end it only when what is left is a name already.
Keys drop the administrative prefix and a trailing 小区/社区 (kept for display); names whose
head is empty, generic or merely descriptive ("该小区", "道路", "配套幼儿园", "2017年小区")
are not places. Across a corpus, `aliases()` links "万科魅力之城" to "魅力之城" and
"伊景园滨河苑" to "滨河苑" when those names occur on their own, and a `Gazetteer` of names
seen at least twice finds them again in texts where the segmenter cut them apart.

Groups of people: specific ones stand alone (新能源车主, 外地务工人员, 退役军人, 人才,
教师…) and are keyed by how the group is usually written (高级技师 → 人才, 退伍军人 →
退役军人: `GROUP_FORMS`); generic ones (学生, 职工, 业主…) count only right after a place
("广铁集团职工" → 广铁集团职工). A district or county code written right after a name is part
of it ("五矿万境K9县": the board's anonymiser put codes inside development names), and a
county-level city ("A8县市") is one prefix.
"""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Self

import rjieba

from .text import normalise
from .tokens import STOPWORDS, Tokenizer

MAX_HEAD = 10  # characters of a name before its suffix

# Place suffixes by kind, longest first inside the alternation. A suffix must end a token.
SUFFIXES = {
    "site": ["小区", "社区", "花园", "公园", "公寓", "广场", "新城", "家园", "公馆", "山庄", "庄园",
             "大厦", "大楼", "楼盘", "商城", "华府", "名都", "雅苑", "苑", "园", "城", "府",
             "湾", "郡", "墅", "村"],
    "road": ["道路", "马路", "线路", "公路", "铁路", "大道", "大桥", "隧道", "高架", "立交",
             "号线", "高速", "路", "街", "巷", "桥"],
    "institution": ["幼儿园", "学校", "中学", "小学", "学院", "大学", "医院", "卫生院", "派出所"],
    "org": ["有限公司", "公司", "集团", "车贷", "银行", "酒店", "超市", "市场", "工厂",
            "物业", "厂", "站"],
    "area": ["开发区", "经开区", "高新区", "工业园", "产业园", "新区", "片区", "园区", "街道",
             "镇", "乡"],
}
KIND_OF = {suffix: kind for kind, items in SUFFIXES.items() for suffix in items}
_SUFFIX = re.compile(
    "(?:" + "|".join(sorted(KIND_OF, key=len, reverse=True)) + ")+$"
)
# Trailing words that do not change which place is meant.
_KEY_TAIL = re.compile(r"(小区|社区|项目|楼盘|[一二三四五六七八九十\d]+期)+$")
# A county-level city (县市) is one prefix: "A8县市星河湾" is 星河湾 in A8县市.
_ADMIN = re.compile(r"[a-z]\d{1,2}县市|[a-z]\d{1,2}[区县]|[a-z]\d{0,2}市|[\u4e00-\u9fff]{2}省")
# A district or county code written right after a name belongs to it: "五矿万境K9县" is a
# development, not 五矿万境 in K9县 (the board's anonymiser put codes inside names).
_GLUED_CODE = re.compile(r"[a-z]\d{1,2}[区县]")
_CHUNK = re.compile(r"[\u4e00-\u9fff0-9a-z]+")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NUMBER = re.compile(r"^[\d.]+$")
# A number of something, not a name: 2017年小区, 18班幼儿园.
_QUANTITY = re.compile(r"\d+(年|月|日|天|个|多|余|栋|户|家|层|楼|万|元|米|班|人|台|辆)")
_GOVERNMENT = re.compile(r"政府|党委|市委|区委|县委|人大|政协|纪委|党和")
# Parts of speech that end a name (conjunctions, adverbs, prepositions, pronouns, particles…)
BOUNDARY_POS = _words("""
c d p r uj ul uz ug uv y f ad tg zg e o
""")
# Parts of speech that end a name only when what follows is a name already ("预计|地铁3号线"
# but "丽发|新城", "劳动|东路", "58|车贷").
SOFT_POS = _words("""
v vd vn t m q l i
""")
PROPER_POS = _words("""
ns nr nz nt nrt nrfg eng x
""")
# Head words that describe a kind of place ("配套幼儿园", "城市道路", "自来水公司").
DESCRIPTIVE = _words("""
配套 城市 公交 主要 通行 小区 周边 附近 实验 外国语 理工 自来水 燃气 供水
供电 电力 城投 置业 物业 服务 工程 建设 开发 房地产 分 总 农贸 菜 老 新 大
小 中心 人民 第一 第二 市 区 县 省 快速 高速 城际 地铁 火车 汽车 高铁
公交车 农村 乡村 商业 住宅 安置 还建 拆迁 棚改 城中 城乡 民办 公办 私立 职业
技术 师范 医科 中医 妇幼 儿童 社区 街道 乡镇 村级 县级 市级 区级 省级 国家
人行 断头 机场 必经之 水泥 沥青 背街 小巷 两家 一家 各 家 这家 那家 商品
回迁 保障 廉租 公租 农民 北段 南段 中段 东段 西段 路段 一段 露天 临时 流动
普惠性 普惠 附属 定点 指定 私人 个人 黑心 违建 违规 非法 村里
""")

# Words that end a place name when walking left from its suffix.
LEAD_INS = _words("""
投诉 反映 举报 关于 咨询 建议 请问 请求 希望 要求 反对 坚决 强烈 呼吁 恳请
恳求 申请 询问 位于 地处 住在 家住 居住 入住 购买 购房 买 买了 卖 在 对 从
到 由 于 是 为 和 与 及 或 跟 同 向 给 让 被 把 将 的 了 我 我们 我家
本人 你们 他们 这 那 这个 那个 这里 那里 该 本 此 其 业主 居民 市民 村民
家长 学生 员工 职工 老师 附近 旁边 周边 对面 门口 里面 内 外 一楼 楼下 楼上
建 修建 新建 建设 开发 设立 设置 开设 安装 经营 施工 存在 出现 发生 影响
导致 造成 严重 污染 扰民 噪音 问题 情况 为什么 何时 什么 怎么 如何 能否 是否
可否 能 可以 已经 还 就 又 也 很 非常 不 没有 没 无 有 请 帮 帮助
解决 处理 查处 整改 管理 通知 规划 属于 包括 加快 尽快 何时 来 去 进 出 上
下 前 后 中 区域 周围 一带 一片 沿线 所在 整个 各 每个 全部 所有 部分 其他
其它 多个 个别 多家 一家 一些 等 以及 地址 地点 政府 领导 书记 市长 找 走 过 距
沿 往 至 经 靠 临 近 叫 说 问 想 要 比 离 每 另 再 把 让 给 被 而 但 且 并 因
改造 提质 整治 维修 拆迁 拆除 治理 改建 扩建 搬迁 征收 征地 绿化 亮化 硬化 提升
升级 进行 实施 推进 加强 完善 落实 取消 恢复 增加 增设 调整 优化 打造 老旧
""")
# Words that begin with a suffix character and must stay whole ("建设路|路灯", not "路|灯").
WHOLE_WORDS = _words("""
路灯 路口 路面 路段 路边 路况 路牌 路灯杆 村民 村委 村委会 城管 园林 站点 站台 桥梁 街头
街边 巷子 镇政府 厂房 市场监管
""")
# Words the segmenter keeps whole that end in a suffix character but are no place ("电线短路").
NOT_SUFFIXES = _words("""
短路 断路 电路 开园 入园 建园 逛街 上街 进城 回城 出城 进站 出站 进厂 下乡 回乡 返乡
""")
# Lead-ins that also begin many road and area names (建设路, 开发区, 发展大道).
NAME_WORDS = _words("""
建设 开发 发展 解放 管理 规划 服务
""")
# Words that say nothing about the issue itself (the rest of LEAD_INS do).
NOT_ISSUE = _words("""
投诉 反映 举报 关于 咨询 建议 请问 请求 希望 要求 坚决 强烈 呼吁 恳请 恳求
申请 询问 位于 地处 住在 家住 居住 在 对 从 到 由 于 是 为 和 与 及 或
跟 同 向 给 让 被 把 将 的 了 我 我们 我家 本人 你们 他们 这 那 这个
那个 这里 那里 该 本 此 其 为什么 何时 什么 怎么 如何 能否 是否 可否 能
可以 已经 还 都 就 又 也 很 非常 请 帮 来 去 等 以及 政府 领导 书记 市长
一下 谢谢 您好
""")
# Names that are a kind of place, not a place.
GENERIC = _words("""
小区 社区 新城 公园 广场 道路 马路 公路 铁路 学校 中学 小学 大学 学院 医院
幼儿园 家园 花园 老城 县城 农村 乡村 城市 城区 全城 商城 市场 公司 集团 银行
高速 车站 园区 新区 片区 街道 乡镇 城镇 村里 大楼 大厦 公寓 物业 超市 酒店
工厂 宿舍楼 居民楼 住宅楼 商品房 安置房 回迁房 廉租房 公租房 停车场 加油站
搅拌站 变电站 基站 垃圾站 中转站 收费站 地铁站 高铁站 火车站 汽车站 公交站
一条街 步行街 小街 大街 老街 后街 主干道 辅道 人行道 高架桥 立交桥 天桥
过街天桥 斑马线 环线 支线 专线 路线 线路 网路 思路 出路 门路 近路 岔路 十字路
水路
""")
_DEMONSTRATIVE = re.compile(
    r"^(无|没有|普惠性|普惠|公立|公办|民办|私立|配套|该|本|此|这个|那个|这|那|我们|我|你们|整个|附近|周边|周围|旁边|其他|其它|各个|各|每个|"
    r"全|多个|两个|一个|一条|这条|那条|几个|某|老旧|新建|所在|相关|所有|个别|部分|大型|小型|一些|几家|一家)+"
)
# Groups of people that are specific enough on their own: a problem may be defined by one
# of them and a subject with no place at all (人才 asking about 购房补贴 for a year).
CROWDS = _words("""
新能源车主 电动车车主 外地务工人员 外来务工人员 进城务工人员 农民工 退役军人
退伍军人 复员军人 伤残军人 转业军人 退伍兵 代课教师 民办教师 乡村教师 特岗教师 临聘教师
编外教师 合同制教师 退休教师 教师 环卫工人 出租车司机 网约车司机 快递员 外卖员 拆迁户
失地农民 独生子女 低保户 残疾人 留守儿童 随迁子女 非户籍学生 建档立卡户 贫困户 医护人员
乡村医生 村医 协警 辅警 城管协管员 规培生 实习生 应届毕业生 高校毕业生 人才 高级技师
高层次人才 高技能人才 技能人才 新引进人才 新生家长 新生 个体户 个体工商户 退休人员
灵活就业人员 失业人员 下岗职工
""")
# Ways of writing one group: the group's key is the first form's (退伍军人 → 退役军人).
GROUP_FORMS = (
    ("退役军人", "退伍军人", "复员军人", "转业军人", "退伍兵"),
    ("人才", "高级技师", "高层次人才", "高技能人才", "技能人才", "新引进人才"),
    ("外来务工人员", "外地务工人员", "进城务工人员"),
    ("个体户", "个体工商户"),
    ("高校毕业生", "应届毕业生"),
)
GROUP_KEY = {form: forms[0] for forms in GROUP_FORMS for form in forms}
# Groups that need a place before them ("广铁集团职工", "涉外经济学院学生"); 教师 also
# stands alone, but "七中教师" are that school's.
QUALIFIED_CROWDS = _words("""
学生 职工 员工 业主 居民 村民 教师 老师 家长 住户 商户 患者 车主
""")


@dataclass(frozen=True, slots=True)
class Place:
    """One mention: the name as written, its matching key, its kind and admin prefix."""

    name: str
    key: str
    kind: str
    prefix: str = ""

    @property
    def display(self) -> str:
        return display_case(self.prefix + self.name)


@dataclass(slots=True)
class Analysis:
    """What the problem detector needs from one text: places and issue words."""

    places: list[Place] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # tokens that are neither place nor admin


def display_case(text: str) -> str:
    """Administrative codes back in upper case: "a市a5区" → "A市A5区"."""
    return re.sub(r"[a-z](?=\d{0,2}[市区县])", lambda m: m.group().upper(), text)


def place_key(name: str) -> str:
    """The matching key of a place name: no admin prefix, no trailing 小区/社区/N期."""
    key = _ADMIN.sub("", name)
    stripped = _KEY_TAIL.sub("", key)
    return stripped if len(stripped) >= 2 else key


@lru_cache(maxsize=200_000)
def is_generic(name: str, kind: str, *, anchored: bool = False) -> bool:
    """True for a kind of place rather than a place: "小区", "该小区", "道路", "配套幼儿园".

    A descriptive name ("实验中学", "自来水公司") counts as a place when it is anchored,
    i.e. written right after an administrative prefix ("A市实验中学").
    """
    if kind == "crowd":
        return False
    head = _DEMONSTRATIVE.sub("", name)
    if head != name and len(head) < 4:
        return True
    if head in GENERIC or _NUMBER.match(head) or _GOVERNMENT.search(head):
        return True
    suffix = _SUFFIX.search(head)
    rest = head[: suffix.start()] if suffix else head
    if len(rest) < 2 or rest in LEAD_INS and rest not in NAME_WORDS or _QUANTITY.search(rest):
        return True
    if anchored or re.search(r"\d|[一二三四五六七八九十]+号", rest):
        return False
    if kind == "road" and rest in NAME_WORDS:  # 建设路, 解放大道
        return False
    key = place_key(head)
    return (_common_word(key) or rest in DESCRIPTIVE
            or all(t in DESCRIPTIVE for t in rjieba.cut(rest)))


@lru_cache(maxsize=200_000)
def _pos(token: str) -> str:
    """Part of speech of a token in rjieba's default dictionary ('x' when unknown)."""
    tagged = rjieba.tag(token)
    return tagged[0][1] if len(tagged) == 1 else "x"


HARD, SOFT = "hard", "soft"


@lru_cache(maxsize=200_000)
def _ends_name(token: str) -> str | None:
    """Whether a name can run left past `token`: HARD never (a lead-in, a function word),
    SOFT only when the name would otherwise be generic (丽发|新城, 楚都|职业技术学校)."""
    if token in NAME_WORDS:
        return SOFT
    if token in LEAD_INS:
        return HARD
    if len(token) == 1:  # one character: part of speech says little, 都 may be 楚都
        return SOFT if token in STOPWORDS else None
    if token in STOPWORDS or _pos(token) in BOUNDARY_POS:
        return HARD
    return SOFT if _pos(token) in SOFT_POS else None


def _common_word(key: str) -> bool:
    """A key that is one ordinary dictionary word ("安置", "住宅"), not a proper name."""
    return rjieba.has_word(key) and _pos(key) not in PROPER_POS


_SUFFIX_ENDS = frozenset(suffix[-1] for suffix in KIND_OF)
_CROWD_WORDS = CROWDS | QUALIFIED_CROWDS
_NOT_WORDS = STOPWORDS | NOT_ISSUE
_JOIN = "|"  # joins runs of text for one rjieba call; never inside a run
_SENTENCE = re.compile(r"[。！？!?；;\n]")


class PlaceExtractor:
    """Finds places and groups of people in texts; one instance per user dictionary."""

    def __init__(self, user_words: Iterable[str] = (), admin_words: Iterable[str] = ()):
        admin = sorted({w.strip().lower() for w in admin_words if w and w.strip()},
                       key=len, reverse=True)
        suffixes = [suffix for suffix in KIND_OF if len(suffix) > 1]  # 路 alone would split 路灯
        known = [w.strip().lower() for w in user_words if w and w.strip()]
        self._known = frozenset(known)  # the user's own names are places, never generic
        words = [*suffixes, *WHOLE_WORDS, *CROWDS, *known, *admin]
        self.tokenizer = Tokenizer(user_words=words)
        pattern = "|".join([*(re.escape(w) for w in admin), _ADMIN.pattern])
        self._admin = re.compile(pattern)

    def analyse(self, text: str, *, normalised: bool = False) -> Analysis:
        """Places (in order of mention, repeats kept) and the other words of `text`."""
        text = text if normalised else normalise(text)
        chunks = self._chunks(text)
        result = Analysis()
        if not chunks:
            return result
        runs: list[list[str]] = [[]]
        for token in self.tokenizer.cut(_JOIN.join(chunk for chunk, *_ in chunks)):
            if token == _JOIN:
                runs.append([])
            else:
                runs[-1].append(token)
        for tokens, (_, prefix, anchor, glued) in zip(runs, chunks, strict=True):
            self._scan(tokens, prefix, anchor, glued, result)
        return result

    def extract(self, text: str) -> list[Place]:
        """Distinct places and groups in order of first mention."""
        seen: dict[str, Place] = {}
        for place in self.analyse(text).places:
            seen.setdefault(place.key, place)
        return list(seen.values())

    def _chunks(self, text: str) -> list[tuple[str, str, str, str]]:
        """(run of text, admin prefix for display, admin prefix written right before it,
        district or county code written right after it)."""
        chunks = []
        for sentence in _SENTENCE.split(text):
            context = ""  # the latest administrative prefix in the sentence
            for chunk in _CHUNK.findall(sentence):
                position, run = 0, ""
                for match in self._admin.finditer(chunk):
                    if match.start() > position:
                        glued = match.group() if _GLUED_CODE.fullmatch(match.group()) else ""
                        chunks.append((chunk[position:match.start()], context, run, glued))
                        run = ""
                    run += match.group()
                    context = run
                    position = match.end()
                if position < len(chunk):
                    chunks.append((chunk[position:], context, run, ""))
        return chunks

    def _scan(self, tokens: list[str], prefix: str, anchor: str, glued: str,
              result: Analysis) -> None:
        """Places in the tokens of one run of text (`glued`: the code written after it)."""
        start = 0  # index of the first token a name may use
        last: Place | None = None  # the last place found in this run
        last_end = -2  # index of its last token
        words = result.words
        for index, token in enumerate(tokens):
            if token[-1] in _SUFFIX_ENDS and (found := self._place_at(tokens, start, index)):
                name, first = found
                kind = _kind(name)
                if name not in self._known and is_generic(
                        name, kind, anchored=bool(anchor) and first == 0):
                    if token not in NOT_ISSUE:
                        words.append(token)
                    start = index + 1
                    continue
                place_prefix = prefix
                if last is not None and last.kind == kind == "site" and first == last_end + 1:
                    name, place_prefix = last.name + name, last.prefix  # 伊景园 + 滨河苑
                    result.places.pop()
                last, last_end = Place(name, place_key(name), kind, place_prefix), index
                result.places.append(last)
                _drop_words(words, tokens[first:index])
                start = index + 1
            elif token in _CROWD_WORDS and (crowd := _crowd(
                    tokens, index, last if last_end == index - 1 else None, prefix)):
                result.places.append(crowd)
                start = index + 1
            elif token not in _NOT_WORDS:
                words.append(token)
        if glued and (head := _glued_head(tokens, start)) is not None:
            name = "".join(tokens[head:]) + glued
            result.places.append(Place(name, name, "site", prefix))
            _drop_words(words, tokens[head:])

    def _place_at(self, tokens: list[str], start: int, index: int) -> tuple[str, int] | None:
        """(name, first token index) of a place whose suffix ends token `index`."""
        token = tokens[index]
        if token in LEAD_INS or token in NOT_SUFFIXES or not _SUFFIX.search(token):
            return None
        nxt = tokens[index + 1] if index + 1 < len(tokens) else ""
        if len(nxt) > 1 and _SUFFIX.fullmatch(nxt):
            return None  # the name goes on: 魅力之城 + 小区
        first, length = index, len(token)
        roadlike = _kind(token) in ("road", "area")
        while first > start:
            previous = tokens[first - 1]
            end = _ends_name(previous) if roadlike or previous not in NAME_WORDS else HARD
            if end == HARD or length + len(previous) > MAX_HEAD:
                break
            if end == SOFT:  # a verb, a number, "都": stop there if we have a name already
                name = "".join(tokens[first:index + 1])
                if not is_generic(name, _kind(name)):
                    break
            first -= 1
            length += len(previous)
        if _fragment(tokens[first:index], _kind(token)):
            return None
        return "".join(tokens[first:index + 1]), first


_AUTHORITY_END = re.compile(r"[局厅委办处所院部会司队]$")


def _glued_head(tokens: list[str], start: int) -> int | None:
    """Where a name ending the run begins, when a district or county code written right
    after it is part of the name ("五矿万境|K9县"); None when the run ends in a lead-in, a
    verb or a function word ("反映|A7县"), a place ("泉塘街道|A1区") or an authority
    ("市公安局|A4区(分局)")."""
    first, length = len(tokens), 0
    while first > start:
        token = tokens[first - 1]
        if _ends_name(token) is not None or _NUMBER.match(token) or token in _CROWD_WORDS:
            break
        if length + len(token) > MAX_HEAD:
            return None
        first -= 1
        length += len(token)
    if first == len(tokens) or length < 2:
        return None
    head = "".join(tokens[first:])
    if (_SUFFIX.search(head) or _AUTHORITY_END.search(head) or _GOVERNMENT.search(head)
            or head in DESCRIPTIVE or _common_word(head)):
        return None
    return first


def _fragment(head: list[str], kind: str) -> bool:
    """A head that is a piece of a sentence, not a name: a verb and at most single
    characters ("督促|物业", "引入|个|物业", "移交|开园"; but 善化|国际小区, and roads keep
    theirs: 振兴路), or a head holding a one-character verb ("人|跳|广场(舞)")."""
    if not head:
        return False
    first = head[0]
    if (kind not in ("road", "area") and first not in NAME_WORDS and len(first) > 1
            and rjieba.has_word(first) and _pos(first) == "v"
            and all(len(token) == 1 for token in head[1:])):
        return True
    return any(len(token) == 1 and _pos(token) == "v" for token in head)


def _crowd(tokens: list[str], index: int, last: Place | None, prefix: str) -> Place | None:
    """A group of people: one qualified by the place right before it ("广铁集团职工"), or
    a specific one on its own, keyed by how the group is usually written; never the start
    of a place name (人才|市场)."""
    token = tokens[index]
    if index + 1 < len(tokens) and _SUFFIX.fullmatch(tokens[index + 1]):
        return None
    if token in QUALIFIED_CROWDS and last is not None and last.kind != "crowd":
        return Place(last.name + token, last.key + token, "crowd", last.prefix)
    if token in CROWDS:
        return Place(token, GROUP_KEY.get(token, token), "crowd", prefix)
    return None


def is_group(key: str) -> bool:
    """A group of people on its own (人才, 退役军人), not one qualified by a place."""
    return key in CROWDS


def _kind(name: str) -> str:
    match = _SUFFIX.search(name)
    assert match is not None, name  # every place name ends in a suffix
    suffix = match.group()
    for length in range(len(suffix), 0, -1):
        if suffix[-length:] in KIND_OF:
            return KIND_OF[suffix[-length:]]
    return "site"


def _drop_words(words: list[str], tokens: list[str]) -> None:
    """Remove the name's head tokens that were collected as issue words."""
    for token in reversed(tokens):
        if words and words[-1] == token:
            words.pop()


def aliases(keys: Iterable[str], *, min_length: int = 3) -> dict[str, frozenset[str]]:
    """Each key → the keys it matches: itself and known names it starts or ends with.

    "万科魅力之城" matches "魅力之城" and "伊景园滨河苑" matches "伊景园" and "滨河苑" when
    those occur as names of their own; generic words never become aliases.
    """
    known = {k for k in keys if len(k) >= min_length and k not in GENERIC}
    result: dict[str, frozenset[str]] = {}
    for key in set(keys):
        matched = {key}
        for cut in range(1, len(key) - min_length + 1):
            if key[cut:] in known:
                matched.add(key[cut:])
            if key[: len(key) - cut] in known and _SUFFIX.search(key[: len(key) - cut]):
                matched.add(key[: len(key) - cut])
        result[key] = frozenset(matched)
    return result


class Gazetteer:
    """Place names known from a corpus, found again wherever the segmenter cut them apart."""

    def __init__(self, names: Iterable[str], *, min_length: int = 3):
        self.names = frozenset(n for n in names if len(n) >= min_length and n not in GENERIC)
        self.min_length = min_length
        lengths: dict[str, set[int]] = {}
        for name in self.names:
            lengths.setdefault(name[-1], set()).add(len(name))
        self._lengths = {end: sorted(found, reverse=True) for end, found in lengths.items()}
        ends = "".join(sorted(self._lengths))
        self._ends = re.compile(f"[{re.escape(ends)}]") if ends else None

    @classmethod
    def from_mentions(cls, mentions: Iterable[Iterable[Place]], *, min_count: int = 2) -> Self:
        """Keys named in at least `min_count` texts (groups of people excluded)."""
        counts: Counter[str] = Counter()
        for places in mentions:
            counts.update({p.key for p in places if p.kind != "crowd"})
        return cls(key for key, count in counts.items() if count >= min_count)

    def find(self, text: str) -> set[str]:
        """Known names written in `text` (normalised)."""
        found: set[str] = set()
        if self._ends is None:
            return found
        names, lengths = self.names, self._lengths
        for match in self._ends.finditer(text):
            end = match.end()
            for length in lengths[match.group()]:  # the longest name ending here
                if length <= end and text[end - length:end] in names:
                    found.add(text[end - length:end])
                    break
        return found
