"""The demo's questionnaires: the district's 2021-style "我为群众办实事"征求意见问卷 handed
out by every street, 林山寨街道's own 征求意见表 by its communities, and 中原西路街道's
satisfaction survey — published at the mobilisation meeting and distributed over the
campaign period, so that together they come to the report's figures: 17,344 handed out and
15,823 returned (counted from Distribution and Response rows, never written anywhere).

Responses are created with bulk_create (about 16,000 rows in a few batches) — the demo data
is written directly, not through the H5 form, for speed; their answers are drawn from the
questions' options with plausible weights. Being a historical load of fixtures, the seeder
writes no 操作记录 (collection RecordEvent) for them. Idempotent: a questionnaire already there (by
unit and title) is left as it is.
"""

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from banshi.collection.choices import (
    DistributionMode,
    QuestionKind,
    QuestionnaireStatus,
    ResponseSource,
)
from banshi.collection.models import Distribution, Question, Questionnaire, Response
from banshi.org.models import Unit

from .collection_common import CAMPAIGN_START

S, M, R, T = QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RATING, QuestionKind.TEXT


@dataclass(frozen=True)
class Plan:
    unit: str  # the owner's code
    distributors: str  # "streets", or a street's code: its communities
    title: str
    intro: str
    handed_out: int
    returned: int
    questions: tuple[tuple[str, str, bool, tuple[str, ...]], ...]  # kind, text, required, opts
    texts: tuple[str, ...]


SUGGESTIONS = (
    "小区停车位太少，晚上车辆乱停，希望规划建设停车场。",
    "老旧小区楼道灯经常不亮，请尽快维修。",
    "希望社区多组织老年人健康讲座和义诊活动。",
    "菜市场周边环境脏乱，早晚高峰占道经营严重。",
    "建议在小区附近增设公交站点，方便老人出行。",
    "小区外墙脱落有安全隐患，请相关部门排查。",
    "希望增加社区食堂，解决老人吃饭难问题。",
    "雨后路面积水严重，排水管网需要改造。",
    "希望给老旧小区加装电梯。",
    "孩子放学后无人照看，建议开办四点半课堂。",
    "公园健身器材损坏较多，请更换。",
    "夜间施工噪音扰民，请加强管理。",
)
PLANS = (
    Plan("district", "streets", "2021年“我为群众办实事”征求意见问卷",
         "为深入开展“我为群众办实事”实践活动，了解群众最关心最直接最现实的利益问题，"
         "特开展本次问卷调查。问卷不记名，感谢您的支持！", 12_000, 10_950,
         ((M, "您最希望政府优先办好哪些实事？", True,
           ("老旧小区改造", "停车难", "养老服务", "教育资源", "医疗服务", "环境卫生",
            "交通出行", "菜市场建设")),
          (S, "您对所在社区的服务是否满意？", True, ("非常满意", "满意", "基本满意", "不满意")),
          (R, "您对“我为群众办实事”活动开展情况的评价", True, ()),
          (T, "您还有哪些意见和建议？", False, ())),
         SUGGESTIONS),
    Plan("linshanzhai", "linshanzhai", "林山寨街道“我为群众办实事”征求意见表",
         "请写下您身边需要解决的问题，我们将逐条登记、限期办理、及时反馈。", 3_200, 2_980,
         ((S, "您反映的问题属于哪一类？", True,
           ("环境卫生", "物业管理", "道路交通", "公共设施", "其他")),
          (S, "您是否知道社区设有“征求意见台”？", True,
           ("知道并使用过", "知道但未使用", "不知道")),
          (T, "您的具体意见或诉求", True, ())),
         SUGGESTIONS),
    Plan("zhongyuanxilu", "zhongyuanxilu", "中原西路街道社区服务满意度调查",
         "请对社区各项服务打分(1分最低，5分最高)。", 2_144, 1_893,
         ((R, "社区办事便利程度", True, ()),
          (R, "小区环境卫生", True, ()),
          (R, "社区工作人员服务态度", True, ()),
          (S, "您通过什么途径了解社区信息？", False, ("微信群", "公告栏", "上门走访", "其他")),
          (T, "其他意见建议", False, ())),
         SUGGESTIONS[:6]),
)


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """`total` split into `parts` positive, uneven amounts."""
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def _returns(copies: list[int], returned: int) -> list[int]:
    """Returns per unit adding up exactly to `returned`, none above its copies."""
    ratio = returned / sum(copies)
    back = [min(c, int(c * ratio)) for c in copies]
    i = 0
    while sum(back) < returned:
        if back[i % len(back)] < copies[i % len(back)]:
            back[i % len(back)] += 1
        i += 1
    return back


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _answers(rng: random.Random, questions: list[Question], texts: tuple[str, ...],
             weights: dict[int, list[float]]) -> dict[str, object]:
    answers: dict[str, object] = {}
    for q in questions:
        if q.kind == S:
            answers[str(q.pk)] = rng.choices(range(len(q.options)), weights[q.pk])[0]
        elif q.kind == M:
            picked = rng.choices(range(len(q.options)), weights[q.pk], k=rng.randint(1, 3))
            answers[str(q.pk)] = sorted(set(picked))
        elif q.kind == R:
            answers[str(q.pk)] = rng.choices(range(1, q.scale + 1), weights[q.pk])[0]
        elif q.required or rng.random() < 0.3:
            answers[str(q.pk)] = rng.choice(texts)
    return answers


def _distributors(plan: Plan) -> list[Unit]:
    units = Unit.objects.filter(is_active=True)
    if plan.distributors == "streets":
        return list(units.filter(kind="street").order_by("code"))
    return list(units.filter(parent__code=plan.distributors).order_by("code"))


def _create(rng: random.Random, plan: Plan, owner: Unit, today: dt.date) -> Counter:
    units = _distributors(plan) or [owner]
    published = timezone.make_aware(dt.datetime.combine(CAMPAIGN_START, dt.time(9, 30)))
    survey = Questionnaire.objects.create(
        unit=owner, title=plan.title, intro=plan.intro, status=QuestionnaireStatus.PUBLISHED,
        published_at=published, created_at=published)
    questions = [Question.objects.create(questionnaire=survey, order=i, kind=kind, text=text,
                                         required=required, options=list(options))
                 for i, (kind, text, required, options) in enumerate(plan.questions, 1)]
    weights = {q.pk: [rng.uniform(0.3, 1.0) + (0.8 if q.kind == R and i >= 3 else 0)
                      for i in range(len(q.options) if q.kind != R else q.scale)]
               for q in questions}
    copies = _split(rng, plan.handed_out, len(units))
    counts: Counter = Counter()
    responses = []
    for unit, handed, back in zip(units, copies, _returns(copies, plan.returned), strict=True):
        batches = _split(rng, handed, min(3, handed)) if handed > 2 else [handed]
        days = sorted(_day(rng, CAMPAIGN_START, today) for _ in batches)
        for part, day in zip(batches, days, strict=True):
            online = rng.random() < 0.3
            Distribution.objects.create(
                questionnaire=survey, unit=unit, distributed_on=day,
                mode=DistributionMode.ONLINE if online else DistributionMode.PAPER, copies=part)
        for _ in range(back):  # returned after the unit first handed it out
            day = _day(rng, days[0], today)
            at = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(8, 20),
                                                                      rng.randint(0, 59))))
            source = ResponseSource.ONLINE if rng.random() < 0.3 else ResponseSource.PAPER
            responses.append(Response(questionnaire=survey, unit=unit, source=source,
                                      submitted_at=at,
                                      answers=_answers(rng, questions, plan.texts, weights)))
        counts["distributed"] += handed
        counts["returned"] += back
    Response.objects.bulk_create(responses, batch_size=2000)
    counts["questionnaires"] += 1
    return counts


def seed_surveys(rng: random.Random) -> Counter:
    """Create the demo questionnaires that are not there yet; what was created."""
    today = timezone.localdate()
    created: Counter = Counter()
    with transaction.atomic():
        for plan in PLANS:
            owner = Unit.objects.filter(code=plan.unit).first()
            if owner is None or Questionnaire.objects.filter(unit=owner,
                                                             title=plan.title).exists():
                continue
            created.update(_create(rng, plan, owner, today))
    return created
