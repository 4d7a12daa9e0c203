"""Server-side SVG charts: every chart is drawn here and followed by its data table."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

register = template.Library()

# Each label sits above its bar, so the drawing stays narrow: on a 320 px phone the 13-unit text still renders at
# about 11 px (side by side, labels and bars needed 650 units and the text shrank to 7 px).
ROW_HEIGHT = 40
LABEL_HEIGHT = 16
BAR_WIDTH = 290
WIDTH = BAR_WIDTH + 60
LABEL_CHARS = 48


def svg_number(value):
    """A number as SVG reads it: a dot before the decimals, whatever the interface language."""
    return f"{round(value, 1):.1f}".removesuffix(".0")


@register.inclusion_tag("partnerships/includes/_bar_chart.html")
def bar_chart(rows, title, chart_id, label_heading, value_heading, value_format=""):
    """A horizontal bar chart of ``rows`` ({label, value, share, url?}) with its table."""
    bars = []
    for i, row in enumerate(rows):
        width = max(round(row["share"] * BAR_WIDTH, 1), 1 if row["value"] else 0)
        label = str(row["label"])
        bars.append(
            {
                **row,
                "label_y": svg_number(i * ROW_HEIGHT + LABEL_HEIGHT - 3),
                "bar_y": svg_number(i * ROW_HEIGHT + LABEL_HEIGHT + 2),
                "text_y": svg_number(i * ROW_HEIGHT + LABEL_HEIGHT + 15),
                "width": svg_number(width),
                "value_dx": svg_number(width + 6),
                "label_short": row["label"] if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 2] + "…",
            }
        )
    return {
        "bars": bars,
        "title": title,
        "chart_id": chart_id,
        "label_heading": label_heading,
        "value_heading": value_heading,
        "height": max(len(bars), 1) * ROW_HEIGHT,
        "width": WIDTH,
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
