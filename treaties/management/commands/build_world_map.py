"""python manage.py build_world_map PATH/countries-110m.json: the shapes behind the treaty map.

Reads Natural Earth's country shapes (public domain) as the ``world-atlas`` npm package ships
them (TopoJSON), projects them (equirectangular, Antarctica left out) and writes one SVG path per
country, keyed by ISO code, to treaties/data/world-110m.json. Run once when updating the shapes:
`npm pack world-atlas@2`, unpack, and point this command at its countries-110m.json. Nothing is
fetched at run time.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_countries import countries

OUTPUT = Path(__file__).resolve().parents[2] / "data" / "world-110m.json"
WIDTH = 1000.0
NORTH, SOUTH = 84.0, -58.0  # the map's latitudes: Antarctica and the far Arctic are left out
SCALE = WIDTH / 360.0
ANTARCTICA = "010"


def decode_arcs(topology) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs are quantized and delta-encoded: back to longitudes and latitudes."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs, indices) -> list[tuple[float, float]]:
    points = []
    for index in indices:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def project(lon: float, lat: float) -> tuple[int, int]:
    lat = max(SOUTH, min(NORTH, lat))
    return round((lon + 180) * SCALE), round((NORTH - lat) * SCALE)


def svg_path(polygons) -> str:
    parts = []
    for polygon in polygons:
        for points in polygon:
            # A ring crossing the antimeridian (Russia, Fiji) is cut where it jumps across the map.
            pieces = [[]]
            for point in (project(*p) for p in points):
                current = pieces[-1]
                if current and abs(point[0] - current[-1][0]) > WIDTH / 2:
                    pieces.append(current := [])
                if not current or current[-1] != point:
                    current.append(point)
            for piece in pieces:
                if len(piece) >= 3:
                    parts.append("M" + "L".join(f"{x},{y}" for x, y in piece) + "Z")
    return "".join(parts)


class Command(BaseCommand):
    help = "Build the treaty map's country shapes from world-atlas's countries-110m.json (Natural Earth)."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path)

    def handle(self, *args, source: Path, **options):
        try:
            topology = json.loads(source.read_text())
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {source}: {error}") from error
        arcs = decode_arcs(topology)
        shapes, skipped = {}, []
        for geometry in topology["objects"]["countries"]["geometries"]:
            numeric, name = geometry.get("id"), geometry["properties"]["name"]
            code = countries.alpha2(int(numeric)) if numeric and numeric.isdigit() else ""
            if numeric == ANTARCTICA or not code:
                skipped.append(name)
                continue
            polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
            shapes[code] = svg_path([[ring(arcs, r) for r in polygon] for polygon in polygons])
        height = round((NORTH - SOUTH) * SCALE)
        OUTPUT.write_text(json.dumps({"width": int(WIDTH), "height": height, "shapes": shapes}, sort_keys=True))
        self.stdout.write(f"Skipped (no ISO code, or Antarctica): {', '.join(skipped) or 'none'}")
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(shapes)} countries to {OUTPUT} ({OUTPUT.stat().st_size // 1024} KB)."))
