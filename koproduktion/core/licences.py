"""The open licences a town may publish its open data under (docs/open-data.md).

The town's admins choose one in the town's settings; the open data page, the ZIP's
``datapackage.json`` and its README name it with its address. Kept here, beside the
municipality, so that every app that publishes data can name the licence.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class OpenDataLicence(models.TextChoices):
    CC_BY_4 = "CC-BY-4.0", _("Creative Commons Namensnennung 4.0 (CC BY 4.0)")
    CC0 = "CC0-1.0", _("Creative Commons Zero 1.0 (CC0, gemeinfrei)")
    DL_DE_BY_2 = "DL-DE-BY-2.0", _("Datenlizenz Deutschland – Namensnennung – Version 2.0")
    DL_DE_ZERO_2 = "DL-DE-ZERO-2.0", _("Datenlizenz Deutschland – Zero – Version 2.0")


@dataclass(frozen=True)
class Licence:
    # The SPDX identifier (as Frictionless Data Packages name licences).
    name: str
    title: str
    path: str
    # Whether users must name the source (the town) when they use the data.
    attribution: bool


LICENCES: dict[str, Licence] = {
    OpenDataLicence.CC_BY_4: Licence(
        "CC-BY-4.0",
        "Creative Commons Attribution 4.0 International",
        "https://creativecommons.org/licenses/by/4.0/",
        True,
    ),
    OpenDataLicence.CC0: Licence(
        "CC0-1.0",
        "Creative Commons Zero v1.0 Universal",
        "https://creativecommons.org/publicdomain/zero/1.0/",
        False,
    ),
    OpenDataLicence.DL_DE_BY_2: Licence(
        "DL-DE-BY-2.0",
        "Datenlizenz Deutschland – Namensnennung – Version 2.0",
        "https://www.govdata.de/dl-de/by-2-0",
        True,
    ),
    OpenDataLicence.DL_DE_ZERO_2: Licence(
        "DL-DE-ZERO-2.0",
        "Datenlizenz Deutschland – Zero – Version 2.0",
        "https://www.govdata.de/dl-de/zero-2-0",
        False,
    ),
}


def licence_of(code: str) -> Licence:
    return LICENCES.get(code, LICENCES[OpenDataLicence.CC_BY_4])
