"""The list's long selects, written in Python: the region select has an option per NUTS region with partnerships
(over 1,700 at scale), which the template engine takes tens of milliseconds to loop over."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def region_options(groups):
    """The ``<optgroup>`` of each country of ``groups`` ([(country, [option…])], each option with value, label,
    count, selected and level), sub-regions below level 1 marked with a dash."""
    parts = []
    for country, options in groups:
        parts.append(f'<optgroup label="{escape(country)}">')
        for option in options:
            selected = " selected" if option["selected"] else ""
            dash = "– " if option["level"] > 1 else ""
            parts.append(
                f'<option value="{escape(option["value"])}"{selected}>'
                f"{dash}{escape(option['label'])} ({option['count']})</option>"
            )
        parts.append("</optgroup>")
    return mark_safe("".join(parts))  # every value above is escaped
