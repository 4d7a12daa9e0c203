"""Server-rendered SVG maps from the NUTS boundaries (EPSG:3035 metres, drawn in kilometres).

No tiles and no scripts: each region is one ``<path>``. The main frame covers the EU mainland
(x 2,500–6,500 km, y 1,400–5,500 km); the outermost regions that fall outside it are drawn in insets.
"""

import math
from functools import lru_cache

from .models import RegionBoundary

FRAME = (2500, 1400, 6500, 5500)  # x_min, y_min, x_max, y_max in km
INSET_SIZE = 260  # km of the main frame given to each inset box
OUTERMOST = ["ES70", "PT20", "PT30", "FRY1", "FRY2", "FRY3", "FRY4", "FRY5"]
COLOURS = ["#e9ecef", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]


def _rings(geometry):
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def _bbox(rings):
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return min(xs) / 1000, min(ys) / 1000, max(xs) / 1000, max(ys) / 1000


def _path(rings, transform):
    parts = []
    for ring in rings:
        points, last = [], None
        for x, y in ring:
            point = transform(x / 1000, y / 1000)
            if point != last:
                points.append(point)
                last = point
        if len(points) >= 3:
            parts.append("M" + "L".join(f"{px} {py}" for px, py in points) + "Z")
    return "".join(parts)


def _main_transform(x, y):
    return round(x - FRAME[0]), round(FRAME[3] - y)


@lru_cache(maxsize=4)
def shapes(level=2):
    """{code: {"name", "bbox", "d"}} for every region of ``level``; outermost regions drawn in insets."""
    rows = RegionBoundary.objects.filter(region__level=level).values_list(
        "region_id", "region__name", "geometry"
    )
    result, insets = {}, []
    for code, name, geometry in rows:
        rings = _rings(geometry)
        bbox = _bbox(rings)
        inside = bbox[0] >= FRAME[0] and bbox[2] <= FRAME[2] and bbox[1] >= FRAME[1] and bbox[3] <= FRAME[3]
        if code[:4] in OUTERMOST and not inside:
            insets.append((code, name, rings, bbox))
            continue
        result[code] = {"code": code, "name": name, "bbox": bbox, "d": _path(rings, _main_transform)}
    # Insets: a row of boxes along the bottom-left corner of the frame, each region scaled to fit.
    for n, (code, name, rings, bbox) in enumerate(
        sorted(insets, key=lambda item: OUTERMOST.index(item[0][:4]))
    ):
        box_x, box_y = 10 + n * (INSET_SIZE + 10), FRAME[3] - FRAME[1] - INSET_SIZE - 10
        scale = (INSET_SIZE - 20) / max(bbox[2] - bbox[0], bbox[3] - bbox[1], 1)

        def transform(x, y, bbox=bbox, scale=scale, box_x=box_x, box_y=box_y):
            return round(box_x + 10 + (x - bbox[0]) * scale), round(box_y + 10 + (bbox[3] - y) * scale)

        result[code] = {
            "code": code,
            "name": name,
            "bbox": bbox,
            "d": _path(rings, transform),
            "inset": {"x": box_x, "y": box_y, "size": INSET_SIZE},
        }
    return result


def colour_classes(maximum):
    """Up to five classes of partnership counts, as (low, high, colour)."""
    if maximum <= 0:
        return []
    steps = min(5, maximum)
    bounds = [math.ceil(maximum * (i + 1) / steps) for i in range(steps)]
    classes, low = [], 1
    for i, high in enumerate(bounds):
        if high >= low:
            classes.append((low, high, COLOURS[i + 1]))
            low = high + 1
    return classes


def choropleth(counts, *, level=2):
    """Regions of ``level`` with their count and fill colour, the legend, and the view box."""
    regions = shapes(level)
    classes = colour_classes(max(counts.values(), default=0))

    def fill(count):
        for low, high, colour in classes:
            if low <= count <= high:
                return colour
        return COLOURS[0]

    drawn = [
        {**shape, "count": counts.get(code, 0), "fill": fill(counts.get(code, 0))}
        for code, shape in sorted(regions.items())
    ]
    return {
        "regions": drawn,
        "insets": [r["inset"] for r in drawn if "inset" in r],
        "legend": [{"low": low, "high": high, "fill": colour} for low, high, colour in classes],
        "no_data_fill": COLOURS[0],
        "view_box": f"0 0 {FRAME[2] - FRAME[0]} {FRAME[3] - FRAME[1]}",
    }


def locator(codes, *, level=2, margin=150):
    """A small map around the given regions (any NUTS level), highlighting the level-``level`` regions
    that contain or lie inside them. None when nothing can be drawn (an EU-wide partnership)."""
    codes = list(codes)
    regions = shapes(level)
    highlighted = {code for code in regions if any(code.startswith(c) or c.startswith(code) for c in codes)}
    boxes = [regions[c]["bbox"] for c in highlighted if "inset" not in regions[c]]
    if not boxes:
        return None
    x0, y0 = min(b[0] for b in boxes) - margin, min(b[1] for b in boxes) - margin
    x1, y1 = max(b[2] for b in boxes) + margin, max(b[3] for b in boxes) + margin
    side = max(x1 - x0, y1 - y0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    x0, x1, y0, y1 = cx - side / 2, cx + side / 2, cy - side / 2, cy + side / 2
    visible = [
        {**shape, "highlighted": code in highlighted}
        for code, shape in sorted(regions.items())
        if "inset" not in shape
        and shape["bbox"][2] >= x0
        and shape["bbox"][0] <= x1
        and shape["bbox"][3] >= y0
        and shape["bbox"][1] <= y1
    ]
    left, top = _main_transform(x0, y1)
    return {
        "regions": visible,
        "view_box": f"{left} {top} {round(side)} {round(side)}",
        "highlighted": sorted(highlighted),
    }


def locator_for(regions):
    """The locator of a partnership's regions, drawn with NUTS 3 shapes when it names NUTS 3 regions."""
    codes = [region.code for region in regions]
    if not codes:
        return None
    return locator(codes, level=3 if any(len(code) == 5 for code in codes) else 2)


def forget_shapes(**kwargs):
    """Signal receiver: a region or boundary changed, redraw the maps (in this process)."""
    shapes.cache_clear()
