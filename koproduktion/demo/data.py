"""The demo towns: believable, fictional, in every phase of the cycle."""

from __future__ import annotations

from koproduktion.core.roles import Role
from koproduktion.projects.capabilities import PhaseKind

DEMO_PASSWORD = "Koproduktion-Demo"  # noqa: S105 - published in the README on purpose

MUNICIPALITIES = [
    {
        "slug": "musterstadt",
        "name": "Musterstadt",
        "description": (
            "Eine Mittelstadt mit 48.000 Einwohner*innen am Fluss: Altstadt, Nordstadt und das "
            "alte Hafenviertel wandeln sich. Hier planen Verwaltung, Bürgerschaft und Vereine "
            "gemeinsam."
        ),
        "website": "https://musterstadt.example",
        # Two ideas reach it and go on the council's agenda, one falls just short (conversation.py).
        "support_quorum": 40,
        "neighbourhoods": [
            ("altstadt", "Altstadt", "Fachwerk, Marktplatz und enge Gassen rund um St. Marien."),
            (
                "nordstadt",
                "Nordstadt",
                "Wohnquartier der 1960er-Jahre mit viel Grün und jungen Familien.",
            ),
            (
                "am-hafen",
                "Am Hafen",
                "Ehemaliges Hafen- und Gewerbegebiet, das zum Wohnquartier wird.",
            ),
        ],
        "departments": [
            ("Stadtplanung", "stadtplanung@musterstadt.example", "05555 100-610"),
            ("Tiefbau und Verkehr", "verkehr@musterstadt.example", "05555 100-660"),
            ("Grünflächen und Umwelt", "gruen@musterstadt.example", "05555 100-670"),
            ("Soziales und Wohnen", "soziales@musterstadt.example", "05555 100-500"),
            ("Bürgerbeteiligung", "beteiligung@musterstadt.example", "05555 100-150"),
        ],
        "topics": [
            ("mobilitaet", "Mobilität"),
            ("wohnen", "Wohnen"),
            ("oeffentlicher-raum", "Öffentlicher Raum"),
        ],
        "organisations": [
            ("Bürgerverein Altstadt e.V.", "association"),
            ("Initiative Radentscheid Musterstadt", "initiative"),
            ("Ev. Kirchengemeinde Nordstadt", "religious"),
            ("Hafen-Wohnungsgenossenschaft eG", "company"),
            ("Grundschule am Hafen", "school"),
        ],
        # The public profiles of the organisations above (app actors): description,
        # neighbourhoods, topics, public contact.
        "profiles": {
            "Bürgerverein Altstadt e.V.": (
                "Seit 1972 für eine lebendige Altstadt: Stadtteilfeste, Patenschaften für "
                "Bäume und Beete, Nachbarschaftshilfe. Neue Mitglieder sind willkommen!",
                ["altstadt", "nordstadt"],
                ["oeffentlicher-raum"],
                ("kontakt@buergerverein-altstadt.example", "05555 2345", "Marktgasse 4"),
            ),
            "Initiative Radentscheid Musterstadt": (
                "Wir setzen uns für sichere Radwege ein – für alle von 8 bis 88.",
                ["am-hafen", "altstadt"],
                ["mobilitaet"],
                ("hallo@radentscheid-musterstadt.example", "", ""),
            ),
            "Ev. Kirchengemeinde Nordstadt": (
                "Gottesdienste, Seniorentreff, Mittagstisch und ein offenes Gemeindehaus für "
                "das ganze Quartier.",
                ["nordstadt"],
                ["wohnen"],
                ("", "05555 3456", "Kirchplatz 1"),
            ),
            "Hafen-Wohnungsgenossenschaft eG": (
                "Bezahlbares Wohnen am Hafen, mit Gemeinschaftsräumen für die Nachbarschaft.",
                ["am-hafen"],
                ["wohnen"],
                ("", "", "Kaistraße 10"),
            ),
            "Grundschule am Hafen": (
                "Grundschule mit 240 Kindern. Unsere Klassen gestalten den Schulweg und den "
                "Pausenhof mit.",
                ["am-hafen"],
                ["mobilitaet", "oeffentlicher-raum"],
                ("sekretariat@gs-am-hafen.example", "05555 4567", "Hafenallee 30"),
            ),
        },
        "projects": [
            {
                "slug": "fahrradstrasse-hafenallee",
                "title": "Fahrradstraße Hafenallee",
                "summary": "Die Hafenallee wird zur Fahrradstraße: sicher zur Schule und zur Arbeit.",
                "description": (
                    "Die Hafenallee verbindet das neue Hafenquartier mit der Innenstadt. Täglich "
                    "fahren hier über 3.000 Radfahrende.\n\n"
                    "**Was wir vorhaben:** eine Fahrradstraße mit Vorrang für den Radverkehr, "
                    "neue Bäume und sichere Querungen.\n\n"
                    "**Wozu wir Sie fragen:** Wo fehlen Querungen? Wo soll geparkt werden?"
                ),
                "plain_summary": (
                    "Die Hafenallee soll eine Fahrradstraße werden.\n\n"
                    "Dann haben Fahrräder dort Vorrang. Autos dürfen weiter fahren, aber langsam.\n\n"
                    "Es kommen neue Bäume dazu. Und sichere Stellen zum Überqueren.\n\n"
                    "Wir fragen Sie: Wo fehlt etwas? Schreiben Sie uns Ihre Idee."
                ),
                "phase": PhaseKind.DIALOGUE,
                "topic": "mobilitaet",
                "neighbourhood": "am-hafen",
                "department": "Tiefbau und Verkehr",
                "cost_eur": 850_000,
                "decision_in_days": 90,
                "timeline": [
                    (PhaseKind.INFORMATION, -150, -121),
                    (PhaseKind.DIALOGUE, -120, 40),
                    (PhaseKind.DECISION, 41, 90),
                    (PhaseKind.IMPLEMENTATION, 120, 400),
                ],
                "documents": [
                    (
                        "Verkehrszählung 2026 (PDF)",
                        "https://musterstadt.example/docs/zaehlung-2026.pdf",
                    )
                ],
            },
            {
                "slug": "tempo-30-vor-schulen",
                "title": "Tempo 30 vor allen Schulen",
                "summary": "Vor jeder Schule und Kita soll Tempo 30 gelten – wo genau, entscheiden wir gemeinsam.",
                "description": "Elternbeiräte haben 1.200 Unterschriften gesammelt. Wir prüfen alle 14 Standorte.",
                "phase": PhaseKind.DIALOGUE,
                "topic": "mobilitaet",
                "neighbourhood": None,
                "department": "Tiefbau und Verkehr",
                "cost_eur": 60_000,
                "decision_in_days": 45,
                "timeline": [
                    (PhaseKind.INFORMATION, -75, -61),
                    (PhaseKind.DIALOGUE, -60, 30),
                    (PhaseKind.DECISION, 31, 45),
                ],
                "documents": [],
            },
            {
                "slug": "neugestaltung-marktplatz",
                "title": "Neugestaltung Marktplatz",
                "summary": "Mehr Schatten, mehr Sitzplätze, weniger Autos: drei Entwürfe stehen zur Wahl.",
                # {ideas} and {options}: filled in from the seeded data (numbers.py).
                "description": "Aus {ideas} Ideen sind {options} Entwürfe entstanden. Der Rat "
                "entscheidet im Frühjahr.",
                "phase": PhaseKind.DECISION,
                # Created in its dialogue phase, to gather its ideas, and brought on from there.
                "seeded_in": PhaseKind.DIALOGUE,
                "topic": "oeffentlicher-raum",
                "neighbourhood": "altstadt",
                "department": "Stadtplanung",
                "cost_eur": 2_400_000,
                "decision_in_days": 30,
                "timeline": [
                    (PhaseKind.INFORMATION, -300, -240),
                    (PhaseKind.DIALOGUE, -239, -60),
                    (PhaseKind.DECISION, -59, 30),
                    (PhaseKind.IMPLEMENTATION, 180, 720),
                ],
                "documents": [
                    ("Die drei Entwürfe", "https://musterstadt.example/marktplatz/entwuerfe")
                ],
            },
            {
                "slug": "quartierstreff-nordstadt",
                "title": "Quartierstreff Nordstadt",
                "summary": "Im alten Ladenlokal entsteht ein Treffpunkt – gebaut und betrieben mit den Nachbar*innen.",
                "description": "Kirchengemeinde, Verein und Stadt bauen gemeinsam um. Helfende Hände sind willkommen.",
                "phase": PhaseKind.IMPLEMENTATION,
                "seeded_in": PhaseKind.DIALOGUE,
                "topic": "oeffentlicher-raum",
                "neighbourhood": "nordstadt",
                "department": "Soziales und Wohnen",
                # The conversion of the old shop is planned with the planning department.
                "involved": ["Stadtplanung"],
                "cost_eur": 180_000,
                "decision_in_days": None,
                "timeline": [
                    (PhaseKind.INFORMATION, -400, -360),
                    (PhaseKind.DIALOGUE, -359, -250),
                    (PhaseKind.DECISION, -249, -200),
                    (PhaseKind.IMPLEMENTATION, -199, 60),
                ],
                "documents": [],
            },
            {
                "slug": "wohnen-am-gueterbahnhof",
                "title": "Bezahlbares Wohnen am Güterbahnhof",
                "summary": "Auf der Brache am Güterbahnhof sollen 400 Wohnungen entstehen, ein Drittel gefördert.",
                "description": "Wir informieren über den Rahmenplan. Der Dialog beginnt im Frühjahr.",
                "phase": PhaseKind.INFORMATION,
                "topic": "wohnen",
                "neighbourhood": "nordstadt",
                "department": "Stadtplanung",
                "cost_eur": None,
                "decision_in_days": 200,
                "timeline": [(PhaseKind.INFORMATION, -14, 60), (PhaseKind.DIALOGUE, 61, 150)],
                "documents": [
                    ("Rahmenplan Güterbahnhof", "https://musterstadt.example/gueterbahnhof")
                ],
            },
            {
                "slug": "spielplatz-lindenpark",
                "title": "Spielplatz im Lindenpark",
                "summary": "Gemeinsam mit Kindern geplant und gebaut – jetzt fragen wir: Wie ist er geworden?",
                "description": "Der Spielplatz ist seit dem Sommer offen. Sagen Sie uns, was gut ist und was fehlt.",
                "phase": PhaseKind.EVALUATION,
                "topic": "oeffentlicher-raum",
                "neighbourhood": "altstadt",
                "department": "Grünflächen und Umwelt",
                "cost_eur": 320_000,
                "decision_in_days": None,
                "timeline": [
                    (PhaseKind.INFORMATION, -700, -650),
                    (PhaseKind.DIALOGUE, -649, -560),
                    (PhaseKind.DECISION, -559, -500),
                    (PhaseKind.IMPLEMENTATION, -499, -120),
                    (PhaseKind.EVALUATION, -119, 30),
                ],
                "documents": [],
            },
            {
                "slug": "buergerhaushalt-2027",
                "title": "Bürgerhaushalt 2027",
                "summary": "150.000 Euro für Vorschläge aus der Bürgerschaft – Sie entscheiden, was umgesetzt wird.",
                "description": (
                    "Aus {ideas} Vorschlägen hat die Verwaltung {options} geprüft und ihre Kosten "
                    "geschätzt. "
                    "Wählen Sie die Vorschläge, die Ihnen am wichtigsten sind – zusammen dürfen sie "
                    "das Budget nicht übersteigen."
                ),
                "phase": PhaseKind.DECISION,
                "seeded_in": PhaseKind.DIALOGUE,
                "topic": "oeffentlicher-raum",
                "neighbourhood": None,
                "department": "Bürgerbeteiligung",
                "cost_eur": 150_000,
                "decision_in_days": 21,
                "timeline": [
                    (PhaseKind.DIALOGUE, -120, -30),
                    (PhaseKind.DECISION, -7, 21),
                    (PhaseKind.IMPLEMENTATION, 60, 400),
                ],
                "documents": [],
            },
            {
                "slug": "mehrgenerationenhaus-alte-schule",
                "title": "Mehrgenerationenwohnen in der Alten Schule",
                "summary": "Entwurf: Die Alte Schule könnte gemeinschaftliches Wohnen für Jung und Alt werden.",
                "description": "Noch nicht öffentlich – die Verwaltung bereitet die Information vor.",
                "phase": PhaseKind.INFORMATION,
                "topic": "wohnen",
                "neighbourhood": "altstadt",
                "department": "Soziales und Wohnen",
                "cost_eur": 4_100_000,
                "decision_in_days": None,
                "timeline": [],
                "documents": [],
                "draft": True,
            },
        ],
        "people": [
            ("buergerin@musterstadt.example", "Lena aus der Altstadt", Role.RESIDENT, None, []),
            (
                "verein@musterstadt.example",
                "Bürgerverein Altstadt",
                Role.ORGANISATION,
                "Bürgerverein Altstadt e.V.",
                [],
            ),
            (
                "kirche@musterstadt.example",
                "Gemeindebüro Nordstadt",
                Role.ORGANISATION,
                "Ev. Kirchengemeinde Nordstadt",
                [],
            ),
            (
                "schule@musterstadt.example",
                "Grundschule am Hafen",
                Role.ORGANISATION,
                "Grundschule am Hafen",
                [],
            ),
            (
                "verwaltung@musterstadt.example",
                "Stadtplanung Musterstadt",
                Role.STAFF,
                None,
                ["Stadtplanung", "Tiefbau und Verkehr"],
            ),
            (
                "koordination@musterstadt.example",
                "Bürgerbeteiligung Musterstadt",
                Role.COORDINATION,
                None,
                [],
            ),
            ("moderation@musterstadt.example", "Moderation Musterstadt", Role.MODERATOR, None, []),
            ("rat@musterstadt.example", "Ratsfrau Yılmaz", Role.COUNCIL, None, []),
            ("ratsbuero@musterstadt.example", "Ratsbüro Musterstadt", Role.CLERK, None, []),
            ("admin@musterstadt.example", "Admin Musterstadt", Role.ADMIN, None, []),
        ],
    },
    {
        "slug": "beispielheim",
        "name": "Beispielheim",
        "description": "Eine Landgemeinde mit drei Ortsteilen, die ihr Dorfzentrum neu belebt.",
        "website": "",
        "neighbourhoods": [
            ("oberdorf", "Oberdorf", ""),
            ("unterdorf", "Unterdorf", ""),
        ],
        "departments": [("Bauamt", "bauamt@beispielheim.example", "")],
        "topics": [("oeffentlicher-raum", "Öffentlicher Raum"), ("mobilitaet", "Mobilität")],
        "organisations": [("Dorfverein Beispielheim", "association")],
        "projects": [
            {
                "slug": "dorfladen",
                "title": "Ein Dorfladen für Beispielheim",
                "summary": "Die Gemeinde und der Dorfverein prüfen einen genossenschaftlichen Dorfladen.",
                "description": "",
                "phase": PhaseKind.DIALOGUE,
                "topic": "oeffentlicher-raum",
                "neighbourhood": "oberdorf",
                "department": "Bauamt",
                "cost_eur": 90_000,
                "decision_in_days": 60,
                "timeline": [(PhaseKind.DIALOGUE, -10, 50)],
                "documents": [],
            },
        ],
        "people": [
            (
                "verwaltung@beispielheim.example",
                "Bauamt Beispielheim",
                Role.STAFF,
                None,
                ["Bauamt"],
            ),
        ],
    },
]

PLATFORM_ADMIN = ("plattform@koproduktion.example", "Plattform-Admin")
