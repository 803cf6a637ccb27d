"""Template helpers of the campaign pages."""

from django import template

from banshi.campaign.permissions import may_see_campaign

register = template.Library()


@register.simple_tag(takes_context=True)
def sees_campaign(context) -> bool:
    """The staff menu's campaign link: for those who may see the campaign pages."""
    return may_see_campaign(context["request"].user)


@register.simple_tag(takes_context=True)
def sees_ranking(context) -> bool:
    """The reports menu's 红黑榜 link: for those who may open the ranking (district roles)."""
    from banshi.reports.permissions import may_see_ranking

    return may_see_ranking(context["request"].user)
