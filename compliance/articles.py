"""The ordinance's own wording, article by article, for pages and PDFs (Arts. 1-20).

``text_zh`` is the official text of the draft ordinance (``spec/ordinance.md``'s source,
left column), with the PDF's line breaks removed and its half-width punctuation set
full-width; two glyphs the text extraction misread are restored (晝光 "daylight" in
Art. 6-1, 用戶 in Art. 12-2). ``text_en`` is the portal's English rendering of it. The
two are an official-language pair, not a translation catalogue entry: :meth:`Article.text`
picks the one of the active language. Titles are short interface labels and are
translated through gettext.

Numbers follow the engine: "5-1" is Art. 5, item 1 (款); "8-1" is Art. 8, paragraph 1
(項). A whole article ("5") holds its lead-in and every item or paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from compliance.rules.penalties import PENALTY_ARTICLE_FOR, STATUTORY_FINE_RANGE_NTD

ORDINANCE_NAME_ZH = "臺北市工商業節能減碳輔導管理自治條例"
ORDINANCE_NAME_EN = (
    "Taipei City Industry and Commerce Energy Conservation and Carbon Reduction "
    "Guidance and Management Self-Government Ordinance"
)

# Articles whose sub-numbers are items (款); in every other article they are paragraphs (項).
ITEMISED_ARTICLES = frozenset({"2", "4", "5", "6"})


def is_chinese() -> bool:
    """Return whether the active language (or, with none active, the default) is Chinese."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language.lower().startswith("zh")


def ordinance_name() -> str:
    """Return the ordinance's name in the active language."""
    return ORDINANCE_NAME_ZH if is_chinese() else ORDINANCE_NAME_EN


def article_label(number: str) -> str:
    """Return how the active language cites an article: 第5條第1款, 第8條第1項 / Art. 5-1."""
    main, _sep, part = number.partition("-")
    if not part:
        return gettext("Art. {article}").format(article=main)
    if main in ITEMISED_ARTICLES:
        template = pgettext("article and item (款)", "Art. {article}-{part}")
    else:
        template = pgettext("article and paragraph (項)", "Art. {article}-{part}")
    return template.format(article=main, part=part)


@dataclass(frozen=True)
class Article:
    """One article, or one item or paragraph of an article, in both official languages."""

    number: str
    title: str | Promise
    text_zh: str
    text_en: str
    # The penalty article punishing a violation (Arts. 15-18); None where there is none.
    penalty_article: str | None = None

    @property
    def fine_range_ntd(self) -> tuple[int, int] | None:
        """Return the statutory fine range in whole NT$ (both ends included), if any."""
        if self.penalty_article is None:
            return None
        return STATUTORY_FINE_RANGE_NTD[self.penalty_article]

    @property
    def parent(self) -> str | None:
        """Return the whole article an item or paragraph belongs to ("5" for "5-1")."""
        main, _sep, part = self.number.partition("-")
        return main if part else None

    @property
    def label(self) -> str:
        """Return the citation in the active language, e.g. 第5條第1款 or Art. 5-1."""
        return article_label(self.number)

    def text(self) -> str:
        """Return the wording in the active language."""
        return self.text_zh if is_chinese() else self.text_en


# Penalty articles of whole articles or parts the engine does not key: Art. 15 covers
# every item of Art. 6, Art. 18 the supplier's duty of Art. 12-2 (the engine's "12").
_PENALTY_OVERRIDES = {"6": "15", "12-2": "18"}


def _penalty(number: str) -> str | None:
    if number in _PENALTY_OVERRIDES:
        return _PENALTY_OVERRIDES[number]
    return PENALTY_ARTICLE_FOR.get(number)


def _article(number: str, title: str | Promise, text_zh: str, text_en: str) -> Article:
    return Article(number, title, text_zh, text_en, _penalty(number))


_ZH_5 = {
    "1": "廠房、營業及辦公場所出入門口應有防止冷氣外洩之設施。",
    "2": "廠房、營業及辦公場所不得堆放物品阻擋冷卻水塔、空調機組進風口、出風口處空氣流通。",
    "3": (
        "廠房、營業及辦公場所冷凍主機容量達經濟部規定數額者，應裝設個別電錶，由能源管理"
        "人員按月保養維護，並記錄空調系統用電量、冷凍主機、冷卻水塔進、出口溫度與流量，"
        "以確保系統運轉效率。"
    ),
    "4": "新設或汰換之冷氣機或空調設備應符合經濟部公告之能源效率比值標準。",
    "5": (
        "營業及辦公場所室內冷氣平均溫度須保持在攝氏二十六度以上。但因營業屬性有低於攝氏"
        "二十六度必要之場所，經市政府公告者，不在此限。"
    ),
}
_EN_5 = {
    "1": (
        "The entrances of factories, business premises and offices shall have facilities "
        "that prevent cooled air from escaping."
    ),
    "2": (
        "Factories, business premises and offices shall not stack goods that obstruct the "
        "flow of air at cooling towers or at the air inlets and outlets of air-conditioning "
        "units."
    ),
    "3": (
        "Factories, business premises and offices whose chiller capacity reaches the amount "
        "set by the Ministry of Economic Affairs shall install a separate electricity meter; "
        "the energy manager shall maintain the system monthly and record the electricity "
        "use of the air-conditioning system and the inlet and outlet temperatures and flows "
        "of the chillers and cooling towers, to ensure that the system runs efficiently."
    ),
    "4": (
        "New or replacement air conditioners and air-conditioning equipment shall meet the "
        "energy efficiency ratio standards announced by the Ministry of Economic Affairs."
    ),
    "5": (
        "The average indoor temperature of air-conditioned business premises and offices "
        "shall be kept at 26 degrees Celsius or above. This does not apply to premises that, "
        "by the nature of their business, need a temperature below 26 degrees Celsius and "
        "that the City Government has announced."
    ),
}
_ZH_6 = {
    "1": (
        "騎樓如距離騎樓地面十八公分處量測晝光照度小於一百Lux（勒克斯）始可開啟照明設備，"
        "且其照度應維持在一百至三百Lux之間。"
    ),
    "2": "室內照度不得超過國家照度標準。",
    "3": "禁止使用白熾燈。",
}
_EN_6 = {
    "1": (
        "Arcade lighting may be switched on only when the daylight illuminance measured "
        "18 centimetres above the arcade floor is below 100 lux (lx), and the illuminance "
        "shall then be kept between 100 and 300 lux."
    ),
    "2": "Indoor illuminance shall not exceed the national illuminance standard.",
    "3": "Incandescent lamps shall not be used.",
}
_ZH_8 = {
    "1": (
        "工商業新設或汰換之鍋爐，其總蒸氣蒸發率每小時二公噸或總輸入熱值每小時一百五十三萬"
        "千卡以上者，應設置天然氣燃料系統。但氣體燃料供應不足或緊急備用時，不在此限。"
    ),
    "2": (
        "工商業之能源管理人員於鍋爐運轉時，應就鍋爐燃燒時之空氣量、排氣溫度、爐壁溫度、"
        "排氣中二氧化碳濃度、燃料於鍋爐燃燒是否完全等事項，進行查核及異常調校，並做成紀錄"
        "備查。"
    ),
    "3": "舊有鍋爐，市政府得輔導工商業者提升運轉效率。",
}
_EN_8 = {
    "1": (
        "A boiler that industry or commerce newly installs or replaces, with a total steam "
        "evaporation rate of 2 tonnes per hour or more or a total heat input of 1,530,000 "
        "kcal per hour or more, shall have a natural-gas fuel system. This does not apply "
        "where the supply of gaseous fuel is insufficient or the boiler is an emergency "
        "standby."
    ),
    "2": (
        "While a boiler is running, the energy manager of the business shall check the air "
        "volume during combustion, the exhaust temperature, the furnace wall temperature, "
        "the concentration of carbon dioxide in the exhaust, whether the fuel burns "
        "completely in the boiler and similar matters, correct any abnormality, and keep "
        "records for inspection."
    ),
    "3": (
        "For existing boilers, the City Government may guide businesses in improving their "
        "operating efficiency."
    ),
}
_ZH_10 = {
    "1": (
        "市政府得派員進入工商業之廠房、營業及辦公場所，查核或評估輔導本自治條例相關事項，"
        "工商業負責人或從業人員不得規避、妨礙或拒絕。"
    ),
    "2": "市政府進行前項查核或評估輔導，必要時得會同專家學者辦理。",
    "3": "查核人員於實施查核時，應主動出示身分證明文件。",
    "4": ("第一項之評估輔導，市政府應作成報告書，其有違反本自治條例規定者，應限期令其改善。"),
    "5": "第一項查核或評估輔導之對象，由市政府依行業別或使用能源規模公告之。",
}
_EN_10 = {
    "1": (
        "The City Government may send personnel into the factories, business premises and "
        "offices of industry and commerce to inspect, or to assess and give guidance on, "
        "matters governed by this Self-Government Ordinance; the responsible person or the "
        "employees shall not evade, obstruct or refuse this."
    ),
    "2": (
        "In the inspection or the assessment and guidance of the preceding paragraph, the "
        "City Government may, where necessary, act together with experts and scholars."
    ),
    "3": "Inspectors shall show their identification unasked when they inspect.",
    "4": (
        "The City Government shall make a report of the assessment and guidance of "
        "paragraph 1; where it finds a violation of this Self-Government Ordinance, it shall "
        "order rectification within a set period."
    ),
    "5": (
        "The businesses subject to the inspection or the assessment and guidance of "
        "paragraph 1 are announced by the City Government by type of industry or scale of "
        "energy use."
    ),
}
_ZH_12 = {
    "1": (
        "市政府為輔導工商業節能減碳，得依第四條所定能源主要類別建置每月使用達一定數量以上"
        "之用戶資料。"
    ),
    "2": "市政府得命能源供應事業提供前項用戶資料。",
    "3": "第一項一定數量，由市政府公告之。",
}
_EN_12 = {
    "1": (
        "To guide industry and commerce in energy conservation and carbon reduction, the "
        "City Government may build records of the users whose monthly use of a main type "
        "of energy under Article 4 reaches a set amount."
    ),
    "2": (
        "The City Government may order energy suppliers to provide the user data of the "
        "preceding paragraph."
    ),
    "3": "The set amount of paragraph 1 is announced by the City Government.",
}

_CHINESE_NUMERALS = "一二三四五六七八九十"


def _itemised_zh(lead: str, items: dict[str, str], after: str = "") -> str:
    lines = [lead] + [f"{_CHINESE_NUMERALS[int(n) - 1]}\u3000{text}" for n, text in items.items()]
    if after:
        lines.append(after)
    return "\n".join(lines)


def _itemised_en(lead: str, items: dict[str, str], after: str = "") -> str:
    lines = [lead] + [f"{n}. {text}" for n, text in items.items()]
    if after:
        lines.append(after)
    return "\n".join(lines)


_ZH_2 = {
    "1": (
        "節能減碳：指加強能源管理減少能源之損失和浪費，提高能源使用效率，有效、合理地利用"
        "能源及使用再生能源，以減少二氧化碳之排放，防止氣候暖化。"
    ),
    "2": (
        "工業：指使用人力或動力機械，以物理、化學或其他方法，將有機或無機物質轉變或製造成"
        "新產品；或產品大修、改型改造作業；或機械設備之專用零組件與其所屬設備主體之製造；"
        "或產業機械及設備之維護及安裝、組件之組裝。"
    ),
    "3": "商業：指以營利為目的，以獨資、合夥或公司組織方式經營之事業。",
}
_EN_2 = {
    "1": (
        "Energy conservation and carbon reduction: strengthening energy management to reduce "
        "the loss and waste of energy, raising the efficiency of energy use, using energy "
        "effectively and rationally and using renewable energy, so as to reduce carbon "
        "dioxide emissions and prevent climate warming."
    ),
    "2": (
        "Industry: using human power or powered machinery to transform organic or inorganic "
        "substances, or make them into new products, by physical, chemical or other methods; "
        "or overhauling, modifying or converting products; or making dedicated parts of "
        "machinery and equipment together with the main body of the equipment they belong "
        "to; or maintaining and installing industrial machinery and equipment and assembling "
        "components."
    ),
    "3": (
        "Commerce: an enterprise run for profit as a sole proprietorship, a partnership or "
        "a company."
    ),
}
_ZH_4 = {"1": "電能。", "2": "天然氣及液化石油氣。", "3": "燃料油。", "4": "其他市政府指定之能源。"}
_EN_4 = {
    "1": "Electricity.",
    "2": "Natural gas and liquefied petroleum gas.",
    "3": "Fuel oil.",
    "4": "Other energy designated by the City Government.",
}
_ZH_14 = {
    "1": "實施節能減碳經考評績優者。",
    "2": "推廣節能產品經考評績優者。",
    "3": "使用節能產品績效優良者。",
    "4": "設置再生能源設備表現優異者。",
    "5": "發展或製造再生能源設備，經考評績優者。",
}
_EN_14 = {
    "1": "Those evaluated as excellent in carrying out energy conservation and carbon reduction.",
    "2": "Those evaluated as excellent in promoting energy-saving products.",
    "3": "Those with good results in using energy-saving products.",
    "4": "Those with outstanding performance in installing renewable-energy equipment.",
    "5": "Those evaluated as excellent in developing or making renewable-energy equipment.",
}

_LEAD_ZH_5 = "工商業使用冷氣機或空調設備，應遵守下列規定："
_LEAD_EN_5 = (
    "Industry and commerce using air conditioners or air-conditioning equipment shall "
    "comply with the following:"
)
_LEAD_ZH_6 = "工商業之廠房、營業及辦公場所使用照明設備，應遵守下列規定："
_LEAD_EN_6 = (
    "Industry and commerce using lighting equipment in factories, business premises and "
    "offices shall comply with the following:"
)

_WHOLE = [
    _article(
        "1",
        pgettext_lazy("ordinance article", "Purpose"),
        "臺北市為推動工業及商業（以下簡稱工商業）節約能源，促進能源合理及有效使用，減少二氧化碳"
        "排放，保護環境，兼顧產業發展，特制定本自治條例。",
        "Taipei City enacts this Self-Government Ordinance to promote energy conservation by "
        'industry and commerce (hereinafter "industry and commerce"), to further the rational '
        "and efficient use of energy, to reduce carbon dioxide emissions and to protect the "
        "environment, with due regard to the development of industry.",
    ),
    _article(
        "2",
        _("Definitions"),
        _itemised_zh("本自治條例用詞定義如下：", _ZH_2),
        _itemised_en("The terms of this Self-Government Ordinance are defined as follows:", _EN_2),
    ),
    _article(
        "3",
        _("Competent authority"),
        "本自治條例之主管機關為臺北市政府（以下簡稱市政府），並委任臺北市政府產業發展局執行。",
        "The competent authority of this Self-Government Ordinance is the Taipei City "
        'Government (hereinafter "the City Government"), which entrusts its execution to the '
        "Department of Economic Development of the Taipei City Government.",
    ),
    _article(
        "4",
        _("Types of energy"),
        _itemised_zh("本自治條例規定之能源，其主要類別如下：", _ZH_4),
        _itemised_en(
            "The main types of energy governed by this Self-Government Ordinance are:", _EN_4
        ),
    ),
    _article(
        "5",
        _("Air conditioning"),
        _itemised_zh(_LEAD_ZH_5, _ZH_5),
        _itemised_en(_LEAD_EN_5, _EN_5),
    ),
    _article(
        "6",
        _("Lighting"),
        _itemised_zh(_LEAD_ZH_6, _ZH_6),
        _itemised_en(_LEAD_EN_6, _EN_6),
    ),
    _article(
        "7",
        _("Advertising signboards"),
        "工商業廣告招牌，禁止使用白熾燈。",
        "The advertising signboards of industry and commerce shall not use incandescent lamps.",
    ),
    _article("8", _("Boilers"), "\n".join(_ZH_8.values()), "\n".join(_EN_8.values())),
    _article(
        "9",
        _("Switching off after hours"),
        "工商業之廠房、營業及辦公場所，於下班後應關閉非必要之能源設備或器具，以減少待機耗能。",
        "After working hours, the factories, business premises and offices of industry and "
        "commerce shall switch off non-essential energy equipment and appliances, to reduce "
        "standby consumption.",
    ),
    _article(
        "10", _("Inspection and assessment"), "\n".join(_ZH_10.values()), "\n".join(_EN_10.values())
    ),
    _article(
        "11",
        _("Energy suppliers urge improvement"),
        "能源供應事業於執行業務時，發現工商業有使用不符合經濟部公告能源效率基準之設備或器具者，"
        "應主動勸導其改善。",
        "An energy supplier that, in the course of its business, finds that industry or "
        "commerce uses equipment or appliances not meeting the energy efficiency standards "
        "announced by the Ministry of Economic Affairs shall urge the user, unasked, to "
        "improve.",
    ),
    _article(
        "12", _("Register of energy users"), "\n".join(_ZH_12.values()), "\n".join(_EN_12.values())
    ),
    _article(
        "13",
        _("Service teams"),
        "市政府為輔導工商業節能減碳，得成立服務團，依行業別提供節能減碳之技術服務。",
        "To guide industry and commerce in energy conservation and carbon reduction, the City "
        "Government may form service teams that give technical services for energy "
        "conservation and carbon reduction by type of industry.",
    ),
    _article(
        "14",
        _("Rewards and subsidies"),
        _itemised_zh(
            "市政府為推動工商業節能減碳，得就下列事項予以獎勵或補助：",
            _ZH_14,
            "前項之獎勵或補助要點，由市政府定之。",
        ),
        _itemised_en(
            "To promote energy conservation and carbon reduction by industry and commerce, the "
            "City Government may give rewards or subsidies to:",
            _EN_14,
            "The rules for the rewards or subsidies of the preceding paragraph are set by the "
            "City Government.",
        ),
    ),
    _article(
        "15",
        _("Penalties: air conditioning, lighting and signboards"),
        "違反第五條第一款、第二款、第四款、第五款、第六條或第七條規定，經市政府通知限期改善，"
        "屆期仍未改善者，處負責人或行為人新臺幣一萬元以上三萬元以下罰鍰，並再限期改善；"
        "屆期仍未改善者，得按次連續處罰。",
        "Where Article 5, item 1, 2, 4 or 5, Article 6 or Article 7 is violated and the "
        "violation is not rectified by the deadline the City Government's notice set, the "
        "responsible person or the actor shall be fined not less than NT$10,000 and not more "
        "than NT$30,000 and given a new deadline to rectify; if it is still not rectified by "
        "that deadline, a fine may be imposed for each further failure.",
    ),
    _article(
        "16",
        _("Penalties: central air conditioning and boilers"),
        "違反第五條第三款或第八條第一項、第二項規定，經市政府通知限期改善，屆期仍未改善者，"
        "處負責人或行為人新臺幣二萬元以上五萬元以下罰鍰，並再限期改善；屆期仍未改善者，"
        "得按次連續處罰。",
        "Where Article 5, item 3, or Article 8, paragraph 1 or 2 is violated and the violation "
        "is not rectified by the deadline the City Government's notice set, the responsible "
        "person or the actor shall be fined not less than NT$20,000 and not more than "
        "NT$50,000 and given a new deadline to rectify; if it is still not rectified by that "
        "deadline, a fine may be imposed for each further failure.",
    ),
    _article(
        "17",
        _("Penalties: refusing inspection"),
        "違反第十條第一項規定者，處負責人或行為人新臺幣三萬元以上五萬元以下罰鍰。",
        "For a violation of Article 10, paragraph 1, the responsible person or the actor "
        "shall be fined not less than NT$30,000 and not more than NT$50,000.",
    ),
    _article(
        "18",
        _("Penalties: energy suppliers withholding data"),
        "能源供應事業違反第十二條第二項規定，經市政府限期提供，仍不提供者，處負責人新臺幣"
        "三萬元以上五萬元以下罰鍰，並再限期提供；屆期仍不提供者，得按次連續處罰。",
        "Where an energy supplier violates Article 12, paragraph 2 and still does not provide "
        "the data by the deadline the City Government set, its responsible person shall be "
        "fined not less than NT$30,000 and not more than NT$50,000 and given a new deadline to "
        "provide it; if it is still not provided by that deadline, a fine may be imposed for "
        "each further failure.",
    ),
    _article(
        "19",
        _("Grace period for existing equipment"),
        "工商業原有之能源設備、器具，於本自治條例公布施行後不合規定者，應於六個月內改善，"
        "逾期依規定處理。",
        "Existing energy equipment and appliances of industry and commerce that do not comply "
        "when this Self-Government Ordinance is promulgated and takes effect shall be "
        "rectified within six months; after that, they are dealt with under the rules.",
    ),
    _article(
        "20",
        _("Entry into force"),
        "本自治條例自公布日施行。",
        "This Self-Government Ordinance takes effect on the day it is promulgated.",
    ),
]

_TITLES = {
    "5-1": _("Entrances: stop cooled air escaping"),
    "5-2": _("Keep cooling towers and air inlets and outlets clear"),
    "5-3": _("Central air conditioning: separate meter and monthly records"),
    "5-4": _("Energy efficiency of new air conditioners"),
    "5-5": _("Indoor temperature of at least 26 °C"),
    "6-1": _("Arcade lighting"),
    "6-2": _("Indoor illuminance within the national standard"),
    "6-3": _("No incandescent lamps"),
    "8-1": _("Natural gas for large new boilers"),
    "8-2": _("Boiler checks and records"),
    "8-3": _("Guidance for existing boilers"),
    "10-1": _("Admitting inspection"),
    "10-2": _("Experts and scholars may join"),
    "10-3": _("Inspectors show identification"),
    "10-4": _("Assessment report and rectification deadline"),
    "10-5": _("Who is inspected"),
    "12-1": _("Register of energy users"),
    "12-2": _("Energy suppliers provide user data"),
    "12-3": _("Amount for the register"),
}

_PARTS = [
    _article(f"{main}-{n}", _TITLES[f"{main}-{n}"], zh[n], en[n])
    for main, zh, en in (
        ("5", _ZH_5, _EN_5),
        ("6", _ZH_6, _EN_6),
        ("8", _ZH_8, _EN_8),
        ("10", _ZH_10, _EN_10),
        ("12", _ZH_12, _EN_12),
    )
    for n in zh
]


def _ordinance_order(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("-"))


ARTICLES: dict[str, Article] = {
    entry.number: entry
    for entry in sorted([*_WHOLE, *_PARTS], key=lambda entry: _ordinance_order(entry.number))
}


def article(number: str) -> Article:
    """Return an article, item or paragraph by its number, e.g. "5-1" (KeyError if none)."""
    return ARTICLES[number]
