"""No internal code reaches a page a person reads.

One page of every kind for every role (tests/browser/page_kinds.py, the same pages the
accessibility test loads) is rendered in Chinese, its text taken without the markup, and
searched for what only the software should read: a value of the project's choices that is
not its own label (``high_eer_ac``, ``equipment_specification``, ``deadline-sweep`` …), a
user name of the people who acted, a ``demo-`` code. The same pages in English must not
say "(1 points)": a count is written with ngettext.
"""

from __future__ import annotations

import html
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from compliance.demo.loading import DEMO_USERS
from portal import audit
from portal.choices import AuditAction
from subsidies.choices import CONDITION_LABELS, DOCUMENT_LABELS, ITEM_LABELS
from tests.browser.page_kinds import ROLE_PAGES, build_world, pages_for

pytestmark = pytest.mark.django_db

# A code is written like an identifier: lower-case words joined by _ or -.
IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(?:[_-][a-z0-9]+)+$")
# Any ASCII letter, digit, _ or - next to a code makes it part of a longer word.
EDGE = r"A-Za-z0-9_\-"
# A count the interface wrote with one form for every number ("1 points", "(1 days)").
PLURAL_ERRORS = re.compile(
    r"\(1 [a-z]+s\)|\b1 (?:points|days|items|errors|pages|fines|violations|visits|documents"
    r"|applications|months|years|hours|weeks|inspections|businesses|schemes|photos)\b"
)
# The actors the history shows: jobs and commands record themselves by these names.
JOB_LABELS = ("deadline-sweep", "command: assess", "system", "load_programme_data")
DISPLAY_NAMES = {
    "administrator": "產業發展局 管理員",
    "inspector": "張文華",
    "owner": "林美惠",
    "other_owner": "陳建宏",
    "supplier": "能源供應事業 聯絡窗口",
    "programme_officer": "國際合作計畫 專員",
    "api_client": "開放資料介接程式",
}


def _choice_codes() -> set[str]:
    """Every value of a model field's choices, or of a scheme's item, condition and
    document codes, that is written as an identifier and is not its own label."""
    codes = set(ITEM_LABELS) | set(CONDITION_LABELS) | set(DOCUMENT_LABELS)
    for model in apps.get_models():
        if not model.__module__.startswith(
            ("portal", "compliance", "inspections", "subsidies", "programs")
        ):
            continue
        for field in model._meta.get_fields():
            for value, label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and value != str(label):
                    codes.add(value)
    for module in ("portal.choices", "compliance.choices", "subsidies.choices", "programs.choices"):
        for item in vars(__import__(module, fromlist=["_"])).values():
            if isinstance(item, type) and issubclass(item, models.TextChoices):
                codes |= {value for value, label in item.choices if value != str(label)}
    return {str(code) for code in codes if IDENTIFIER.match(str(code))}


def _text(response) -> str:
    """The words of a page as a person reads them (no markup, scripts or styles).

    A value the reader must type as it is (a CSV column's values on an upload page) is
    shown as code, in ``<code>``: that is no leak and is left out."""
    body = response.content.decode()
    body = re.sub(r"(?is)<(script|style|template|code)\b.*?</\1>", " ", body)
    body = re.sub(r"(?s)<!--.*?-->", " ", body)
    return html.unescape(re.sub(r"(?s)<[^>]+>", " ", body))


def _found(words, text: str) -> list[str]:
    return sorted(
        word
        for word in words
        # (a user name followed by @ is the local part of an e-mail address shown to staff)
        if re.search(rf"(?<![{EDGE}]){re.escape(word)}(?![{EDGE}@])", text)
    )


@pytest.fixture
def world(personas, premises, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for role, name in DISPLAY_NAMES.items():
        type(personas[role]).objects.filter(pk=personas[role].pk).update(display_name=name)
        personas[role].refresh_from_db()
    world = build_world(owner=personas["owner"], inspector=personas["inspector"], premises=premises)
    # The history of the premises names jobs, a command and people (the owner, an official).
    for label in JOB_LABELS:
        audit.record(
            actor=None,
            actor_label=label,
            action=AuditAction.UPDATE,
            instance=premises,
            business_id=premises.business_id,
        )
    for role in ("owner", "administrator"):
        audit.record(
            actor=personas[role],
            action=AuditAction.UPDATE,
            instance=premises,
            business_id=premises.business_id,
        )
    return world


def _pages(client, personas, world, role: str, language: str):
    client.logout()
    if personas[role] is not None:
        client.force_login(personas[role])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for page in pages_for(role, world):
        response = client.get(page.url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code < 500, (role, page.url)
        yield page, _text(response)


@pytest.mark.parametrize("role", sorted(ROLE_PAGES))
def test_no_internal_code_reaches_a_page_in_chinese(client, personas, world, role):
    codes = _choice_codes() | set(JOB_LABELS)
    usernames = {user.username for user in personas.values() if user is not None}
    usernames |= {user.username for user in DEMO_USERS}
    leaks = {}
    for page, text in _pages(client, personas, world, role, "zh-hant"):
        found = _found(codes | usernames, text) + re.findall(r"\bdemo-[a-z0-9-]+", text)
        if found:
            leaks[page.url] = found
    assert not leaks, f"internal codes on {role}'s pages: {leaks}"


@pytest.mark.parametrize("role", sorted(ROLE_PAGES))
def test_a_count_of_one_is_written_in_the_singular_in_english(client, personas, world, role):
    wrong = {}
    for page, text in _pages(client, personas, world, role, "en"):
        if found := PLURAL_ERRORS.findall(text):
            wrong[page.url] = found
    assert not wrong, f"plural errors on {role}'s pages: {wrong}"


def test_the_codes_searched_for_include_what_pages_used_to_show():
    """The test would see the leaks found on main (a test that cannot fail is a defect)."""
    codes = _choice_codes()
    assert {"high_eer_ac", "equipment_specification", "no_unpaid_fine"} <= codes
    assert _found(codes, "所需文件：equipment_specification、quotation") == [
        "equipment_specification"
    ]
    assert _found({"deadline-sweep"}, "誰 deadline-sweep 何時") == ["deadline-sweep"]
    assert not _found({"owner"}, "owner1 ownership")


def test_jobs_and_commands_are_named_as_people_read_them():
    from portal.actors import actor_label

    assert actor_label("deadline-sweep") == "System (nightly deadline run)"
    assert actor_label("system") == "System"
    assert actor_label("command: assess") == "Command: assess"
    assert actor_label("command: unknown_one") == "Command: unknown_one"
    assert actor_label("official-wang") == "official-wang"  # a person's: named by the caller


@pytest.mark.parametrize(
    ("key", "count", "text"),
    [
        ("unpaid_fines.outstanding", 1, "The business has 1 unpaid fine."),
        ("unpaid_fines.outstanding", 3, "The business has 3 unpaid fines."),
        (
            "overdue_violations.outstanding",
            1,
            "The business has 1 violation past the rectification deadline.",
        ),
    ],
)
def test_a_counted_eligibility_reason_agrees_with_its_count(key, count, text):
    from subsidies.reasons import reason_text
    from subsidies.rules.types import Reason, ReasonOutcome

    reason = Reason("check", ReasonOutcome.FAIL, key, {"count": count})
    assert reason_text(reason) == text
