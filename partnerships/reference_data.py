"""Loading of the reference data shipped in ``partnerships/data``: ecosystems and NUTS 2024 regions.

The functions take the model classes as arguments so that a data migration can pass its historical
models; ``manage.py load_reference_data`` passes the current ones. Both are idempotent.
"""

import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
NUTS_LEVELS = (0, 1, 2, 3)


def read_ecosystems():
    with open(DATA_DIR / "pact" / "ecosystems.json", encoding="utf-8") as fh:
        return json.load(fh)


def read_nuts_level(level):
    with open(DATA_DIR / "nuts" / f"nutsrg_{level}.json", encoding="utf-8") as fh:
        return json.load(fh)["features"]


def load_ecosystems(Ecosystem):
    """Create or rename the ecosystems; return how many there are."""
    for row in read_ecosystems():
        Ecosystem.objects.update_or_create(slug=row["slug"], defaults={"name": row["name"]})
    return Ecosystem.objects.count()


def load_regions(Region, RegionBoundary, batch_size=500):
    """Create the NUTS regions level by level (parents first), refresh names and boundaries."""
    existing = dict(Region.objects.values_list("code", "name"))
    for level in NUTS_LEVELS:
        new_regions, renamed, boundaries = [], [], []
        for feature in read_nuts_level(level):
            code = feature["properties"]["id"]
            name = feature["properties"]["na"].strip()
            region = Region(code=code, name=name, level=level, parent_id=code[:-1] if level else None)
            if code not in existing:
                new_regions.append(region)
            elif existing[code] != name:
                renamed.append(region)
            boundaries.append(RegionBoundary(region_id=code, geometry=feature["geometry"]))
        Region.objects.bulk_create(new_regions, batch_size=batch_size)
        Region.objects.bulk_update(renamed, ["name"], batch_size=batch_size)
        RegionBoundary.objects.filter(region__level=level).delete()
        RegionBoundary.objects.bulk_create(boundaries, batch_size=batch_size)
    return Region.objects.count()
