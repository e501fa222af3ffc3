"""What the demo data is made of: Taipei's districts and streets, industries and sites.

Industry codes and labels follow the Standard Industrial Classification of the R.O.C.
The street names are real streets of each district.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from compliance.choices import District, PremisesCategory, PremisesKind, Sector, SpaceType
from compliance.choices import EquipmentKind as K

# Demo businesses are recognised by this contact e-mail domain (reserved, RFC 2606).
DEMO_EMAIL_DOMAIN = "demo.example"

# district -> (Chinese name, real streets of the district)
_STREETS = {
    District.ZHONGZHENG: (
        "中正區",
        "重慶南路一段 忠孝西路一段 衡陽路 博愛路 南昌路二段 延平南路 羅斯福路二段",
    ),
    District.DATONG: (
        "大同區",
        "迪化街一段 南京西路 承德路二段 民權西路 延平北路二段 重慶北路二段 民生西路",
    ),
    District.ZHONGSHAN: (
        "中山區",
        "南京東路二段 中山北路二段 林森北路 松江路 民生東路二段 長安東路一段",
    ),
    District.SONGSHAN: (
        "松山區",
        "八德路四段 南京東路五段 民生東路四段 敦化北路 光復北路 饒河街 塔悠路",
    ),
    District.DAAN: (
        "大安區",
        "忠孝東路四段 敦化南路一段 仁愛路四段 復興南路一段 信義路四段 和平東路二段",
    ),
    District.WANHUA: ("萬華區", "西園路二段 康定路 昆明街 漢中街 西寧南路 桂林路 環河南路二段"),
    District.XINYI: ("信義區", "松仁路 松高路 市府路 信義路五段 忠孝東路五段 基隆路一段 松智路"),
    District.SHILIN: (
        "士林區",
        "中山北路六段 文林路 至善路二段 承德路四段 大南路 天母西路 忠誠路二段",
    ),
    District.BEITOU: ("北投區", "光明路 中和街 石牌路二段 大業路 中央北路一段 承德路七段 立德路"),
    District.NEIHU: ("內湖區", "瑞光路 內湖路一段 成功路四段 堤頂大道二段 洲子街 行愛路 港墘路"),
    District.NANGANG: (
        "南港區",
        "經貿二路 三重路 園區街 南港路一段 忠孝東路七段 研究院路一段 重陽路",
    ),
    District.WENSHAN: (
        "文山區",
        "木柵路一段 羅斯福路六段 興隆路二段 景興路 秀明路一段 指南路二段 萬芳路",
    ),
}
DISTRICTS: dict[str, tuple[str, tuple[str, ...]]] = {
    district: (name, tuple(streets.split())) for district, (name, streets) in _STREETS.items()
}
ALL_DISTRICTS = tuple(DISTRICTS)
INDUSTRIAL = (District.NEIHU, District.NANGANG, District.BEITOU)
OFFICES = (
    District.XINYI,
    District.ZHONGSHAN,
    District.DAAN,
    District.SONGSHAN,
    District.NEIHU,
    District.ZHONGZHENG,
    District.NANGANG,
)
SHOPPING = (
    District.XINYI,
    District.DAAN,
    District.ZHONGSHAN,
    District.ZHONGZHENG,
    District.SONGSHAN,
    District.SHILIN,
)
LOGISTICS = (District.NEIHU, District.NANGANG, District.BEITOU, District.WANHUA)

# Syllables of brand names, with the Wade-Giles spelling Taiwanese companies use.
_BRAND_CHARACTERS = "永福金長信康華祥鼎盛豐旺興達順佳美和益泰光東宏聯晶源勝裕昌明"
_BRAND_SPELLINGS = (
    "Yung Fu Chin Chang Hsin Kang Hua Hsiang Ting Sheng Feng "
    "Wang Hsing Ta Shun Chia Mei Ho Yi Tai Kuang Tung Hung Lien Ching Yuan Sheng Yu Chang Ming"
)
SYLLABLES = tuple(zip(_BRAND_CHARACTERS, _BRAND_SPELLINGS.split(), strict=True))
SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐周葉蘇莊呂江何蕭羅高"
GIVEN = "志明建宏美玲淑芬家豪俊傑雅婷怡君冠宇承恩佩珊嘉文國華秀英宗翰柏欣"
ENTRANCES = ("正門", "側門", "停車場出入口", "後門")
SIGNBOARDS = ("正面招牌", "側面招牌", "屋頂廣告招牌", "騎樓招牌")
# Share of a chiller's full load used in each month of Taipei's year.
MONTHLY_LOAD = (0.35, 0.35, 0.5, 0.7, 0.9, 1.0, 1.1, 1.1, 1.0, 0.8, 0.55, 0.4)


@dataclass(frozen=True)
class SiteType:
    """A kind of place a business runs, with the equipment such a place has."""

    kind: str
    category: str
    suffix: str  # ends the premises' name
    area: tuple[int, int]  # floor area range, m²
    weight: float  # how much equipment it carries, relative to other sites
    core: tuple[str, ...]  # the kinds of its first items, in order
    extra: tuple[tuple[str, int], ...]  # the weighted kinds of further items
    spaces: tuple[str, ...]  # CNS 12112 space types of its lighting
    rooms: tuple[str, ...]
    hours: tuple[time, time, str] | None = None  # None: open round the clock
    districts: tuple[str, ...] = ALL_DISTRICTS
    arcade: float = 0.0  # share of such sites with an arcade (騎樓)
    chiller_hp: tuple[int, int] = (100, 400)
    production: float = 0.0  # share of its chillers that serve production
    street_front: bool = False  # named after its street (shops), else after its district


WEEKDAYS = (time(9), time(18), "週一至週五")

CONVENIENCE = SiteType(
    kind=PremisesKind.BUSINESS,
    category=PremisesCategory.RETAIL_SHOP,
    suffix="門市",
    area=(60, 200),
    weight=3,
    core=(K.ENTRANCE, K.LIGHTING, K.SIGNBOARD, K.AIR_CONDITIONER),
    extra=((K.AIR_CONDITIONER, 3), (K.LIGHTING, 2), (K.SIGNBOARD, 1)),
    spaces=(SpaceType.RETAIL_GENERAL,),
    rooms=("賣場", "倉庫"),
    arcade=0.5,
    street_front=True,
)
SUPERMARKET = SiteType(
    kind=PremisesKind.BUSINESS,
    category=PremisesCategory.SUPERMARKET,
    suffix="店",
    area=(400, 3000),
    weight=8,
    core=(K.ENTRANCE, K.LIGHTING, K.CHILLER, K.SIGNBOARD, K.AIR_CONDITIONER),
    extra=((K.AIR_CONDITIONER, 3), (K.LIGHTING, 3), (K.ENTRANCE, 1), (K.SIGNBOARD, 1)),
    spaces=(SpaceType.SUPERMARKET_MAIN_DISPLAY, SpaceType.RETAIL_GENERAL, SpaceType.WAREHOUSE),
    rooms=("賣場", "收銀區", "倉庫"),
    hours=(time(8), time(23), "週一至週日"),
    arcade=0.3,
    chiller_hp=(60, 250),
    street_front=True,
)
FRESH_FOOD = SiteType(
    kind=PremisesKind.BUSINESS,
    category=PremisesCategory.SUPERMARKET_FRESH_FOOD,
    suffix="生鮮館",
    area=(200, 800),
    weight=5,
    core=(K.ENTRANCE, K.LIGHTING, K.AIR_CONDITIONER, K.SIGNBOARD),
    extra=((K.AIR_CONDITIONER, 2), (K.LIGHTING, 2)),
    spaces=(SpaceType.SUPERMARKET_MAIN_DISPLAY,),
    rooms=("生鮮區", "冷藏區"),
    hours=(time(9), time(22), "週一至週日"),
    arcade=0.3,
    street_front=True,
)
COLD_STORE = SiteType(
    kind=PremisesKind.BUSINESS,
    category=PremisesCategory.COLD_STORAGE,
    suffix="物流倉",
    area=(800, 6000),
    weight=4,
    core=(K.LIGHTING, K.ENTRANCE, K.AIR_CONDITIONER),
    extra=((K.LIGHTING, 3), (K.ENTRANCE, 1), (K.AIR_CONDITIONER, 1)),
    spaces=(SpaceType.WAREHOUSE,),
    rooms=("理貨區", "辦公室"),
    hours=(time(6), time(20), "週一至週六"),
    districts=LOGISTICS,
)
HEAD_OFFICE = SiteType(
    kind=PremisesKind.OFFICE,
    category=PremisesCategory.OFFICE_BUILDING,
    suffix="總部",
    area=(500, 5000),
    weight=5,
    core=(K.AIR_CONDITIONER, K.LIGHTING, K.ENTRANCE, K.CHILLER),
    extra=((K.AIR_CONDITIONER, 3), (K.LIGHTING, 2)),
    spaces=(SpaceType.OFFICE, SpaceType.CORRIDOR),
    rooms=("辦公室", "會議室"),
    hours=WEEKDAYS,
    districts=OFFICES,
    chiller_hp=(60, 300),
)
DEPARTMENT_STORE = SiteType(
    kind=PremisesKind.BUSINESS,
    category=PremisesCategory.DEPARTMENT_STORE,
    suffix="店",
    area=(15000, 90000),
    weight=25,
    core=(K.CHILLER, K.ENTRANCE, K.LIGHTING, K.SIGNBOARD, K.AIR_CONDITIONER, K.BOILER),
    extra=(
        (K.CHILLER, 2),
        (K.ENTRANCE, 3),
        (K.LIGHTING, 4),
        (K.SIGNBOARD, 1),
        (K.AIR_CONDITIONER, 2),
    ),
    spaces=(
        SpaceType.RETAIL_GENERAL,
        SpaceType.BOUTIQUE_FEATURE_WINDOW,
        SpaceType.RESTAURANT,
        SpaceType.CORRIDOR,
        SpaceType.RECREATION_ROOM,
    ),
    rooms=("精品樓層", "美食街", "停車場"),
    hours=(time(11), time(21, 30), "週一至週日"),
    districts=SHOPPING,
    chiller_hp=(300, 1500),
    street_front=True,
)
RESTAURANT = SiteType(
    kind=PremisesKind.BUSINESS,
    category=PremisesCategory.RESTAURANT,
    suffix="店",
    area=(80, 800),
    weight=4,
    core=(K.AIR_CONDITIONER, K.ENTRANCE, K.LIGHTING, K.SIGNBOARD),
    extra=((K.AIR_CONDITIONER, 3), (K.LIGHTING, 2), (K.SIGNBOARD, 1)),
    spaces=(SpaceType.RESTAURANT,),
    rooms=("用餐區", "廚房"),
    hours=(time(11), time(22), "週一至週日"),
    arcade=0.5,
    street_front=True,
)
HOTEL = SiteType(
    kind=PremisesKind.BUSINESS,
    category=PremisesCategory.HOTEL,
    suffix="館",
    area=(3000, 40000),
    weight=15,
    core=(K.CHILLER, K.BOILER, K.ENTRANCE, K.LIGHTING, K.SIGNBOARD, K.AIR_CONDITIONER),
    extra=((K.LIGHTING, 3), (K.AIR_CONDITIONER, 2), (K.CHILLER, 1), (K.BOILER, 1)),
    spaces=(
        SpaceType.CORRIDOR,
        SpaceType.RESTAURANT,
        SpaceType.AUDITORIUM,
        SpaceType.RECREATION_ROOM,
    ),
    rooms=("大廳", "客房樓層", "宴會廳"),
    districts=(*OFFICES, District.BEITOU),
    chiller_hp=(150, 800),
)
FAB = SiteType(
    kind=PremisesKind.FACTORY,
    category=PremisesCategory.MANUFACTURING,
    suffix="廠",
    area=(5000, 60000),
    weight=20,
    core=(K.CHILLER, K.BOILER, K.LIGHTING, K.AIR_CONDITIONER, K.ENTRANCE),
    extra=((K.CHILLER, 3), (K.LIGHTING, 3), (K.BOILER, 1), (K.AIR_CONDITIONER, 1)),
    spaces=(SpaceType.PRODUCTION, SpaceType.CORRIDOR, SpaceType.OFFICE, SpaceType.WAREHOUSE),
    rooms=("無塵室", "廠務區", "辦公區"),
    districts=INDUSTRIAL,
    chiller_hp=(200, 2000),
    production=0.7,
)
SOFTWARE_OFFICE = SiteType(
    kind=PremisesKind.OFFICE,
    category=PremisesCategory.OFFICE_BUILDING,
    suffix="辦公室",
    area=(300, 6000),
    weight=5,
    core=(K.AIR_CONDITIONER, K.LIGHTING, K.ENTRANCE),
    extra=((K.AIR_CONDITIONER, 3), (K.LIGHTING, 2)),
    spaces=(SpaceType.OFFICE, SpaceType.CORRIDOR, SpaceType.AUDITORIUM),
    rooms=("辦公室", "會議室"),
    hours=WEEKDAYS,
    districts=OFFICES,
)
DATA_CENTRE = SiteType(
    kind=PremisesKind.OFFICE,
    category=PremisesCategory.DATA_CENTRE,
    suffix="機房",
    area=(500, 4000),
    weight=8,
    core=(K.CHILLER, K.AIR_CONDITIONER, K.LIGHTING),
    extra=((K.AIR_CONDITIONER, 3), (K.CHILLER, 1), (K.LIGHTING, 1)),
    spaces=(SpaceType.WAREHOUSE, SpaceType.CORRIDOR),
    rooms=("機房", "監控室"),
    districts=(District.NEIHU, District.NANGANG),
    chiller_hp=(100, 500),
)


@dataclass(frozen=True)
class Profile:
    """An industry and the sites its businesses run."""

    code: str  # Standard Industrial Classification of the R.O.C.
    label: str
    sector: str  # Art. 2: industry or commerce
    names: tuple[tuple[str, str], ...]  # (Chinese, English) endings of the company name
    sites: tuple[tuple[SiteType, int], ...]  # the first is its main site
    frequency: float  # how common such businesses are
    chain: float  # how many premises such a business tends to have


PROFILES = (
    Profile(
        "4719",
        "其他綜合商品零售業(超級市場)",
        Sector.COMMERCE,
        (("生鮮超市股份有限公司", "Fresh Supermarket Co., Ltd."),),
        ((SUPERMARKET, 6), (FRESH_FOOD, 2), (COLD_STORE, 1), (HEAD_OFFICE, 1)),
        1.0,
        4,
    ),
    Profile(
        "5611",
        "餐館業",
        Sector.COMMERCE,
        (("餐飲股份有限公司", "Food & Beverage Co., Ltd."), ("小館有限公司", "Bistro Co., Ltd.")),
        ((RESTAURANT, 8), (HEAD_OFFICE, 1)),
        3.0,
        3,
    ),
    Profile(
        "5510",
        "短期住宿服務業",
        Sector.COMMERCE,
        (("大飯店股份有限公司", "Grand Hotel Co., Ltd."), ("酒店股份有限公司", "Hotel Co., Ltd.")),
        ((HOTEL, 1),),
        1.0,
        1.2,
    ),
    Profile(
        "2611",
        "積體電路製造業",
        Sector.INDUSTRY,
        (
            ("半導體股份有限公司", "Semiconductor Corp."),
            ("科技股份有限公司", "Technology Co., Ltd."),
        ),
        ((FAB, 3), (HEAD_OFFICE, 1)),
        0.6,
        1.3,
    ),
    Profile(
        "4712",
        "百貨公司業",
        Sector.COMMERCE,
        (("百貨股份有限公司", "Department Store Co., Ltd."),),
        ((DEPARTMENT_STORE, 5), (HEAD_OFFICE, 1)),
        0.5,
        1.5,
    ),
    Profile(
        "4711",
        "連鎖便利商店業",
        Sector.COMMERCE,
        (("便利商店股份有限公司", "Convenience Stores Co., Ltd."),),
        ((CONVENIENCE, 10), (HEAD_OFFICE, 1), (COLD_STORE, 1)),
        1.5,
        6,
    ),
    Profile(
        "6201",
        "電腦程式設計業",
        Sector.COMMERCE,
        (("資訊股份有限公司", "Information Co., Ltd."), ("軟體有限公司", "Software Co., Ltd.")),
        ((SOFTWARE_OFFICE, 4), (DATA_CENTRE, 1)),
        2.0,
        1.2,
    ),
    Profile(
        "5302",
        "冷凍冷藏倉儲業",
        Sector.COMMERCE,
        (("冷鏈物流股份有限公司", "Cold Chain Logistics Co., Ltd."),),
        ((COLD_STORE, 1),),
        0.5,
        1.5,
    ),
)
