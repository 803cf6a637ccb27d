"""The briefing's sentence templates: each a `str.format` text naming figures (`{symposiums}`),
with a default in the report's own words. An admin edits them (BriefingTemplate rows); a text
that names a figure the sentence does not know is refused with the name, and a broken one met
at rendering (a row edited around the validation) falls back to the default with a log line.

Numbers are filled in as digits; rates as percentages with one decimal ("91.2"), "—" when there
is nothing to divide by. The report writes its collection sentence with ASCII commas
("…座谈会126场,发放调查问卷…"): the default keeps them, an office may change them here.
"""

import logging
import string
from dataclasses import dataclass

logger = logging.getLogger(__name__)

COLLECTION = ("scope", "symposiums", "symposium_participants", "surveys_distributed",
              "surveys_returned", "survey_return_rate", "opinion_boxes", "opinion_box_slips",
              "household_visits", "household_visit_person_times", "liaisons",
              "liaison_households", "appeals_collected")
CAMPAIGN = ("scope", "meetings_mobilisation", "meetings_progress", "meetings_coordination",
            "meetings_weekly", "meetings_monthly", "meetings_study", "meetings_other",
            "study_activities", "study_person_times", "lectures", "lecture_person_times",
            "venue_visits", "venue_visit_person_times", "supervision_groups",
            "supervision_units", "supervision_units_visited", "supervision_coverage",
            "rectifications_open", "exemplars", "practical_matters", "practical_matters_done",
            "tasks_overdue")
HANDLING = ("scope", "received", "dispatched", "responded_in_time", "response_rate", "resolved",
            "resolution_rate", "rated", "solved", "partly_solved", "unsolved", "solve_rate",
            "satisfied", "basically_satisfied", "unsatisfied", "satisfaction_rate", "overdue",
            "avg_handling_days", "returns")


# figures filled in as text (names, dates, percentages written "91.2" or "—"); the others
# are whole numbers
TEXT_FIGURES = {"scope", "area", "start", "end", "issued", "title", "status", "heat",
                "speaker_kind", "venue", "survey_return_rate", "supervision_coverage",
                "response_rate", "resolution_rate", "solve_rate", "satisfaction_rate",
                "avg_handling_days"}


@dataclass(frozen=True)
class Sentence:
    key: str
    label: str
    default: str
    figures: tuple[str, ...]


SENTENCES: dict[str, Sentence] = {s.key: s for s in [
    Sentence("title", "标题", "{area}“我为群众办实事”实践活动工作简报", ("area",)),
    Sentence("period", "统计期", "(统计期：{start}至{end}，{issued}印发)",
             ("start", "end", "issued")),
    Sentence("collection", "征集工作",
             "{scope}共召开群众诉求征集意见座谈会{symposiums}场,发放调查问卷"
             "{surveys_distributed}份、收回{surveys_returned}份,设置征集意见箱"
             "{opinion_boxes}个,入户走访群众{household_visit_person_times}人次,"
             "征集群众诉求{appeals_collected}条。", COLLECTION),
    Sentence("collection_more", "征集工作(补充)",
             "座谈会参会{symposium_participants}人次,问卷回收率{survey_return_rate}%;"
             "意见箱开箱收到意见{opinion_box_slips}条;入户走访{household_visits}户次;"
             "{liaisons}名联络员结对联系群众{liaison_households}户。", COLLECTION),
    Sentence("ranking_intro", "各街道征集排名",
             "各街道征集工作情况如下表(按征集群众诉求条数排序):", ("scope",)),
    Sentence("handling", "办理情况(三率)",
             "期内{scope}收到群众诉求{received}件,已派单{dispatched}件,按时响应"
             "{responded_in_time}件、响应率{response_rate}%;办结{resolved}件、办结率"
             "{resolution_rate}%;群众评价{rated}件,其中问题解决{solved}件、部分解决"
             "{partly_solved}件、未解决{unsolved}件,解决率{solve_rate}%;满意{satisfied}件、"
             "基本满意{basically_satisfied}件、不满意{unsatisfied}件,满意率"
             "{satisfaction_rate}%;超期{overdue}件,退单{returns}次,平均办理"
             "{avg_handling_days}个工作日。", HANDLING),
    Sentence("handling_ranking", "办理情况(各单位)",
             "收到诉求较多的单位办理情况如下表(按收到件数排序):", ("scope",)),
    Sentence("problems", "共性问题",
             "期内{scope}群众反映集中的共性问题{problems}个,涉及群众诉求{appeals}件,"
             "热度居前的有:", ("scope", "problems", "appeals")),
    Sentence("problem_item", "共性问题(每项)",
             "{rank}. {title}(涉及诉求{appeals}件,热度指数{heat},{status})",
             ("rank", "title", "appeals", "heat", "status")),
    Sentence("problems_none", "共性问题(无)", "期内{scope}未确认群众反映集中的共性问题。",
             ("scope",)),
    Sentence("supervision", "巡回督导",
             "区委派出{supervision_groups}个巡回指导组,各巡回指导组不等不靠、主动工作,"
             "已经对{scope}{supervision_units_visited}家单位逐一进行督导"
             "(督导范围{supervision_units}家,覆盖率{supervision_coverage}%);"
             "督导发现的问题尚在整改中的{rectifications_open}项。", CAMPAIGN),
    Sentence("meetings", "会议",
             "召开工作推进会{meetings_progress}次、协调会{meetings_coordination}次、"
             "周例会{meetings_weekly}次、月度会议{meetings_monthly}次。", CAMPAIGN),
    Sentence("study", "学习宣讲",
             "开展各类学习活动{study_activities}次、{study_person_times}人次,"
             "其中宣讲{lectures}场、{lecture_person_times}人次;赴红色教育基地参观学习"
             "{venue_visits}次、{venue_visit_person_times}人次。", CAMPAIGN),
    Sentence("speaker_item", "宣讲(按宣讲人类别)",
             "{speaker_kind}{speakers}人宣讲{lectures}场、{person_times}人次",
             ("speaker_kind", "speakers", "lectures", "person_times")),
    Sentence("venue_item", "红色教育基地(每处)", "{venue}{visits}次、{person_times}人次",
             ("venue", "visits", "person_times")),
    Sentence("matters", "办实事清单",
             "各单位列入办实事清单{practical_matters}项,已销号{practical_matters_done}项;"
             "评选先进典型{exemplars}人。", CAMPAIGN),
    Sentence("practices", "好做法好经验", "期内{scope}发布好做法好经验{practices}篇,摘要如下:",
             ("scope", "practices")),
    Sentence("practices_none", "好做法好经验(无)", "期内{scope}未发布好做法好经验。",
             ("scope",)),
]}


class TemplateError(ValueError):
    """A template text that cannot be used, with a message naming what is wrong."""


def placeholders(text: str) -> list[str]:
    """The field names a `str.format` text uses; TemplateError when it does not parse."""
    try:
        return [name for _literal, name, _spec, _conv in string.Formatter().parse(text)
                if name is not None]
    except ValueError as error:
        raise TemplateError(f"句式格式有误(花括号须成对，字面的花括号写作 {{{{ 或 }}}})：{error}"
                            ) from error


def check(key: str, text: str) -> None:
    """Refuse a text naming an unknown figure (the message names it), a positional or
    attribute field, or one that does not format."""
    sentence = SENTENCES[key]
    for name in placeholders(text):
        if not name:
            raise TemplateError("句式中的 {} 须写明数据名称，如 {" + sentence.figures[0] + "}")
        if not name.isidentifier():
            raise TemplateError(f"不能使用“{{{name}}}”：只能写数据名称，不能取属性或下标")
        if name not in sentence.figures:
            raise TemplateError(f"未知的数据名称“{name}”；此段可用："
                                + "、".join(sentence.figures))
    sample = {name: "示例" if name in TEXT_FIGURES else 1 for name in sentence.figures}
    try:
        text.format_map(sample)
    except (ValueError, KeyError, IndexError, AttributeError, TypeError) as error:
        raise TemplateError(f"句式无法套用数据：{error}") from error


def render(text: str, key: str, values: dict) -> str:
    """`text` filled with `values`; the default text when `text` is broken (logged)."""
    sentence = SENTENCES[key]
    try:
        check(key, text)
        return text.format_map(values)
    except (TemplateError, ValueError, KeyError, IndexError, AttributeError,
            TypeError) as error:
        logger.warning("briefing template %s is broken (%s); using the default", key, error)
        return sentence.default.format_map(values)
