"""/api/v1/stats: figures counted from the records, scoped to the caller."""

from ninja import Field, Query, Router, Schema

from banshi.appeals.errors import ActionError, InvalidInput, NotPermitted
from banshi.campaign.permissions import may_see_campaign
from banshi.campaign.stats import campaign_figures
from banshi.collection.permissions import may_see_collection
from banshi.collection.stats import CHANNEL_KEYS, collection_figures, stats_unit
from banshi.reports.metrics import handling_figures
from banshi.reports.permissions import may_see_reports

from . import schemas as s
from .auth import bearer

router = Router(tags=["stats"])


class UnitNotFound(ActionError):
    """A `unit` filter naming no unit, or one outside the caller's scope: 404 alike, with the
    field named as other API errors do."""

    status = 404


class PeriodQuery(s.Input):
    start: s.Day = Field(description="统计期起(含)，YYYY-MM-DD")
    end: s.Day = Field(description="统计期止(含)，YYYY-MM-DD，不早于 start")
    unit: s.Code | None = Field(None, description="只统计该单位及其下级单位；须在调用者可见范围内")


def period_unit(user, filters: PeriodQuery):
    """The unit a statistics call narrows to (None: the caller's whole scope), after checking
    the period; an unknown or out-of-scope unit is a 404 alike."""
    if filters.end < filters.start:
        raise InvalidInput("统计期止不能早于统计期起", "end")
    if not filters.unit:
        return None
    unit = stats_unit(user, filters.unit)
    if unit is None:
        raise UnitNotFound(f"单位“{filters.unit}”不存在", "unit")
    return unit


class CollectionStatsOut(Schema):
    symposiums: int = Field(description="期内召开的座谈会(场)")
    symposium_participants: int = Field(description="期内座谈会参会人数合计(人次)")
    surveys_distributed: int = Field(description="期内发放问卷份数合计(份)")
    surveys_returned: int = Field(description="期内收回的答卷(份)")
    survey_return_rate: float | None = Field(
        description="回收率 = 收回 ÷ 发放，小数(0.9123 即 91.23%)，保留 4 位；期内未发放时为 null")
    opinion_boxes: int = Field(description="截至期末已设置且未撤除的意见箱和征求意见台(个)")
    opinion_box_slips: int = Field(description="期内开箱所得意见条数合计(条)")
    household_visits: int = Field(description="期内入户走访(户次)")
    household_visit_person_times: int = Field(description="期内走访群众(人次)")
    liaisons: int = Field(description="截至期末在岗的联络员(人)")
    liaison_households: int = Field(description="截至期末这些联络员的结对户(户)")
    appeals_collected: int = Field(description="期内收到的诉求(件)，调用者可见范围内")
    appeals_by_channel: dict[str, int] = Field(
        description="按渠道的诉求件数，键：" + "、".join(CHANNEL_KEYS) + "(每个渠道都列出)")


@router.get("/collection", response={200: CollectionStatsOut, 400: s.Error, 401: s.Error,
                                     403: s.Error, 404: s.Error, 422: s.Error},
            auth=bearer, summary="征集工作统计：座谈会、问卷、意见箱、走访、联络员和诉求，按期间计")
def collection(request, filters: Query[PeriodQuery]):
    """Counted from the records at the call (README "Collection statistics" defines each
    figure); scoped like the ledger: district roles all, unit staff their unit's subtree.
    `unit` unknown or outside the caller's scope: 404 alike."""
    if not may_see_collection(request.user):
        raise NotPermitted("无权查看征集工作统计")
    return collection_figures(request.user, filters.start, filters.end,
                              period_unit(request.user, filters))


class CampaignStatsOut(Schema):
    meetings: dict[str, int] = Field(
        description="期内召开的会议(次)，按类型的中文名：动员大会、推进会、协调会、周例会、月度会议、"
                    "专题学习、其他会议(每类都列出)")
    study_activities: int = Field(description="期内学习活动(次)，含宣讲和红色基地参观")
    study_person_times: int = Field(description="期内学习活动参加人次合计")
    lectures: int = Field(description="期内宣讲(场)：专题党课、宣讲、开学第一课")
    lecture_person_times: int = Field(description="期内宣讲听众人次合计")
    venue_visits: int = Field(description="期内到红色教育基地参观学习(次)")
    venue_visit_person_times: int = Field(description="期内红色教育基地参观人次合计")
    supervision_groups: int = Field(
        description="本次活动的巡回指导组(个)，督导范围涉及调用者可见单位的")
    supervision_units: int = Field(description="巡回指导组督导范围内的单位(家)")
    supervision_units_visited: int = Field(description="其中期内已督导的单位(家)")
    supervision_coverage: float | None = Field(
        description="督导覆盖率 = 已督导 ÷ 督导范围内单位，小数，保留 4 位(1.0 即全覆盖)；"
                    "无督导单位时为 null")
    rectifications_open: int = Field(description="期内督导发现、尚在整改中的整改事项(项)")
    exemplars: int = Field(description="期内发布结果的评选中入选的先进典型(人)")
    practical_matters: int = Field(description="期内列入办实事清单的实事(项)")
    practical_matters_done: int = Field(description="其中截至期末已销号的(项)")
    tasks_overdue: int = Field(description="期内到期、已超期仍未完成的任务分解(项)")


@router.get("/campaign", response={200: CampaignStatsOut, 400: s.Error, 401: s.Error,
                                   403: s.Error, 404: s.Error, 422: s.Error},
            auth=bearer,
            summary="活动工作统计：会议、学习宣讲、红色基地、巡回督导、评选、办实事清单和任务")
def campaign(request, filters: Query[PeriodQuery]):
    """Counted from the records at the call (README "Campaign statistics" defines each
    figure); scoped like the collection figures. `unit` unknown or out of scope: 404."""
    if not may_see_campaign(request.user):
        raise NotPermitted("无权查看活动工作统计")
    return campaign_figures(request.user, filters.start, filters.end,
                            period_unit(request.user, filters))


class HandlingFigures(Schema):
    received: int = Field(description="收到：统计期内收到的诉求(件)，按收到时间计")
    dispatched: int = Field(description="派单：其中已派单的(件)")
    responded_in_time: int = Field(description="按时响应：已派单且在响应期限内接单的(件)")
    response_rate: float | None = Field(description="响应率 = 按时响应 ÷ 派单；派单为 0 时 null")
    resolved: int = Field(description="办结：已派单且现为已答复或已办结的(件)")
    resolution_rate: float | None = Field(description="办结率 = 办结 ÷ 派单；派单为 0 时 null")
    rated: int = Field(description="参评：有满意度回答的(件)，群众本人的评价优先，没有时取电话回访")
    solved: int = Field(description="问题是否解决回答为“解决”的(件)")
    partly_solved: int = Field(description="回答为“部分解决”的(件)")
    unsolved: int = Field(description="回答为“未解决”的(件)")
    solve_rate: float | None = Field(
        description="解决率 = (解决 + 部分解决) ÷ 回答了问题是否解决的件数；无回答时 null")
    satisfied: int = Field(description="满意度回答为“满意”的(件)")
    basically_satisfied: int = Field(description="回答为“基本满意”的(件)")
    unsatisfied: int = Field(description="回答为“不满意”的(件)")
    satisfaction_rate: float | None = Field(
        description="满意率 = (满意 + 基本满意) ÷ 参评；参评为 0 时 null")
    overdue: int = Field(description="超期：曾被标记超期或答复晚于办理期限的(件)")
    avg_handling_days: float | None = Field(
        description="平均办理用时：已办结诉求从派单到答复的工作日数平均值，1 位小数；无办结时 null")
    returns: int = Field(description="退单次数(次)，同一诉求退单两次计 2 次")


class UnitHandlingFigures(HandlingFigures):
    unit_code: str = Field(description="单位代码")
    unit_name: str = Field(description="单位名称")


class HandlingStatsOut(HandlingFigures):
    by_unit: list[UnitHandlingFigures] = Field(
        description="按单位：调用范围下一级的单位(全区为各街道和局委，街道为其社区)，"
                    "每行含其下级单位，没有诉求的单位也列出")


@router.get("/handling", response={200: HandlingStatsOut, 400: s.Error, 401: s.Error,
                                   403: s.Error, 404: s.Error, 422: s.Error},
            auth=bearer,
            summary="办理情况统计：派单、响应率、办结率、解决率、满意率、超期、用时和退单")
def handling(request, filters: Query[PeriodQuery]):
    """Counted from the appeals at the call (README "统计报表: 办理指标" and
    banshi.reports.metrics define each figure); rates are fractions rounded to 4 places,
    null when their denominator is 0. Scoped like the ledger; `unit` unknown or out of
    scope: 404 alike."""
    if not may_see_reports(request.user):
        raise NotPermitted("无权查看办理情况统计")
    return handling_figures(request.user, filters.start, filters.end,
                            period_unit(request.user, filters))
