"""Import the programme tables of ``../shared/data`` (issue 7): all of them or nothing.

:func:`load_programme_data` reads every table in order, in one transaction. Rows are
matched by their natural key, so re-running updates and never duplicates. If any row of
any table has a problem (a missing column, a bad number or date, an unknown country,
a duplicate key), every problem is reported with its file, line and column and nothing
is saved (:class:`ImportFailed`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from programs.imports import activities, participation, projects, reference
from programs.imports.cities import CityBook
from programs.imports.context import LoadContext
from programs.imports.countries import CountryBook
from programs.imports.store import Store
from programs.imports.tables import Problem, Problems

DATA_DIR_VARIABLE = "PROGRAMME_DATA_DIR"

# In order: later loaders look up what earlier ones saved.
LOADERS = (
    reference.load_organisations,
    reference.load_programmes,
    reference.load_funds,
    reference.load_partner_countries,
    participation.load_model_cities,
    participation.load_case_studies,
    projects.load_lcmt_sites,
    projects.load_equipment_projects,
    projects.load_feasibility_studies,
    projects.load_registered_projects,
    participation.load_collaborations,
    activities.load_framework_items,
    activities.load_milestones,
    activities.load_contributions,
    activities.load_events,
    activities.load_key_figures,
)


class ImportFailed(Exception):
    """The tables have problems; nothing was saved."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the programme tables")


@dataclass(frozen=True)
class LoadReport:
    """What a successful load did: per kind of record, how many created, updated, unchanged."""

    directory: Path
    counts: dict[str, dict[str, int]]


def default_data_dir() -> Path:
    """Return ``$PROGRAMME_DATA_DIR``, else ``../shared/data`` beside the project."""
    configured = os.environ.get(DATA_DIR_VARIABLE, "").strip()
    if configured:
        return Path(configured)
    return Path(settings.BASE_DIR).parent / "shared" / "data"


def load_programme_data(directory: Path | str | None = None, actor=None) -> LoadReport:
    """Load every programme table from ``directory``; raise :class:`ImportFailed` on problems."""
    directory = Path(directory) if directory is not None else default_data_dir()
    problems = Problems()
    with transaction.atomic():
        store = Store(actor, problems)
        ctx = LoadContext(
            directory=directory,
            problems=problems,
            store=store,
            countries=CountryBook(store),
            cities=CityBook(),
        )
        for loader in LOADERS:
            loader(ctx)
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise ImportFailed(list(problems))
    counts = {label: dict(counter) for label, counter in store.counts.items()}
    return LoadReport(directory, counts)
