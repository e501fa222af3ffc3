"""Gathering a report: what a completed visit and its decision say, as a plain dict."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from compliance.articles import ARTICLES
from compliance.rules.measurements import shown_average
from inspections.choices import AssignmentRole
from inspections.reports.gather import report_data, verification_hash
from portal.pdf import formats
from portal.pdf.formats import roc_date
from tests.inspections.report_builders import DEADLINE, VISIT_DAY, make_completed_visit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_report_says_who_where_when_and_what_was_measured(premises, inspector):
    inspector.first_name, inspector.last_name = "檢查員", "林"
    inspector.save()
    visit = make_completed_visit(premises, inspector)

    data = report_data(visit, "zh-hant", document_number="TPE-EC-2026-000001")

    assert data["document_number"] == "TPE-EC-2026-000001"
    assert data["business"]["name_zh"] == premises.business.name_zh
    assert data["business"]["ubn"] == premises.business.ubn
    assert data["premises"]["name"] == premises.name
    assert data["premises"]["address"] == premises.address
    assert data["premises"]["district"] == "信義區"
    # Stored in UTC, shown in Asia/Taipei.
    # Stored in UTC, shown in Asia/Taipei, dated in the ROC calendar (中華民國115年…).
    assert data["visit"]["arrived_at"] == f"{roc_date(VISIT_DAY)} 14:05"
    assert data["visit"]["departed_at"] == f"{roc_date(VISIT_DAY)} 15:10"
    assert data["report_date"].startswith("中華民國")
    assert data["visit"]["badge_numbers"] == "TPE-0042"
    assert data["visit"]["present_persons"] == ["陳小姐（店長）"]
    with translation.override("zh-hant"):
        lead = str(AssignmentRole.LEAD.label)
    assert data["inspectors"] == [{"name": inspector.get_full_name(), "role": lead}]
    assert data["experts"] == ["張教授（臺北科技大學）"]
    temperature = data["measurements"]["temperature"]
    assert [p["value"] for p in temperature["points"]] == ["25.0", "25.6"]
    assert temperature["average"] == "25.30"
    assert temperature["floor"] == "26"
    json.dumps({k: v for k, v in data.items() if k != "photos"})  # plain data


def test_findings_come_by_article_with_the_articles_wording(premises, inspector):
    visit = make_completed_visit(premises, inspector)

    data = report_data(visit, "zh-hant")

    (temperature,) = [group for group in data["findings"] if group["article"] == "5-5"]
    assert temperature["label"] == "第5條第5款"
    assert temperature["outcome"] == "non_compliant"
    assert "攝氏二十六度" in temperature["text"]
    assert temperature["text"] == ARTICLES["5-5"].text_zh
    assert any("25.30" in item["message"] for item in temperature["items"])
    order = [group["article"] for group in data["findings"]]
    assert order.index("5-5") < order.index("6-2")


def test_each_violation_has_its_deadline_and_what_to_do(premises, inspector):
    visit = make_completed_visit(premises, inspector)

    data = report_data(visit, "en")

    (violation,) = [v for v in data["violations"] if v["article"] == "5-5"]
    english = formats.date(DEADLINE, "en")  # e.g. Nov. 16, 2026
    assert violation["deadline"] == english
    assert violation["penalty_article"] == "15"
    assert violation["action"].startswith(f"Rectify by {english}")
    assert "25.30" in violation["action"]


def test_a_refusal_is_an_art_17_case_without_deadline(premises, inspector):
    visit = make_completed_visit(premises, inspector, refused=True)

    data = report_data(visit, "en")

    (case,) = [v for v in data["violations"] if v["article"] == "10-1"]
    assert case["deadline"] == ""
    assert case["penalty_article"] == "17"
    assert "No rectification period" in case["action"]
    assert data["visit"]["refused"] is True
    assert data["visit"]["refusal_circumstances"] == "負責人拒絕開門。"


def test_an_unchanged_decision_still_gives_the_findings(premises, inspector):
    """A second visit measuring the same writes no new decision: the one in force counts."""
    make_completed_visit(premises, inspector)
    again = make_completed_visit(premises, inspector)

    data = report_data(again, "en")

    (temperature,) = [g for g in data["findings"] if g["article"] == "5-5"]
    assert temperature["outcome"] == "non_compliant"


def test_photos_come_as_bytes_outside_the_hash(premises, inspector):
    visit = make_completed_visit(premises, inspector, photos=1)

    data = report_data(visit, "en")

    (photo,) = data["photos"]
    assert photo["data"].startswith(b"\x89PNG")
    assert photo["caption"] == "冷氣出風口"
    assert data["verification_hash"] == verification_hash(data)


def test_the_same_visit_gathers_to_the_same_hash(premises, inspector):
    visit = make_completed_visit(premises, inspector, photos=1)

    first = report_data(visit, "zh-hant", document_number="X-1")
    second = report_data(visit, "zh-hant", document_number="X-1")

    assert first["verification_hash"] == second["verification_hash"]
    assert (
        report_data(visit, "en", document_number="X-1")["verification_hash"]
        != (first["verification_hash"])
    )


def test_gathering_takes_the_same_number_of_queries_however_much_was_recorded(premises, inspector):
    small = make_completed_visit(premises, inspector, temperatures=("25.0",), photos=1)
    large = make_completed_visit(premises, inspector, temperatures=("25.0",) * 12, photos=4)

    with CaptureQueriesContext(connection) as few:
        report_data(small, "en")
    with CaptureQueriesContext(connection) as many:
        report_data(large, "en")

    assert len(many) == len(few)


def test_an_unknown_language_is_refused(premises, inspector):
    visit = make_completed_visit(premises, inspector, assess=False)

    with pytest.raises(ValueError, match="zh-hant"):
        report_data(visit, "fr")


def test_the_report_shows_the_engines_average_rounded_half_up(premises, inspector):
    visit = make_completed_visit(premises, inspector, temperatures=("25.9", "26.0", "26.0"))

    data = report_data(visit, "zh-hant")

    engine = shown_average(r.temperature_c for r in visit.temperatures.all())
    assert data["measurements"]["temperature"]["average"] == str(engine) == "25.97"
    (group,) = [group for group in data["findings"] if group["article"] == "5-5"]
    assert "25.97" in json.dumps(group, ensure_ascii=False)


def test_an_inspector_without_a_name_is_named_by_role_never_by_user_name(premises, inspector):
    visit = make_completed_visit(premises, inspector)

    data = report_data(visit, "zh-hant", document_number="TPE-EC-2026-000002")

    assert data["inspectors"][0]["name"] == ""
    assert inspector.get_username() not in json.dumps(data, ensure_ascii=False)
    inspector.display_name = "林檢查員"
    inspector.save()
    named = report_data(visit, "zh-hant", document_number="TPE-EC-2026-000002")
    assert named["inspectors"][0]["name"] == "林檢查員"
