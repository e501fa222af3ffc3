"""One way to write an NT$ amount (portal.pdf.formats.amount) and a document's date in each
language, used by the e-mail and page filter ``ntd`` and by the rule-book pages alike."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from compliance.rulebook.views import display
from compliance.templatetags import enforcement_formats
from portal.pdf import formats


@pytest.mark.parametrize(
    ("language", "written"), [("zh-hant", "新臺幣 10,000 元"), ("en", "NT$10,000")]
)
def test_the_canonical_amount_in_each_language(language, written):
    assert formats.amount(10_000, language) == written
    with translation.override(language):
        assert formats.amount(10_000) == written
        assert enforcement_formats.ntd(10_000) == written
        assert enforcement_formats.ntd("10000") == written
        assert display.ntd(10_000) == written


def test_no_amount_is_written_as_nothing():
    assert formats.amount(None) == ""
    assert enforcement_formats.ntd(None) == enforcement_formats.ntd("") == ""
    assert display.ntd("—") == "—"


def test_both_formatters_call_the_canonical_one(monkeypatch):
    calls = []
    monkeypatch.setattr(formats, "amount", lambda value, language=None: calls.append(value) or "")

    enforcement_formats.ntd(1)
    display.ntd(2)

    assert calls == [1, 2]


def test_the_rule_books_statutory_range_in_chinese():
    with translation.override("zh-hant"):
        assert display.statutory_range("15") == "新臺幣 10,000 元 至 新臺幣 30,000 元"
    with translation.override("en"):
        assert display.statutory_range("15") == "NT$10,000 to NT$30,000"


@pytest.mark.parametrize(
    ("day", "chinese", "english"),
    [
        (datetime.date(2026, 12, 6), "中華民國115年12月6日", "Dec. 6, 2026"),
        (datetime.date(2027, 1, 1), "中華民國116年1月1日", "Jan. 1, 2027"),
        (datetime.date(1912, 1, 1), "中華民國1年1月1日", "Jan. 1, 1912"),
    ],
)
def test_documents_date_by_the_roc_calendar_in_chinese(day, chinese, english):
    assert formats.date(day, "zh-hant") == chinese
    assert formats.date(day, "en") == english


def test_a_date_before_the_republic_has_no_roc_year():
    with pytest.raises(ValueError, match="1912"):
        formats.roc_date(datetime.date(1911, 12, 31))
