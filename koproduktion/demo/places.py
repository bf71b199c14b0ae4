"""The demo town's gazetteer: streets, squares and landmarks inside its area, read in through the
same CSV import as a town's staff use (name;kind;latitude;longitude;neighbourhood)."""

from __future__ import annotations

from koproduktion.accounts.models import User
from koproduktion.core.models import Municipality, Place
from koproduktion.core.services import places_import

MUSTERSTADT_PLACES = """\
Name;Art;Breitengrad;Längengrad;Quartier
Hafenallee;Straße;52.1305;9.3680;Am Hafen
Kaistraße;Straße;52.1298;9.3702;Am Hafen
Speicherstraße;Straße;52.1290;9.3660;Am Hafen
Werftweg;Straße;52.1278;9.3695;Am Hafen
Am Hafenbecken;Platz;52.1285;9.3731;Am Hafen
Hafenhaus;Ort;52.1293;9.3718;Am Hafen
Lindenstraße;Straße;52.1290;9.3610;Altstadt
Marktplatz;Platz;52.1232;9.3521;Altstadt
Kirchgasse;Straße;52.1240;9.3510;Altstadt
Mühlenstraße;Straße;52.1220;9.3490;Altstadt
Am Stadtgraben;Straße;52.1215;9.3545;Altstadt
St. Marien;Ort;52.1245;9.3530;Altstadt
Rathaus;Ort;52.1228;9.3515;Altstadt
Nordplatz;Platz;52.1450;9.3600;Nordstadt
Nordstraße;Straße;52.1420;9.3650;Nordstadt
Birkenweg;Straße;52.1435;9.3580;Nordstadt
Quartierstreff Nordstadt;Ort;52.1422;9.3652;Nordstadt
Schulzentrum Nord;Ort;52.1465;9.3625;Nordstadt
Bahnhofstraße;Straße;52.1360;9.3900;
Güterbahnhof;Ort;52.1400;9.4000;
Lindenpark;Ort;52.1300;9.3800;
"""


def seed_places() -> None:
    municipality = Municipality.objects.get(slug="musterstadt")
    if Place.objects.filter(municipality=municipality).exists():
        return
    places_import(
        actor=User.objects.get(email="admin@musterstadt.example"),
        municipality=municipality,
        data=MUSTERSTADT_PLACES.encode(),
    )
