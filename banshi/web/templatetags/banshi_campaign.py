"""Template helpers of the campaign pages."""

from django import template

from banshi.campaign.permissions import may_see_campaign

register = template.Library()


@register.simple_tag(takes_context=True)
def sees_campaign(context) -> bool:
    """The staff menu's campaign link: for those who may see the campaign pages."""
    return may_see_campaign(context["request"].user)
