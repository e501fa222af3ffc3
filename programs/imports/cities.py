"""Find the same city under the spellings of different tables.

The tables name one city differently: スラバヤ / スラバヤ市 / "Surabaya City",
"Xam Neua (Sam Neua)" / "Xam Neua", "Palo, Leyte" / "Palo". A city is matched in its
country by its name as written without the suffix 市, 都 or 特別市, else by its English
name without "City", a bracketed alternative or the province after a comma. A match
must be unique; otherwise the caller decides (create, or report the row).
"""

from __future__ import annotations

import re

from programs.models import City, Country

_JA_SUFFIX = re.compile(r"(特別市|市|都)$")
_EN_BRACKETS = re.compile(r"\s*\([^()]*\)")
_EN_SUFFIX = re.compile(r"\s+(city|capital|metropolitan administration)$")


def ja_key(name: str) -> str:
    """Return a Japanese (or other original) city name without its administrative suffix."""
    return _JA_SUFFIX.sub("", name.strip().split("、")[0])


def en_key(name: str) -> str:
    """Return an English city name reduced to its core (lower case)."""
    name = _EN_BRACKETS.sub("", name).split(",")[0].strip().lower()
    return _EN_SUFFIX.sub("", name)


class CityBook:
    """The cities of the portal, looked up by country and either name."""

    def __init__(self) -> None:
        self.cities: list[City] = list(City.objects.select_related("country"))

    def find(self, country: Country, name_original: str, name_en: str) -> list[City]:
        """Return the cities of ``country`` that match either name (exact original first)."""
        in_country = [city for city in self.cities if city.country_id == country.pk]
        exact = [city for city in in_country if city.name_original == name_original]
        if exact:
            return exact
        by_ja = [city for city in in_country if ja_key(city.name_original) == ja_key(name_original)]
        if by_ja:
            return by_ja
        return [city for city in in_country if en_key(city.name_en) == en_key(name_en)]

    def add(self, city: City) -> None:
        self.cities.append(city)
