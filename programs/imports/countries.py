"""Countries and economies the programme tables may name, and how each is spelt.

A country cell must name one of :data:`KNOWN_COUNTRIES` (or an alias of one), or a
country already recorded in the portal (officers add others): anything else is an
"unknown country" problem, so that a typing error never creates a new country.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from programs.imports.tables import Row
from programs.models import Country

# English names as the documents write them: ASEAN members, APEC member economies and
# the JCM's partner countries, plus the other countries the studies name.
KNOWN_COUNTRIES = (
    "Australia",
    "Bangladesh",
    "Brunei",
    "Cambodia",
    "Canada",
    "Chile",
    "China",
    "Costa Rica",
    "Ethiopia",
    "Hong Kong, China",
    "India",
    "Indonesia",
    "Japan",
    "Kenya",
    "Korea",
    "Lao PDR",
    "Malaysia",
    "Maldives",
    "Mexico",
    "Mongolia",
    "Myanmar",
    "New Zealand",
    "Palau",
    "Papua New Guinea",
    "Peru",
    "Philippines",
    "Russia",
    "Samoa",
    "Singapore",
    "Taiwan",
    "Thailand",
    "United States",
    "Viet Nam",
)
ALIASES = {
    "brunei darussalam": "Brunei",
    "chinese taipei": "Taiwan",
    "laos": "Lao PDR",
    "lao p.d.r.": "Lao PDR",
    "republic of korea": "Korea",
    "south korea": "Korea",
    "us": "United States",
    "usa": "United States",
    "united states of america": "United States",
    "vietnam": "Viet Nam",
}
_QUALIFIER = re.compile(r"\s*\([^()]*\)$")
_SEPARATORS = re.compile(r"\s*[/;]\s*")


class CountryBook:
    """Resolve country names to :class:`Country` rows, creating known ones on first use."""

    def __init__(self, store) -> None:
        self.store = store
        self.by_name = {country.name_en.lower(): country for country in Country.objects.all()}

    def _canonical(self, name: str) -> str | None:
        bare = _QUALIFIER.sub("", name.strip())  # "Malaysia (inferred)", "Samoa (islands)"
        lowered = bare.lower()
        if lowered in self.by_name:
            return self.by_name[lowered].name_en
        if lowered in ALIASES:
            return ALIASES[lowered]
        for known in KNOWN_COUNTRIES:
            if known.lower() == lowered:
                return known
        return None

    def get(
        self, row: Row, column: str, *, name_ja: str = "", name_zh: str = "", required=True
    ) -> Country | None:
        """Return the country named in ``row[column]``; a problem if it is unknown."""
        text = row.text(column, required)
        if not text:
            return None
        return self.resolve(row, column, text, name_ja=name_ja, name_zh=name_zh)

    def get_all(self, row: Row, column: str) -> list[Country]:
        """Return every country named in ``row[column]`` (``Thailand / Malaysia``)."""
        text = row.text(column, required=True)
        names = [part for part in _SEPARATORS.split(text) if part]
        countries = [self.resolve(row, column, name) for name in names]
        return [country for country in countries if country is not None]

    def resolve(self, row: Row, column: str, text: str, *, name_ja="", name_zh=""):
        """Return the country ``text`` names (a problem in ``row`` if it is unknown)."""
        name = self._canonical(text)
        if name is None:
            row.problem(column, _("“%(value)s” is not a known country.") % {"value": text})
            return None
        country = self.by_name.get(name.lower())
        values = {}
        if name_ja and (country is None or not country.name_ja):
            values["name_ja"] = name_ja
        if name_zh and (country is None or not country.name_zh):
            values["name_zh"] = name_zh
        if country is None or values:
            country = self.store.save(None, Country, {"name_en": name}, values)
            self.by_name[name.lower()] = country
        return country
