"""What the loaders of one run share: the directory, problems, writes and lookups."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from programs.imports.cities import CityBook
from programs.imports.countries import CountryBook
from programs.imports.store import Store
from programs.imports.tables import Problems, Table
from programs.models import Fund, Organisation, Programme, Project


@dataclass
class LoadContext:
    """The state of one load, passed from loader to loader in order."""

    directory: Path
    problems: Problems
    store: Store
    countries: CountryBook
    cities: CityBook
    programmes: dict[str, Programme] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    funds: dict[str, Fund] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)

    def table(self, name: str, columns: tuple[str, ...]) -> Table:
        self.tables[name] = Table(self.directory, name, columns, self.problems)
        return self.tables[name]

    def is_broken(self, name: str) -> bool:
        """Return whether a table could not be read at all (its problem is reported once)."""
        table = self.tables.get(name)
        return table is not None and table.broken

    def organisation_named(self, name_en: str) -> Organisation | None:
        """Return the organisation with this English name, if the organisations list has it."""
        wanted = name_en.strip().lower()
        for organisation in self.organisations.values():
            if organisation.name_en.lower() == wanted:
                return organisation
        return None
