"""Template helpers of the collection records' pages and of the case page's 来源 line."""

from django import template

from banshi.collection.links import source_link
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
