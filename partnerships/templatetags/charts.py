"""Server-side SVG charts: every chart is drawn here and followed by its data table."""

from django import template

register = template.Library()

# Each label sits above its bar, so the drawing stays narrow: on a 320 px phone the 13-unit text still renders at
# about 11 px (side by side, labels and bars needed 650 units and the text shrank to 7 px).
ROW_HEIGHT = 40
LABEL_HEIGHT = 16
BAR_WIDTH = 290
WIDTH = BAR_WIDTH + 60
LABEL_CHARS = 48


@register.inclusion_tag("partnerships/includes/_bar_chart.html")
def bar_chart(rows, title, chart_id, label_heading, value_heading, value_format=""):
    """A horizontal bar chart of ``rows`` ({label, value, share, url?}) with its table."""
    bars = [
        {
            **row,
            "label_y": i * ROW_HEIGHT + LABEL_HEIGHT - 3,
            "bar_y": i * ROW_HEIGHT + LABEL_HEIGHT + 2,
            "text_y": i * ROW_HEIGHT + LABEL_HEIGHT + 15,
            "width": max(round(row["share"] * BAR_WIDTH, 1), 1 if row["value"] else 0),
            "label_short": (
                row["label"]
                if len(str(row["label"])) <= LABEL_CHARS
                else str(row["label"])[: LABEL_CHARS - 2] + "…"
            ),
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
    }
