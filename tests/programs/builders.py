"""Builders of the programme tests: the shared tables, edited copies, small records."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from programs.imports import default_data_dir
from programs.models import (
    City,
    Country,
    Event,
    Fund,
    FundingContribution,
    Organisation,
    Participation,
    Programme,
    Project,
)

SHARED_DATA = default_data_dir()


def copy_of_shared_data(tmp_path: Path) -> Path:
    """Return a writable copy of the shared programme tables."""
    target = tmp_path / "data"
    shutil.copytree(SHARED_DATA, target)
    for path in target.iterdir():
        path.chmod(0o644)
    return target


def edit_cell(directory: Path, name: str, line: int, column: str, value: str) -> None:
    """Set one cell of a table; ``line`` counts as an editor does (the header is line 1)."""
    path = directory / name
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = rows[0]
    rows[line - 1][header.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def drop_column(directory: Path, name: str, column: str) -> None:
    """Remove a column from a table."""
    path = directory / name
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    index = rows[0].index(column)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(
        [cells[:index] + cells[index + 1 :] for cells in rows]
    )
    path.write_text(out.getvalue(), encoding="utf-8")


def make_programme(code: str = "test-programme", published: bool = True, **fields) -> Programme:
    values = {"name_en": f"Programme {code}", "kind": "model_cities", "published": published}
    values.update(fields)
    return Programme.objects.create(code=code, **values)


def make_city(name_en: str = "Testville", country: str = "Thailand", published=True) -> City:
    country_row, _ = Country.objects.get_or_create(name_en=country, defaults={"published": True})
    return City.objects.create(
        country=country_row, name_original=name_en, name_en=name_en, published=published
    )


def make_participation(programme, city, year=1, published=True) -> Participation:
    return Participation.objects.create(
        programme=programme,
        city=city,
        country=city.country,
        programme_year=year,
        published=published,
    )


def make_project(programme, reference: str = "proposal-1", published=True, **fields) -> Project:
    values = {
        "kind": "other",
        "title_original": reference,
        "title_en": reference,
        "published": published,
    }
    values.update(fields)
    return Project.objects.create(programme=programme, reference=reference, **values)


def matrix_objects() -> dict[str, int]:
    """The programme rows of the permission matrix: a published and an unpublished record."""
    programme = make_programme("matrix-programme")
    hidden = make_programme("matrix-hidden", published=False)
    city = make_city("Matrix City")
    participation = make_participation(programme, city)
    project = make_project(programme, "matrix-project")
    organisation = Organisation.objects.create(
        code="ORG-M", name_original="M", name_en="Matrix Org", published=True
    )
    fund = Fund.objects.create(
        code="FUND-M",
        name_original="F",
        name_en="Matrix Fund",
        programme=programme,
        published=True,
    )
    event = Event.objects.create(
        code="EV-M", name_original="E", name_en="Matrix Event", status="held", published=True
    )
    contribution = FundingContribution.objects.create(
        fund=fund, economy=city.country, year=2010, amount=1, currency="USD", published=True
    )
    return {
        "programme_record": programme.pk,
        "hidden_programme": hidden.pk,
        "programme_city": city.pk,
        "programme_country": city.country_id,
        "programme_participation": participation.pk,
        "programme_project": project.pk,
        "programme_organisation": organisation.pk,
        "programme_fund": fund.pk,
        "programme_event": event.pk,
        "programme_contribution": contribution.pk,
    }
