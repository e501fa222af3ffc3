"""The ordinance's wording is at hand for every article a page or a PDF cites."""

import re

import pytest
from django.utils import translation

from compliance.articles import ARTICLES, article, ordinance_name
from compliance.rules import ARTICLES as ENGINE_ARTICLES
from compliance.rules import PENALTY_ARTICLE_FOR, STATUTORY_FINE_RANGE_NTD

CITED = ["10-2", "10-3", "10-4", "10-5", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20"]


@pytest.mark.parametrize("number", [*ENGINE_ARTICLES, *CITED])
def test_every_checked_or_cited_article_has_its_wording_in_both_languages(number):
    entry = article(number)
    assert entry.number == number
    assert entry.text_zh.strip() and entry.text_en.strip()
    with translation.override("zh-hant"):
        assert entry.text() == entry.text_zh
        chinese_title = str(entry.title)
    assert entry.text() == entry.text_en
    assert chinese_title != str(entry.title), f"title of {number} is not translated"


def test_an_unknown_article_is_a_key_error():
    with pytest.raises(KeyError):
        article("99")
    with pytest.raises(KeyError):
        article("5-9")


@pytest.mark.parametrize(
    ("number", "chinese", "english"),
    [
        ("5-3", ["冷凍主機容量達經濟部規定數額", "個別電錶", "按月保養維護"], ["separate"]),
        ("5-5", ["攝氏二十六度以上", "經市政府公告者，不在此限"], ["26 degrees Celsius"]),
        (
            "6-1",
            ["十八公分", "小於一百Lux", "一百至三百Lux", "晝光"],
            ["18 centimetres", "100", "300"],
        ),
        ("6-3", ["禁止使用白熾燈"], ["Incandescent"]),
        ("8-1", ["每小時二公噸", "每小時一百五十三萬千卡以上", "天然氣燃料系統"], ["1,530,000"]),
        ("8-2", ["空氣量、排氣溫度、爐壁溫度、排氣中二氧化碳濃度"], ["carbon dioxide"]),
        ("10-1", ["不得規避、妨礙或拒絕"], ["evade, obstruct or refuse"]),
        ("15", ["新臺幣一萬元以上三萬元以下罰鍰", "得按次連續處罰"], ["NT$10,000", "NT$30,000"]),
        ("16", ["新臺幣二萬元以上五萬元以下罰鍰"], ["NT$20,000", "NT$50,000"]),
        ("17", ["違反第十條第一項規定者", "三萬元以上五萬元以下"], ["NT$30,000"]),
        ("18", ["違反第十二條第二項規定"], ["Article 12, paragraph 2"]),
        ("19", ["應於六個月內改善"], ["six months"]),
        ("20", ["本自治條例自公布日施行。"], ["promulgated"]),
    ],
)
def test_the_wording_carries_the_ordinances_numbers(number, chinese, english):
    for phrase in chinese:
        assert phrase in article(number).text_zh
    for phrase in english:
        assert phrase in article(number).text_en


@pytest.mark.parametrize("number", list(ARTICLES))
def test_chinese_text_is_clean_of_pdf_line_breaks_and_half_width_punctuation(number):
    text = article(number).text_zh
    assert not re.search(r"[,;:()]|[ \t]|\n\n", text), text
    assert text.endswith(("。", "：")), text


@pytest.mark.parametrize(("whole", "parts"), [("5", 5), ("6", 3), ("8", 3), ("10", 5), ("12", 3)])
def test_a_whole_article_holds_each_of_its_items_or_paragraphs(whole, parts):
    for n in range(1, parts + 1):
        part = article(f"{whole}-{n}")
        assert part.parent == whole
        assert part.text_zh in article(whole).text_zh
        assert part.text_en in article(whole).text_en
    assert article(whole).parent is None


@pytest.mark.parametrize("number", ENGINE_ARTICLES)
def test_each_obligation_names_the_penalty_article_and_statutory_range(number):
    entry = article(number)
    assert entry.penalty_article == PENALTY_ARTICLE_FOR.get(number)
    if number == "9":
        assert entry.penalty_article is None and entry.fine_range_ntd is None
    else:
        assert entry.fine_range_ntd == STATUTORY_FINE_RANGE_NTD[entry.penalty_article]


def test_penalties_of_whole_articles_follow_the_penalty_articles_text():
    assert article("6").fine_range_ntd == (10_000, 30_000)
    assert article("7").penalty_article == "15"
    assert article("12-2").fine_range_ntd == (30_000, 50_000)
    assert article("5").penalty_article is None  # items 1-5 fall under Arts. 15 and 16
    assert article("10-2").penalty_article is None


def test_items_and_paragraphs_are_cited_as_the_ordinance_does():
    with translation.override("zh-hant"):
        assert article("5-1").label == "第5條第1款"
        assert article("8-2").label == "第8條第2項"
        assert article("10-4").label == "第10條第4項"
        assert ordinance_name() == "臺北市工商業節能減碳輔導管理自治條例"
    assert article("5-1").label == "Art. 5-1"
    assert ordinance_name().startswith("Taipei City Industry and Commerce")
