"""Template tags that let registry pages show support-services content without the registry importing it."""

from django import template

from ..selectors import events as selectors

register = template.Library()


@register.simple_tag
def partnership_events(partnership):
    """The partnership's upcoming and past events, in one query."""
    upcoming, past = selectors.partnership_events(partnership=partnership)
    return {"upcoming": upcoming, "past": past}
