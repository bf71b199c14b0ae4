"""The town's gazetteer as text: how names are compared in a search, and how a CSV file of places
is read and checked line by line (``core.services.places_import`` writes what it reads)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Municipality, PlaceKind

NAME_MAX = 120
MAX_LINES = 5000
MAX_BYTES = 1_000_000

# "Straße", "Strasse", "Str." and "str" are the same word in a search; the umlauts match their
# spelling with an e ("Muehlenweg"), and spaces, hyphens and dots count for nothing
# ("Hafen-Allee", "Hafen Allee").
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
_ABBREVIATED_STREET = re.compile(r"str(\.|\b)")
_HOUSE_NUMBER = re.compile(r"\s+\d+\s*[a-z]?\s*$", re.IGNORECASE)
_NOT_A_LETTER = re.compile(r"[\W_]+")

# The kinds as a file may name them: the stored value, or its German or English word.
_KINDS = {
    "street": PlaceKind.STREET,
    "strasse": PlaceKind.STREET,
    "straße": PlaceKind.STREET,
    "square": PlaceKind.SQUARE,
    "platz": PlaceKind.SQUARE,
    "landmark": PlaceKind.LANDMARK,
    "ort": PlaceKind.LANDMARK,
}


def search_key(text: str) -> str:
    """``text`` as names are compared: "Lindenstr. 12" and "lindenstraße" give "lindenstrasse"."""
    text = _HOUSE_NUMBER.sub("", text.strip()).casefold().translate(_UMLAUTS)
    text = _ABBREVIATED_STREET.sub("strasse", text)
    return _NOT_A_LETTER.sub("", text)


@dataclass(frozen=True)
class PlaceRow:
    line: int
    name: str
    kind: PlaceKind
    latitude: float
    longitude: float
    neighbourhood: str  # its name as written, "" for none


def _number(text: str) -> float | None:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None  # noqa: PLR0124 - NaN


def read_places(
    data: bytes, *, municipality: Municipality, neighbourhoods: set[str]
) -> tuple[list[PlaceRow], list[str]]:
    """The rows of a CSV file ``name;kind;latitude;longitude[;neighbourhood]`` and what is wrong
    with it, one message per problem naming its line. A first line starting with "name" is the
    header. ``neighbourhoods``: the town's neighbourhood names, lower case."""
    if len(data) > MAX_BYTES:
        return [], [_("Die Datei ist größer als 1 MB.")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [_("Die Datei ist nicht in UTF-8 geschrieben.")]
    lines = list(csv.reader(text.splitlines(), delimiter=";"))
    if len(lines) > MAX_LINES:
        return [], [_("Die Datei hat mehr als %(max)d Zeilen.") % {"max": MAX_LINES}]
    rows: list[PlaceRow] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        cells = [cell.strip() for cell in raw]
        if not any(cells):
            continue
        if number == 1 and cells[0].casefold() in {"name", "bezeichnung"}:
            continue
        problems = _problems(cells, municipality=municipality, neighbourhoods=neighbourhoods)
        name = cells[0]
        if not problems and name.casefold() in seen:
            problems.append(
                _("„%(name)s“ steht schon in Zeile %(line)d.")
                % {"name": name, "line": seen[name.casefold()]}
            )
        if problems:
            errors += [
                _("Zeile %(line)d: %(problem)s") % {"line": number, "problem": problem}
                for problem in problems
            ]
            continue
        seen[name.casefold()] = number
        rows.append(
            PlaceRow(
                line=number,
                name=name,
                kind=_KINDS[cells[1].casefold()],
                latitude=_number(cells[2]),  # type: ignore[arg-type]
                longitude=_number(cells[3]),  # type: ignore[arg-type]
                neighbourhood=cells[4] if len(cells) > 4 else "",
            )
        )
    if not rows and not errors:
        errors.append(_("Die Datei enthält keine Orte."))
    return rows, errors


def _problems(
    cells: list[str], *, municipality: Municipality, neighbourhoods: set[str]
) -> list[str]:
    if len(cells) not in (4, 5):
        return [
            _(
                "Erwartet werden 4 oder 5 Felder, getrennt durch Semikolon "
                "(Name;Art;Breitengrad;Längengrad;Quartier), gefunden: %(count)d."
            )
            % {"count": len(cells)}
        ]
    name, kind, latitude, longitude = cells[:4]
    problems = []
    if not name:
        problems.append(_("Der Name fehlt."))
    elif len(name) > NAME_MAX:
        problems.append(_("Der Name ist länger als %(max)d Zeichen.") % {"max": NAME_MAX})
    if kind.casefold() not in _KINDS:
        problems.append(
            _("Unbekannte Art „%(kind)s“ (erlaubt: Straße, Platz, Ort).") % {"kind": kind}
        )
    lat, lon = _number(latitude), _number(longitude)
    if lat is None or lon is None:
        problems.append(_("Breiten- und Längengrad müssen Zahlen sein, z. B. 52.1312;9.3655."))
    elif not municipality.contains(lat, lon):
        problems.append(_("Der Ort liegt außerhalb von %(name)s.") % {"name": municipality.name})
    if len(cells) > 4 and cells[4] and cells[4].casefold() not in neighbourhoods:
        problems.append(_("Unbekanntes Quartier „%(name)s“.") % {"name": cells[4]})
    return problems
