"""What a Polis import's problems and notices say to staff, in their language.

The same codes as ``polis_problems`` (English there, for the command line); a test checks that
every code has its sentence here. Problems are stored as plain data (``importer.problem_dict``),
so the page says them in the language of whoever looks.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MESSAGES = {
    # errors
    "not_a_directory": gettext_lazy("Kein Verzeichnis."),
    "missing_comments": gettext_lazy("Die Datei comments.csv (die Thesen) fehlt im Export."),
    "missing_votes": gettext_lazy(
        "Die Stimmen fehlen: weder votes.csv noch participants-votes.csv ist im Export."
    ),
    "duplicate_file": gettext_lazy("Zwei Dateien für %(role)s: %(first)s und %(second)s."),
    "empty_file": gettext_lazy("Die Datei ist leer (nicht einmal eine Kopfzeile)."),
    "not_text": gettext_lazy("Das ist keine CSV-Textdatei (sie enthält ein Null-Byte)."),
    "not_utf8": gettext_lazy(
        "Kein UTF-8-Text (Byte %(byte)s ist nicht lesbar). Bitte speichern Sie die Datei als UTF-8."
    ),
    "malformed_csv": gettext_lazy("Kein gültiges CSV (%(detail)s)."),
    "field_too_large": gettext_lazy("Ein Feld ist länger als %(limit)s Zeichen."),
    "too_many_columns": gettext_lazy("Mehr als %(limit)s Spalten."),
    "missing_column": gettext_lazy("Die Spalte „%(name)s“ fehlt."),
    "duplicate_column": gettext_lazy("Die Spalte „%(name)s“ kommt zweimal vor."),
    "field_count": gettext_lazy("%(expected)s Felder erwartet, %(found)s gefunden."),
    "not_integer": gettext_lazy("„%(value)s“ ist keine ganze Zahl."),
    "bad_vote": gettext_lazy("„%(value)s“ ist keine Stimme (erlaubt sind -1, 0 und 1)."),
    "bad_moderated": gettext_lazy(
        "„%(value)s“ ist kein Moderationsstand (erlaubt sind -1, 0 und 1)."
    ),
    "bad_flag": gettext_lazy("„%(value)s“ ist weder „true“ noch „false“."),
    "duplicate_comment": gettext_lazy("Die comment-id %(id)s kommt zweimal vor."),
    "duplicate_participant": gettext_lazy("Teilnehmende*r %(id)s kommt zweimal vor."),
    "text_too_long": gettext_lazy(
        "Der Wert hat %(length)s Zeichen, höchstens %(limit)s sind möglich."
    ),
    "file_too_large": gettext_lazy("Die Datei ist entpackt größer als %(limit)s."),
    "export_too_large": gettext_lazy("Der Export ist entpackt größer als %(limit)s."),
    "convention_mismatch": gettext_lazy(
        "Die Stimmen sind in einer anderen Vorzeichen-Konvention angegeben (%(declared)s); "
        "Polis-Exporte verwenden agree=+1;disagree=-1;pass=0."
    ),
    "convention_malformed": gettext_lazy(
        "Die Angabe der Vorzeichen-Konvention ist nicht lesbar (%(declared)s)."
    ),
    "not_a_zip": gettext_lazy("Das ist kein ZIP-Archiv."),
    "zip_encrypted": gettext_lazy("Das ZIP-Archiv ist verschlüsselt."),
    "zip_too_many_files": gettext_lazy("Das ZIP-Archiv enthält mehr als %(limit)s Dateien."),
    "zip_unreadable": gettext_lazy("Das ZIP-Archiv ist beschädigt (%(detail)s)."),
    "unknown_file": gettext_lazy(
        "Diese Datei gehört nicht zu einem Polis-Export (erwartet: comments.csv, votes.csv, "
        "participants-votes.csv oder ein ZIP-Archiv mit ihnen)."
    ),
    # notices
    "vote_on_unknown_statement": gettext_lazy(
        "Stimme zu einer These, die nicht in comments.csv steht (comment-id %(id)s): Zeile "
        "übersprungen."
    ),
    "column_of_unknown_statement": gettext_lazy(
        "Die comment-id dieser Spalte steht nicht in comments.csv: Spalte übersprungen."
    ),
    "column_ignored": gettext_lazy("Die Spalte wird nicht gebraucht."),
    "file_ignored": gettext_lazy("Die Datei wird nicht gebraucht."),
    "empty_votes_file": gettext_lazy("Die Datei ist leer: die Stimmen kommen aus %(other)s."),
    "participant_without_votes": gettext_lazy(
        "Teilnehmende*r %(id)s hat keine Stimmen: Zeile übersprungen."
    ),
    "timestamps_in_seconds": gettext_lazy(
        "Die Zeitstempel sind in Sekunden angegeben (neuere Polis-Exporte) und wurden so gelesen."
    ),
    "sign_flipped": gettext_lazy(
        "Zustimmung und Ablehnung sind in %(count)s von %(total)s Stimmen gegenüber "
        "%(other)s vertauscht (Export einer älteren Polis-Version); gelesen mit dem Vorzeichen "
        "von %(other)s."
    ),
    "votes_differ": gettext_lazy(
        "%(count)s von %(total)s letzten Stimmen weichen von %(other)s ab; verwendet werden "
        "die Stimmen dieser Datei (mit ihren Zeitpunkten)."
    ),
    "convention_declared": gettext_lazy(
        "Die Stimmen sind als agree=+1;disagree=-1;pass=0 ausgewiesen."
    ),
    # the import as a whole
    "not_empty": gettext_lazy(
        "Dieses Meinungsbild hat schon Thesen. Ein Polis-Export kann nur in ein leeres "
        "Meinungsbild importiert werden."
    ),
    "internal": gettext_lazy(
        "Der Import ist an einem Fehler der Plattform gescheitert; es wurde nichts gespeichert. "
        "Die Betreiber*innen sind benachrichtigt."
    ),
}


def where(problem: dict[str, Any]) -> str:
    """``votes.csv, Zeile 12, Spalte 5 („vote“)``: where a problem is, as far as known."""
    parts = [problem["file"]] if problem.get("file") else []
    if problem.get("line") is not None:
        parts.append(_("Zeile %(line)s") % {"line": problem["line"]})
    if problem.get("column") is not None:
        column = _("Spalte %(column)s") % {"column": problem["column"]}
        if problem.get("column_name"):
            column += f" („{problem['column_name']}“)"
        parts.append(column)
    return ", ".join(parts)


def describe(problem: dict[str, Any]) -> str:
    """The problem in a sentence: what it is, without where."""
    message = MESSAGES.get(problem["code"], MESSAGES["internal"])
    try:
        return str(message) % problem.get("detail", {})
    except (KeyError, TypeError, ValueError):
        return str(message)


def full(problem: dict[str, Any]) -> str:
    place = where(problem)
    return f"{place}: {describe(problem)}" if place else describe(problem)
