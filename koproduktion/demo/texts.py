"""What the demo's residents write, put together from parts: per project the things people ask
for, the places of the town they name, and the ways they argue. Deterministic for a given random
generator; nothing here is copied from anywhere."""

from __future__ import annotations

import random
from dataclasses import dataclass

from koproduktion.dialogue.models import Stance


@dataclass(frozen=True)
class Theme:
    """What people write about in one project."""

    # (how people name the place in a sentence, the gazetteer's name for it or "")
    places: tuple[tuple[str, str], ...]
    # (title with {place}, what is wrong, what should be done)
    wishes: tuple[tuple[str, str, str], ...]


STREET = (
    (
        "Querungshilfe {place}",
        "Hier kommt man zu Fuß kaum über die Straße",
        "Eine Mittelinsel oder ein Zebrastreifen mit Beleuchtung",
    ),
    (
        "Abstellanlage für Räder {place}",
        "Räder stehen an Laternen und Zäunen und versperren den Gehweg",
        "Zehn bis fünfzehn Anlehnbügel, gern überdacht",
    ),
    (
        "Bäume statt Parkplätze {place}",
        "Im Sommer heizt sich der Asphalt stark auf",
        "Ein paar Stellplätze durch Baumscheiben mit Sitzkanten ersetzen",
    ),
    (
        "Ladezone für die Geschäfte {place}",
        "Lieferwagen halten in zweiter Reihe und blockieren den Radverkehr",
        "Eine Ladezone, die vormittags gilt und nachmittags zum Parken frei ist",
    ),
    (
        "Bessere Beleuchtung {place}",
        "Abends ist es dort sehr dunkel, viele fühlen sich unsicher",
        "Hellere, warmweiße Leuchten in kürzeren Abständen",
    ),
    (
        "Breiterer Gehweg {place}",
        "Mit Kinderwagen oder Rollator muss man auf die Fahrbahn ausweichen",
        "Den Gehweg auf mindestens 2,50 m verbreitern",
    ),
    (
        "Abgesenkter Bordstein {place}",
        "Der Bordstein ist für Rollstühle und Rollatoren zu hoch",
        "Eine Bordsteinabsenkung mit taktilen Leitplatten",
    ),
    (
        "Lücke im Radnetz schließen {place}",
        "Kurz vor dem Ziel endet die gute Strecke plötzlich",
        "Die Fahrradstraße ein Stück weiterführen und die Einmündung klar markieren",
    ),
    (
        "Haltestellenkap für den Bus {place}",
        "Der Bus steht oft im Stau hinter parkenden Autos",
        "Haltestellen als Kap bauen, damit der Bus direkt halten kann",
    ),
    (
        "Sitzbänke {place}",
        "Ältere Menschen finden unterwegs keinen Platz zum Ausruhen",
        "Alle 200 Meter eine Bank mit Armlehne",
    ),
    (
        "Tempo kontrollieren {place}",
        "Viele fahren dort deutlich schneller als erlaubt",
        "Ein Dialog-Display und gelegentliche Kontrollen",
    ),
    (
        "Poller gegen Falschparken {place}",
        "Autos parken regelmäßig auf dem Radweg",
        "Flexible Poller oder eine bauliche Trennung",
    ),
)
SCHOOL = (
    (
        "Tempo 30 auch nachmittags {place}",
        "Die Kinder gehen nicht nur morgens, sondern auch nach der Betreuung nach Hause",
        "Tempo 30 ganztägig statt nur von 7 bis 17 Uhr",
    ),
    (
        "Elternhaltestelle {place}",
        "Elterntaxis halten direkt vor dem Tor und gefährden die Kinder",
        "Eine Elternhaltestelle 200 Meter entfernt, der Rest wird gelaufen",
    ),
    (
        "Schulstraße am Morgen {place}",
        "Morgens um kurz vor acht herrscht Chaos vor der Schule",
        "Die Straße für eine halbe Stunde am Morgen für Autos sperren",
    ),
    (
        "Schülerlotsen unterstützen {place}",
        "Die Lotsen stehen an einer unübersichtlichen Stelle",
        "Eine Markierung und ein Schild, das die Lotsen ankündigt",
    ),
    (
        "Sichtachsen freihalten {place}",
        "Parkende Transporter verdecken die Kinder am Straßenrand",
        "Halteverbot fünf Meter vor der Querung und Fahrradbügel als Sperre",
    ),
    (
        "Geschwindigkeitsmessung {place}",
        "Das Tempo-30-Schild wird oft übersehen",
        "Eine feste Messanlage oder ein Piktogramm auf der Fahrbahn",
    ),
    (
        "Sicherer Schulweg {place}",
        "Der Weg führt an einer Ausfahrt ohne Sicht vorbei",
        "Einen Spiegel anbringen und die Ausfahrt markieren",
    ),
    (
        "Zebrastreifen {place}",
        "Es gibt keine gesicherte Stelle zum Überqueren",
        "Einen Zebrastreifen mit Beleuchtung und Gehwegnase",
    ),
)
SQUARE = (
    (
        "Schatten {place}",
        "Im Sommer ist der Platz mittags leer, weil es keinen Schatten gibt",
        "Große Bäume oder Sonnensegel über den Sitzplätzen",
    ),
    (
        "Trinkbrunnen {place}",
        "An heißen Tagen gibt es nirgends kostenlos Wasser",
        "Ein Trinkbrunnen, der von April bis Oktober läuft",
    ),
    (
        "Wasserspiel für Kinder {place}",
        "Kinder haben auf dem Platz nichts zu tun",
        "Bodendüsen, die man im Winter abdecken kann",
    ),
    (
        "Weniger Autos {place}",
        "Der Platz ist vor allem ein Parkplatz",
        "Die Stellplätze ins Parkhaus verlegen und den Platz freigeben",
    ),
    (
        "Sitzstufen {place}",
        "Man kann sich nur in Cafés hinsetzen, nicht einfach so",
        "Breite Sitzstufen aus Holz, die nicht heiß werden",
    ),
    (
        "Wochenmarkt erhalten {place}",
        "Der Wochenmarkt darf bei der Umgestaltung nicht verloren gehen",
        "Stromanschlüsse und feste Standplätze für die Händler",
    ),
    (
        "Öffentliche Toilette {place}",
        "Die nächste Toilette ist im Rathaus und schließt um 16 Uhr",
        "Eine barrierefreie Toilette, die rund um die Uhr offen ist",
    ),
    (
        "Bühne für Straßenmusik {place}",
        "Kultur findet nur drinnen statt",
        "Eine kleine Fläche mit Stromanschluss für Musik und Feste",
    ),
    (
        "Fahrradstellplätze {place}",
        "Räder stehen überall verteilt",
        "Gebündelte Abstellplätze an den Zugängen",
    ),
)
BUDGET = (
    (
        "Bücherschrank {place}",
        "Es gibt keinen Ort zum Tauschen von Büchern",
        "Einen wetterfesten Bücherschrank, den eine Patin betreut",
    ),
    (
        "Hundekotbeutel-Spender {place}",
        "Die Wiesen sind voll mit Hundekot",
        "Spender und zusätzliche Mülleimer",
    ),
    (
        "Blühwiese {place}",
        "Die Rasenfläche wird ständig gemäht und ist ohne Leben",
        "Eine Blühwiese mit Schild, warum dort weniger gemäht wird",
    ),
    (
        "Tischtennisplatte {place}",
        "Jugendliche haben keinen Treffpunkt draußen",
        "Eine Tischtennisplatte und zwei Bänke",
    ),
    (
        "Reparaturstation für Fahrräder {place}",
        "Bei einem Platten steht man ohne Werkzeug da",
        "Eine Reparatursäule mit Pumpe und Werkzeug",
    ),
    (
        "Beleuchteter Weg {place}",
        "Der Weg ist nachts stockdunkel",
        "Bewegungsgesteuerte Leuchten, die Insekten schonen",
    ),
    (
        "Outdoor-Fitness {place}",
        "Sport draußen kostet überall Geld",
        "Drei robuste Geräte für alle Altersgruppen",
    ),
    (
        "Insektenhotel {place}",
        "Die Kinder der Kita wollen Insekten beobachten",
        "Ein großes Insektenhotel, gebaut mit der Kita",
    ),
)
MEETING = (
    (
        "Mittagstisch für Ältere {place}",
        "Viele Ältere essen allein",
        "Einmal pro Woche gemeinsam kochen und essen",
    ),
    (
        "Hausaufgabenhilfe {place}",
        "Viele Kinder haben zu Hause keinen ruhigen Platz",
        "Zwei Nachmittage in der Woche mit Ehrenamtlichen",
    ),
    (
        "Werkzeug zum Ausleihen {place}",
        "Nicht jeder braucht eine eigene Bohrmaschine",
        "Eine Leihbücherei für Werkzeug im Keller des Treffs",
    ),
    (
        "Sprachcafé {place}",
        "Neue Nachbarn finden schwer Anschluss",
        "Ein offenes Sprachcafé am Freitagnachmittag",
    ),
    (
        "Barrierefreier Zugang {place}",
        "Die Stufe am Eingang ist ein Hindernis",
        "Eine Rampe und eine Klingel in Sitzhöhe",
    ),
    (
        "Gemeinschaftsgarten {place}",
        "Der Hof hinter dem Treff liegt brach",
        "Hochbeete, die Nachbarn gemeinsam pflegen",
    ),
)
VILLAGE = (
    (
        "Frische Brötchen {place}",
        "Der nächste Bäcker ist acht Kilometer entfernt",
        "Eine Brötchentheke am Morgen, beliefert vom Bäcker aus dem Nachbarort",
    ),
    (
        "Café-Ecke {place}",
        "Es gibt im Ort keinen Ort mehr, an dem man sich trifft",
        "Drei Tische und Kaffee, damit der Laden auch Treffpunkt wird",
    ),
    (
        "Regionale Produkte {place}",
        "Die Höfe verkaufen nur ab Hof",
        "Ein Regal mit Eiern, Honig und Kartoffeln von hier",
    ),
    (
        "Lieferdienst für Ältere {place}",
        "Wer nicht mehr Auto fährt, kommt nicht zum Einkaufen",
        "Ehrenamtliche bringen die Bestellungen einmal in der Woche",
    ),
    ("Paketannahme {place}", "Pakete landen irgendwo beim Nachbarn", "Eine Paketannahme im Laden"),
    (
        "Öffnungszeiten am Samstag {place}",
        "Berufstätige schaffen es unter der Woche nicht",
        "Samstags bis 14 Uhr öffnen",
    ),
    (
        "Mitfahrbank zum Dorfladen {place}",
        "Ohne Auto kommt man kaum zum Laden",
        "Eine Mitfahrbank, an der Nachbarn einander mitnehmen",
    ),
    (
        "Genossenschaftsanteile für alle {place}",
        "Nicht jeder kann 500 Euro auf einmal zahlen",
        "Anteile ab 100 Euro, auch in Raten",
    ),
)

THEMES = {
    "fahrradstrasse-hafenallee": Theme(
        (
            ("an der Hafenallee", "Hafenallee"),
            ("in der Kaistraße", "Kaistraße"),
            ("in der Speicherstraße", "Speicherstraße"),
            ("am Werftweg", "Werftweg"),
            ("an der Lindenstraße", "Lindenstraße"),
            ("am Hafenbecken", "Am Hafenbecken"),
        ),
        STREET,
    ),
    "tempo-30-vor-schulen": Theme(
        (
            ("an der Grundschule am Hafen", "Speicherstraße"),
            ("am Schulzentrum Nord", "Schulzentrum Nord"),
            ("an der Kita Birkenweg", "Birkenweg"),
            ("an der Grundschule St. Marien", "St. Marien"),
            ("in der Mühlenstraße", "Mühlenstraße"),
            ("in der Nordstraße", "Nordstraße"),
        ),
        SCHOOL,
    ),
    "neugestaltung-marktplatz": Theme(
        (
            ("auf dem Marktplatz", "Marktplatz"),
            ("vor St. Marien", "St. Marien"),
            ("vor dem Rathaus", "Rathaus"),
            ("an der Kirchgasse", "Kirchgasse"),
        ),
        SQUARE,
    ),
    "buergerhaushalt-2027": Theme(
        (
            ("im Lindenpark", "Lindenpark"),
            ("am Birkenweg", "Birkenweg"),
            ("am Werftweg", "Werftweg"),
            ("an der Bahnhofstraße", "Bahnhofstraße"),
            ("am Nordplatz", "Nordplatz"),
            ("am Stadtgraben", "Am Stadtgraben"),
        ),
        BUDGET,
    ),
    "quartierstreff-nordstadt": Theme(
        (
            ("im Quartierstreff", "Quartierstreff Nordstadt"),
            ("am Nordplatz", "Nordplatz"),
            ("am Birkenweg", "Birkenweg"),
        ),
        MEETING,
    ),
    "dorfladen": Theme(
        (("im Oberdorf", ""), ("im Unterdorf", ""), ("am Dorfplatz", "")),
        VILLAGE,
    ),
}

OPENINGS = (
    "Ich wohne seit Jahren hier und sehe das jeden Tag.",
    "Mir ist das auf dem Weg zur Arbeit aufgefallen.",
    "Als Mutter von zwei Kindern beschäftigt mich das sehr.",
    "Wir haben das im Haus besprochen, alle sehen es so.",
    "Seit dem letzten Winter ist es schlimmer geworden.",
    "",
    "",
)
REASONS = (
    "Das würde vor allem Kindern und Älteren helfen.",
    "Andere Städte machen das längst, und es funktioniert.",
    "Es kostet nicht viel und wirkt sofort.",
    "Dann würden auch mehr Leute zu Fuß oder mit dem Rad kommen.",
    "So bleibt die Gegend lebendig.",
    "Bitte prüfen Sie das vor dem nächsten Sommer.",
)
BULLETS = (
    "morgens zwischen 7 und 8 Uhr",
    "nachmittags, wenn die Betreuung endet",
    "am Wochenende beim Markt",
    "bei Regen und im Dunkeln",
    "wenn Veranstaltungen sind",
    "im Sommer zur Mittagszeit",
)

COMMENTS = {
    Stance.PRO: (
        "Unbedingt! Das fehlt hier seit Jahren.",
        "Sehe ich genauso, ich komme dort jeden Tag vorbei.",
        "Gute Idee. Das gilt übrigens auch {place}.",
        "Das würde meinem Vater mit dem Rollator sehr helfen.",
        "Ja, und am besten noch vor dem Sommer.",
        "Endlich sagt es mal jemand. Volle Unterstützung.",
        "Wir haben im Haus Unterschriften gesammelt, alle sind dafür.",
        "Das habe ich in einer anderen Stadt gesehen, es funktioniert **sehr gut**.",
    ),
    Stance.CONTRA: (
        "Ich sehe das skeptisch: Wer soll das bezahlen?",
        "Das verlagert das Problem nur in die Nebenstraßen.",
        "Dafür fallen Parkplätze weg, die wir dringend brauchen.",
        "Klingt gut, aber {place} ist dafür kein Platz.",
        "Ich halte das für übertrieben, so schlimm ist es dort nicht.",
        "Lieber erst die vorhandenen Wege reparieren.",
    ),
    Stance.QUESTION: (
        "Gibt es dazu schon Zahlen von der Stadt?",
        "Wie soll das mit dem Lieferverkehr funktionieren?",
        "Ist das mit dem Winterdienst abgestimmt?",
        "Wer kümmert sich danach um die Pflege?",
        "Was würde das ungefähr kosten?",
    ),
    Stance.NEUTRAL: (
        "Ich war gestern dort: Heute war es ruhig, aber am Wochenende sieht es anders aus.",
        "Vielleicht kann man das erst einmal ein halbes Jahr ausprobieren?",
        "Beim Workshop im Hafenhaus wurde das auch besprochen.",
        "Ein ähnliches Problem gibt es übrigens {place}.",
    ),
}
REPLIES = (
    (Stance.NEUTRAL, "Danke für den Hinweis, das wusste ich nicht."),
    (Stance.PRO, "Genau das meine ich."),
    (Stance.CONTRA, "Da muss ich widersprechen: Gerade abends ist es dort voll."),
    (Stance.NEUTRAL, "Die Zahlen würden mich auch interessieren."),
    (Stance.QUESTION, "Hast du das selbst gesehen oder gehört?"),
    (Stance.PRO, "Stimmt, die Idee mit der Probephase finde ich gut."),
    (Stance.NEUTRAL, "Vielleicht kann die Verwaltung dazu etwas sagen?"),
    (Stance.CONTRA, "Das sehe ich anders, aber lass uns sachlich bleiben."),
)
OFFICIAL = (
    "Vielen Dank für Ihre Idee. Wir prüfen sie gemeinsam mit der Verkehrsplanung und melden uns "
    "hier bis Ende des Monats.",
    "Danke! Die Idee ist in die Planung aufgenommen. Ob sie umgesetzt wird, entscheidet der "
    "Ausschuss; wir berichten hier.",
    "Das ist an dieser Stelle leider nicht möglich, weil dort Leitungen im Boden liegen. Wir "
    "prüfen einen Standort in der Nähe.",
    "Danke für den Hinweis. Wir haben das an den zuständigen Bereich weitergegeben und melden "
    "uns hier mit dem Ergebnis.",
)
QUESTION_ANSWERS = (
    "Danke für die Frage. Die Zahlen aus der Verkehrszählung stehen in den Unterlagen des "
    "Vorhabens; wir ergänzen sie nach der nächsten Messung.",
    "Die Kosten schätzen wir, sobald die Planung steht. Wir melden uns hier.",
    "Der Winterdienst ist eingebunden; die Pflege übernimmt der Bauhof.",
    "Lieferverkehr bleibt möglich, vormittags mit eigenen Ladezonen.",
)
STATUS_REASONS = {
    "accepted": "Die Idee wird in die Planung übernommen.",
    "rejected": "An dieser Stelle ist das aus Platzgründen nicht möglich.",
    "answered": "Die Verwaltung hat die Frage unten beantwortet.",
}


def idea_choices(rng: random.Random, theme: Theme, count: int) -> list[tuple[int, int]]:
    """``count`` different (wish, place) pairs, so that no title is there twice."""
    pairs = [(w, p) for w in range(len(theme.wishes)) for p in range(len(theme.places))]
    rng.shuffle(pairs)
    return pairs[:count]


def idea_text(rng: random.Random, theme: Theme, wish: int, place: int) -> tuple[str, str]:
    """(title, text) of one idea, from one sentence to a few with a Markdown list."""
    title, problem, proposal = theme.wishes[wish]
    phrase = theme.places[place][0]
    length = rng.random()
    text = f"{problem}. {proposal}."
    if length > 0.35:
        text = f"{rng.choice(OPENINGS)} {text} {rng.choice(REASONS)}".strip()
    if length > 0.8:
        chosen = rng.sample(BULLETS, 3)
        text += "\n\n**Besonders schlimm ist es:**\n\n" + "\n".join(f"- {b}" for b in chosen)
    return title.format(place=phrase), text


def comment_text(rng: random.Random, theme: Theme, stance: Stance) -> str:
    return rng.choice(COMMENTS[stance]).format(place=rng.choice(theme.places)[0])


def reply_text(rng: random.Random) -> tuple[Stance, str]:
    return rng.choice(REPLIES)
