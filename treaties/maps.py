"""The treaty map's data: each country's shape (Natural Earth, via world-atlas, shipped in
treaties/data/) and the category of its extradition treaty with the PRC on a date, drawn once on
the world map and again, enlarged, in insets where small countries cluster."""

from __future__ import annotations

import datetime
import json
import operator
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django_countries import countries

from extraditions.choices import ChineseParty

from .management.commands.build_world_map import project
from .models import Treaty, TreatyKind
from .status import EVIDENCE_QUALIFIER, TreatyStatus, more_advanced

SHAPES = Path(__file__).resolve().parent / "data" / "world-110m.json"

# The map's categories, in the legend's order.
CATEGORIES = {
    "in_force": "In force",
    "signed": "Signed, awaiting ratification",
    "ended": "Suspended or terminated",
    "unknown": "Status not known",
    "none": "No extradition treaty",
    "prc": "People's Republic of China",
}
CATEGORY_OF = {
    TreatyStatus.IN_FORCE: "in_force",
    TreatyStatus.SIGNED: "signed",
    TreatyStatus.SUSPENDED: "ended",
    TreatyStatus.TERMINATED: "ended",
    TreatyStatus.UNKNOWN: "unknown",
    TreatyStatus.NOT_SIGNED: "none",
}

# The PRC is the other party of every treaty on this map (china_party=PRC), so its own shape is
# drawn as itself, not as a counterpart without a treaty. The data model names two Chinese parties,
# the PRC and the Hong Kong SAR (extraditions.choices.ChineseParty), and any other territory only
# as a counterpart state (a CountryField): Hong Kong and Macao are left off the map (they have no
# shape at this scale, lying within the PRC's outline, and no point below), and the Hong Kong
# SAR's own agreements are not on this map of the PRC's. Taiwan is drawn, like every other shape,
# by what the records hold about a PRC treaty with it: the map states nothing else about it.
PRC = "CN"
PRC_ROLE = "the other party to every treaty on this map"

# States too small for Natural Earth's 110m shapes, drawn as a dot when they have a treaty: the
# centre of their largest island in world-atlas's countries-50m.json (longitude, latitude).
POINTS = {
    "AD": (1.6, 42.5), "AG": (-61.8, 17.1), "BB": (-59.5, 13.2), "BH": (50.5, 26.0), "CV": (-23.6, 15.1),
    "DM": (-61.4, 15.4), "FM": (158.2, 6.9), "GD": (-61.7, 12.1), "KI": (-157.4, 1.9), "KM": (43.4, -11.6),
    "KN": (-62.7, 17.3), "LC": (-61.0, 13.9), "LI": (9.5, 47.2), "MC": (7.4, 43.8), "MH": (171.2, 7.1),
    "MT": (14.5, 35.9), "MU": (57.6, -20.3), "MV": (73.5, 4.2), "NR": (166.9, -0.5), "PW": (134.6, 7.5),
    "SC": (55.5, -4.7), "SG": (103.8, 1.4), "SM": (12.5, 43.9), "ST": (6.6, 0.2), "TO": (-175.2, -21.2),
    "VA": (12.4, 41.9), "VC": (-61.2, 13.3), "WS": (-172.5, -13.6),
}


@dataclass(frozen=True)
class Inset:
    """A region drawn again, enlarged, where the world map leaves small countries a few pixels."""

    key: str
    title: str
    west: float
    south: float
    east: float
    north: float
    wide: bool = False  # shown as wide as the page, like the world map

    def box(self) -> tuple[float, float, float, float]:
        """The region in the world map's coordinates: left, top, right, bottom."""
        return (*project(self.west, self.north), *project(self.east, self.south))


# A country is reached from the keyboard in the first of these that holds its centre, else on the
# world map: once each, where it is largest.
INSETS = (
    Inset("europe", "Europe", west=-11, south=34, east=50, north=60, wide=True),
    Inset("middle-east", "The Middle East", west=32, south=22, east=58, north=38),
    Inset("caribbean", "The Caribbean", west=-92, south=7, east=-58, north=27),
    Inset("west-africa", "West Africa", west=-18, south=3, east=10, north=16),
)

# Names are written in a band below each map, where no other country's shape can be drawn over
# them: two lines of LABEL_PX pixels and a margin. Text in an SVG grows and shrinks with it, so its
# size is set for the width the map is shown at on a computer (map.css): the page's width for the
# world map and a wide inset, a third of it for another. On a phone the wide maps are about a third
# as wide, and map.css writes their names PHONE_SCALE times larger: their band has room for that.
WIDE_PX, INSET_PX, LABEL_PX, PHONE_SCALE = 1100, 360, 14, 2.6
BAND_LINES = 2.8


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


Ring = list[tuple[float, float]]
RING = re.compile(r"M([^Z]+)Z")


def rings(d: str) -> list[Ring]:
    """The closed rings of an SVG path made of M, L and Z (as build_world_map writes them)."""
    return [[tuple(map(float, point.split(","))) for point in body.split("L")] for body in RING.findall(d)]


def path(shape: list[Ring]) -> str:
    return "".join("M" + "L".join(f"{x:g},{y:g}" for x, y in ring) + "Z" for ring in shape if len(ring) >= 3)


def area(ring: Ring) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2


@lru_cache(maxsize=1)
def centres() -> dict[str, tuple[float, float]]:
    """Each country's centre on the map: the middle of its largest ring (France's is in Europe,
    not in French Guiana), or its point."""
    found = {code: project(*lonlat) for code, lonlat in POINTS.items()}
    for code, d in world_shapes()["shapes"].items():
        largest = max(rings(d), key=area)
        xs, ys = [x for x, _ in largest], [y for _, y in largest]
        found[code] = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    return found


def clip(ring: Ring, box: tuple[float, float, float, float]) -> Ring:
    """The part of a ring inside a rectangle (Sutherland–Hodgman): an inset carries only the
    outline it shows, not all of Russia."""
    left, top, right, bottom = box
    # Each side of the box: the axis it cuts, where, and which side of it is kept.
    for axis, limit, keep in ((0, left, operator.ge), (0, right, operator.le), (1, top, operator.ge), (1, bottom, operator.le)):
        points, ring = ring, []
        for previous, point in zip(points[-1:] + points[:-1], points, strict=True):
            if keep(point[axis], limit) != keep(previous[axis], limit):
                share = (limit - previous[axis]) / (point[axis] - previous[axis])
                ring.append(tuple(a + share * (b - a) for a, b in zip(previous, point, strict=True)))
            if keep(point[axis], limit):
                ring.append(point)
    return [(round(x, 1), round(y, 1)) for x, y in ring]


@lru_cache(maxsize=len(INSETS))
def inset_paths(inset: Inset) -> dict[str, str]:
    """Each shape's outline within the inset's region (and a margin beyond it at the sides, so
    that the cut edges fall outside the view)."""
    left, top, right, bottom = inset.box()
    margin = (right - left) / 20
    box = (left - margin, top - margin, right + margin, bottom)  # the band for names lies below
    clipped = {code: path([clip(ring, box) for ring in rings(d)]) for code, d in world_shapes()["shapes"].items()}
    return {code: d for code, d in clipped.items() if d}


def home(code: str) -> str:
    """The map a country is reached on from the keyboard: the first inset holding its centre."""
    x, y = centres()[code]
    for inset in INSETS:
        left, top, right, bottom = inset.box()
        if left <= x <= right and top <= y <= bottom:
            return inset.key
    return "world"


def why_not_known(treaty: Treaty) -> str:
    """What our sources date, and fail to date, of a treaty whose status on a date is "unknown"."""
    if treaty.known_in_force:
        signed = f"signed {treaty.signed}; " if treaty.signed else ""
        return f"{signed}known to be in force by {treaty.known_in_force}, but not since when"
    # Approval or ratification is only given to a signed treaty: the earliest shows it signed.
    shown_signed = [step for step in (treaty.known_signed, treaty.china_approved, treaty.counterpart_ratified) if step]
    if shown_signed:
        return f"known to be signed by {min(shown_signed, key=lambda step: step.date)}, but not when"
    return "none of its steps is dated in our sources"


def world_map(treaties, on: datetime.date) -> dict:
    """Each country's shape with the category of its most advanced treaty on ``on``, drawn on the
    world map and in the insets, a legend and a table. A status resting on undated evidence (an
    unofficial list, an inference from an official count) says so in its label and is drawn
    apart; a status not known says why."""
    best: dict[str, Treaty] = {}
    for treaty in treaties:
        code = treaty.counterpart.code
        if more_advanced(treaty.status, than=best[code].status if code in best else None):
            best[code] = treaty
    category = {code: CATEGORY_OF[treaty.status] for code, treaty in best.items()}
    category[PRC] = "prc"

    def entry(code: str) -> dict:
        cat = category.get(code, "none")
        treaty = best.get(code)
        undated = EVIDENCE_QUALIFIER.get(treaty.status_evidence_on(on, treaty.status), "") if treaty else ""
        qualifier = why_not_known(treaty) if cat == "unknown" else undated
        status = PRC_ROLE if cat == "prc" else CATEGORIES[cat]
        return {
            "code": code,
            "name": CATEGORIES["prc"] if cat == "prc" else countries.name(code),
            "category": cat,
            "undated": bool(undated),
            "label": f"{status} ({qualifier})" if qualifier else status,
            # The band below a map writes the status short, and its qualifier where there is room.
            "short_label": f"{status}, on undated evidence" if undated else status,
            "qualifier": qualifier,
            "home": home(code) if code in centres() else "",
        }

    entries = {code: entry(code) for code in sorted(set(world_shapes()["shapes"]) | set(category))}
    rows = sorted(
        (entries[code] for code in category if code != PRC),
        key=lambda row: (list(CATEGORIES).index(row["category"]), row["name"]),
    )
    totals = Counter(category.values())
    world = drawing("world", "", (0, 0, world_shapes()["width"], world_shapes()["height"]),
                    world_shapes()["shapes"], entries, wide=True)
    insets = [drawing(i.key, i.title, i.box(), inset_paths(i), entries, wide=i.wide) for i in INSETS]
    return {
        "on": on,
        "drawings": [world, *insets],
        "legend": [
            {"key": key, "label": f"{label}: {PRC_ROLE}" if key == "prc" else label, "count": totals.get(key, 0),
             "counted": key not in ("none", "prc")}
            for key, label in CATEGORIES.items()
        ],
        "undated": sum(row["undated"] for row in rows),
        "not_known": totals.get("unknown", 0),
        "rows": rows,
        "not_on_map": [row for row in rows if not row["home"]],
        "tab_stops": sum(1 for row in entries.values() if row["home"] and row["category"] != "prc"),
    }


def drawing(key: str, title: str, box, shapes: dict[str, str], entries: dict[str, dict], wide: bool) -> dict:
    """One SVG of the map: its view, its text size, its shapes and points (each a link but the
    PRC's), and where each one's name is written when pointed at or focused."""
    left, top, right, bottom = box
    width = right - left
    font = round(LABEL_PX * width / (WIDE_PX if wide else INSET_PX), 2)

    def within(code: str) -> bool:
        x, y = centres()[code]
        return left <= x <= right and top <= y <= bottom

    places = []
    for code, row in entries.items():
        if code not in shapes and not (code in POINTS and within(code)):
            continue
        x, y = centres()[code]
        share = (x - left) / width
        places.append({
            **row,
            "d": shapes.get(code, ""),
            "cx": x,
            "cy": y,
            "focusable": row["home"] == key and row["category"] != "prc",
            # Written in the band under the country, within the map's width.
            "label_x": round(min(max(x, left + font / 2), right - font / 2), 1),
            "anchor": "start" if share < 1 / 3 else "end" if share > 2 / 3 else "middle",
        })
    places.sort(key=lambda place: place["name"])  # the order of the tab stops and of a screen reader
    return {
        "key": key,
        "title": title,
        "wide": wide,
        "viewbox": f"{left:g} {top:g} {width:g} {bottom - top + font * BAND_LINES * (PHONE_SCALE if wide else 1):g}",
        "font_size": font,
        "marker_radius": round(font * 0.4, 2),
        "band_y": round(bottom + font * 0.3, 1),
        "hint_x": round(left + font / 2, 1),
        "places": places,
        "prc": next((p for p in places if p["category"] == "prc" and within(p["code"])), None),
    }


def same_day_in(year: int, on: datetime.date) -> datetime.date:
    """``on``'s day and month in another year (29 February: the 28th in a common year)."""
    try:
        return on.replace(year=year)
    except ValueError:
        return on.replace(year=year, day=28)


def year_steps(on: datetime.date, first_year: int, last_year: int) -> dict:
    """The same day a year before and after ``on`` within the years the map covers, for links
    and a slider that step through time without JavaScript."""
    first, last = min(first_year, on.year), max(last_year, on.year)
    return {
        "previous": same_day_in(on.year - 1, on) if on.year > first else None,
        "next": same_day_in(on.year + 1, on) if on.year < last else None,
        "first": first,
        "last": last,
        "year": on.year,
    }
