"""Server-side SVG charts: every chart is drawn here and followed by its data table."""

from django import template

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
