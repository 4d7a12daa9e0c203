"""Server-side SVG charts: every chart is drawn here and followed by its data table."""

from django import template

register = template.Library()

ROW_HEIGHT = 26
LABEL_WIDTH = 260
BAR_WIDTH = 300
WIDTH = LABEL_WIDTH + BAR_WIDTH + 90


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
                "y": svg_number(i * ROW_HEIGHT + 5),
                "text_y": svg_number(i * ROW_HEIGHT + ROW_HEIGHT * 0.65),
                "width": svg_number(width),
                "value_dx": svg_number(width + 6),
                "label_short": row["label"] if len(label) <= 38 else label[:36] + "…",
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
        "label_width": LABEL_WIDTH,
        "bar_x": LABEL_WIDTH + 6,
    }
