"""A made-up report's data, without a database: for the benchmark and the renderer's tests.

It has the shape :func:`inspections.reports.gather.report_data` returns, filled with
Chinese text so that a render exercises the CJK font as a real report does.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import translation

from compliance import rules
from compliance.articles import ARTICLES, article_label, ordinance_name
from compliance.rulebook.explain import explain_finding, outcome_label
from inspections.reports.gather import verification_hash
from portal.pdf import formats

SAMPLE_DOCUMENT_NUMBER = "TPE-EC-2026-000123"
SAMPLE_PREMISES_NAME = "信義旗艦門市"
SAMPLE_DEADLINE = datetime.date(2026, 12, 4)
SAMPLE_DAY = datetime.date(2026, 11, 20)


def _temperature_finding(average: Decimal) -> dict:
    return rules.finding_to_dict(
        rules.Finding(
            "5-5",
            rules.Outcome.NON_COMPLIANT,
            "indoor_temperature.below_floor",
            measured=average,
            limit=Decimal("26"),
            unit="c",
            detail="3",
        )
    )


def sample_report_data(*, extra_rows: int = 0, language: str = "zh-hant") -> dict:
    """Return report data for a made-up visit; ``extra_rows`` lengthens it (about 30 a page)."""
    finding = _temperature_finding(Decimal("25.30"))
    with translation.override(language):
        message = explain_finding(finding)
        day = formats.date(SAMPLE_DAY)
        deadline = formats.date(SAMPLE_DEADLINE)
        article = ARTICLES["5-5"]
        data = {
            "language": language,
            "document_number": SAMPLE_DOCUMENT_NUMBER,
            "title": "檢查報告書" if language == "zh-hant" else "Inspection report",
            "legal_basis": ordinance_name(),
            "authority": "臺北市政府產業發展局",
            "report_date": day,
            "business": {
                "name_zh": "台北節能股份有限公司",
                "name_en": "Taipei Energy Saving Co., Ltd.",
                "ubn": "04595257",
                "responsible_person": "王大明",
            },
            "premises": {
                "name": SAMPLE_PREMISES_NAME,
                "address": "臺北市信義區松仁路100號",
                "district": "信義區",
                "category": "零售商店",
            },
            "visit": {
                "reference": "visit-123",
                "date": day,
                "scheduled_for": day,
                "purpose": "例行檢查",
                "arrived_at": f"{day} 14:05",
                "departed_at": f"{day} 15:10",
                "completed_at": f"{day} 15:12",
                "time_zone": "Asia/Taipei",
                "identification_shown": "是",
                "badge_numbers": "TPE-0042",
                "present_persons": ["陳小姐（店長）"],
                "refused": False,
                "refusal_circumstances": "",
                "obstruction_found": "否",
                "after_hours_equipment_on": "未檢查",
                "notes": "",
            },
            "inspectors": [{"name": "林檢查員", "role": "主辦檢查員"}],
            "experts": ["張教授（臺北科技大學）"],
            "measurements": {
                "temperature": {
                    "points": [
                        {"point": f"測點{n + 1}（賣場{n % 7 + 1}區）", "value": f"25.{n % 10}"}
                        for n in range(3 + extra_rows)
                    ],
                    "average": "25.30",
                    "floor": "26",
                    "unit": "°C",
                },
                "arcade": {
                    "points": [],
                    "switch_on_lux": "100",
                    "band": "100–300",
                    "height_cm": "18",
                    "unit": "lx",
                },
                "illuminance": {"points": [], "unit": "lx"},
            },
            "checks": [],
            "findings": [
                {
                    "article": "5-5",
                    "label": article_label("5-5"),
                    "title": str(article.title),
                    "text": article.text(),
                    "outcome": "non_compliant",
                    "outcome_label": outcome_label("non_compliant"),
                    "advisory": False,
                    "items": [
                        {
                            "outcome": "non_compliant",
                            "outcome_label": outcome_label("non_compliant"),
                            "message": message,
                        }
                    ],
                }
            ],
            "decision": {"outcome": outcome_label("non_compliant"), "rulebook": "", "as_of": ""},
            "photos": [],
            "violations": [
                {
                    "article": "5-5",
                    "label": article_label("5-5"),
                    "penalty_article": "15",
                    "penalty_label": article_label("15"),
                    "subject": "",
                    "message": message,
                    "found_on": day,
                    "deadline": deadline,
                    "action": f"請於{deadline}前改善：{message}",
                }
            ],
            "verified_cases": [],
            "covered_findings": [],
            "no_violation": False,
        }
        data["actions"] = [row["action"] for row in data["violations"]]
    data["verification_hash"] = verification_hash(data)
    return data
