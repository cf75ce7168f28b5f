"""The treaty map's data: each country's shape (Natural Earth, via world-atlas, shipped in
treaties/data/) and the category of its extradition treaty with the PRC on a date."""

from __future__ import annotations

import datetime
import json
from collections import Counter
from functools import lru_cache
from pathlib import Path

from django_countries import countries

from extraditions.choices import ChineseParty

from .models import Treaty, TreatyKind
from .status import EVIDENCE_QUALIFIER, TreatyStatus, more_advanced

SHAPES = Path(__file__).resolve().parent / "data" / "world-110m.json"

# The map's categories, in the legend's order.
CATEGORIES = {
    "in_force": "In force",
    "signed": "Signed, awaiting ratification",
    "ended": "Suspended or terminated",
    "unknown": "Signed, status not known",
    "none": "No extradition treaty",
}
CATEGORY_OF = {
    TreatyStatus.IN_FORCE: "in_force",
    TreatyStatus.SIGNED: "signed",
    TreatyStatus.SUSPENDED: "ended",
    TreatyStatus.TERMINATED: "ended",
    TreatyStatus.UNKNOWN: "unknown",
    TreatyStatus.NOT_SIGNED: "none",
}


@lru_cache(maxsize=1)
def world_shapes() -> dict:
    return json.loads(SHAPES.read_text())


def extradition_treaties(user, on: datetime.date):
    return (
        Treaty.objects.visible_to(user)
        .filter(kind=TreatyKind.EXTRADITION, china_party=ChineseParty.PRC)
        .exclude(counterpart="")
        .with_status(on)
    )


def world_map(treaties, on: datetime.date) -> dict:
    """Each country's shape with the category of its most advanced treaty on ``on``, a legend and a
    table. A status resting on undated evidence (an unofficial list, an inference from an official
    count) says so in its label and is drawn apart."""
    best: dict[str, Treaty] = {}
    for treaty in treaties:
        code = treaty.counterpart.code
        if more_advanced(treaty.status, than=best[code].status if code in best else None):
            best[code] = treaty
    category = {code: CATEGORY_OF[treaty.status] for code, treaty in best.items()}
    qualifier = {
        code: EVIDENCE_QUALIFIER.get(treaty.status_evidence_on(on, treaty.status), "") for code, treaty in best.items()
    }

    def entry(code: str) -> dict:
        cat = category.get(code, "none")
        undated = qualifier.get(code, "")
        label = f"{CATEGORIES[cat]} ({undated})" if undated else CATEGORIES[cat]
        return {"code": code, "name": countries.name(code), "category": cat, "undated": bool(undated), "label": label}

    shapes = world_shapes()
    paths = [{**entry(code), "d": d} for code, d in sorted(shapes["shapes"].items())]
    rows = sorted(
        (entry(code) for code in category),
        key=lambda row: (list(CATEGORIES).index(row["category"]), row["name"]),
    )
    totals = Counter(category.values())
    return {
        "on": on,
        "width": shapes["width"],
        "height": shapes["height"],
        "paths": paths,
        "legend": [{"key": key, "label": label, "count": totals.get(key, 0)} for key, label in CATEGORIES.items()],
        "undated": sum(row["undated"] for row in rows),
        "rows": rows,
        "not_on_map": [row for row in rows if row["code"] not in shapes["shapes"]],
    }
