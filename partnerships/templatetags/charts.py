"""Server-side SVG charts: every chart is drawn here and followed by its data table."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

register = template.Library()

ROW_HEIGHT = 26
LABEL_WIDTH = 260
BAR_WIDTH = 300
WIDTH = LABEL_WIDTH + BAR_WIDTH + 90


@register.inclusion_tag("partnerships/includes/_bar_chart.html")
def bar_chart(rows, title, chart_id, label_heading, value_heading, value_format=""):
    """A horizontal bar chart of ``rows`` ({label, value, share, url?}) with its table."""
    bars = [
        {
            **row,
            "y": i * ROW_HEIGHT,
            "text_y": i * ROW_HEIGHT + ROW_HEIGHT * 0.65,
            "width": max(round(row["share"] * BAR_WIDTH, 1), 1 if row["value"] else 0),
            "label_short": row["label"] if len(str(row["label"])) <= 38 else str(row["label"])[:36] + "…",
        }
        for i, row in enumerate(rows)
    ]
    return {
        "bars": bars,
        "title": title,
        "chart_id": chart_id,
        "label_heading": label_heading,
        "value_heading": value_heading,
        "height": max(len(bars), 1) * ROW_HEIGHT,
        "width": WIDTH,
        "label_width": LABEL_WIDTH,
        "bar_x": LABEL_WIDTH + 6,
    }


@register.simple_tag
def map_regions(regions):
    """The choropleth's regions as SVG: each region with partnerships a link to its page, labelled with its count.
    Written in Python: a map has some 300 regions, which a template loop takes tens of milliseconds to draw."""
    region_url = reverse("partnerships:region", args=["XX"])[:-3] + "{}/"
    parts = []
    for region in regions:
        name, code, count = escape(region["name"]), escape(region["code"]), region["count"]
        path = f'<path d="{escape(region["d"])}" fill="{escape(region["fill"])}" class="region"'
        if count:
            label = ngettext(
                "%(name)s (%(code)s): %(counter)s partnership",
                "%(name)s (%(code)s): %(counter)s partnerships",
                count,
            ) % {"name": name, "code": code, "counter": count}
            parts.append(
                f'<a href="{region_url.format(code)}" aria-label="{label}">{path}>'
                f"<title>{name} ({code}): {intcomma(count)}</title></path></a>"
            )
        else:
            parts.append(f'{path} aria-hidden="true"><title>{name} ({code}): 0</title></path>')
    return mark_safe("".join(parts))  # names, codes and paths are escaped above
