"""Template helpers of the collection records' pages and of the case page's 来源 line."""

from django import template

from banshi.collection.links import source_link
from banshi.collection.models import RecordEvent
from banshi.collection.permissions import may_see_collection

register = template.Library()


@register.simple_tag
def appeal_source(appeal):
    """{"label", "url"} of the record an appeal came from, or None."""
    link = source_link(appeal)
    return None if link is None else {"label": link[0], "url": link[1]}


@register.simple_tag(takes_context=True)
def sees_collection(context) -> bool:
    """The staff menu's collection links: for those who may see collection records."""
    return may_see_collection(context["request"].user)


LOG_MAX = 50  # the 操作记录 panel shows a record's newest events, at most this many


@register.inclusion_tag("web/collection/_record_log.html")
def record_log(record):
    """The 操作记录 panel of a collection record's page: its newest events, actor first."""
    events = list(RecordEvent.objects.of(record).select_related("actor")[:LOG_MAX + 1])
    return {"events": events[:LOG_MAX], "more": len(events) > LOG_MAX}
