"""/api/v1/stats: figures counted from the records, scoped to the caller."""

from ninja import Field, Query, Router, Schema

from banshi.appeals.errors import ActionError, InvalidInput, NotPermitted
from banshi.collection.permissions import may_see_collection
from banshi.collection.stats import CHANNEL_KEYS, collection_figures, stats_unit

from . import schemas as s
from .auth import bearer

router = Router(tags=["stats"])


class UnitNotFound(ActionError):
    """A `unit` filter naming no unit, or one outside the caller's scope: 404 alike, with the
    field named as other API errors do."""

    status = 404


class CollectionQuery(s.Input):
    start: s.Day = Field(description="统计期起(含)，YYYY-MM-DD")
    end: s.Day = Field(description="统计期止(含)，YYYY-MM-DD，不早于 start")
    unit: s.Code | None = Field(None, description="只统计该单位及其下级单位；须在调用者可见范围内")


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
def collection(request, filters: Query[CollectionQuery]):
    """Counted from the records at the call (README "Collection statistics" defines each
    figure); scoped like the ledger: district roles all, unit staff their unit's subtree.
    `unit` unknown or outside the caller's scope: 404 alike."""
    user = request.user
    if not may_see_collection(user):
        raise NotPermitted("无权查看征集工作统计")
    if filters.end < filters.start:
        raise InvalidInput("统计期止不能早于统计期起", "end")
    unit = None
    if filters.unit:
        unit = stats_unit(user, filters.unit)
        if unit is None:
            raise UnitNotFound(f"单位“{filters.unit}”不存在", "unit")
    return collection_figures(user, filters.start, filters.end, unit)
