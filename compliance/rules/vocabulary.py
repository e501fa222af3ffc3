"""The engine's own names for categories, kinds and types (Arts. 2, 4-9).

The values are the same strings as ``compliance/choices.py`` so that the bridge
(``compliance/rulebook/bridge.py``) passes database values through unchanged; a test keeps
the two in step. The engine keeps its own copy because it may not import Django.
"""

from enum import StrEnum


class PremisesKind(StrEnum):
    """Arts. 5, 6, 9, 10: factory, business premises or office."""

    FACTORY = "factory"
    BUSINESS = "business"
    OFFICE = "office"


class PremisesCategory(StrEnum):
    """What a premises is used for; Art. 5-5 exempt categories are chosen from these."""

    GENERAL = "general"
    RETAIL_SHOP = "retail_shop"
    DEPARTMENT_STORE = "department_store"
    SUPERMARKET = "supermarket"
    SUPERMARKET_FRESH_FOOD = "supermarket_fresh_food"
    COLD_STORAGE = "cold_storage"
    RESTAURANT = "restaurant"
    HOTEL = "hotel"
    OFFICE_BUILDING = "office_building"
    DATA_CENTRE = "data_centre"
    MEDICAL = "medical"
    MANUFACTURING = "manufacturing"


class Sector(StrEnum):
    """Art. 2: industry or commerce."""

    INDUSTRY = "industry"
    COMMERCE = "commerce"


class AcType(StrEnum):
    """Art. 5-4: MOEA categories of air conditioners."""

    WINDOW = "window"
    SPLIT = "split"
    MULTI_SPLIT = "multi_split"
    PACKAGED = "packaged"


class EfficiencyMetric(StrEnum):
    """Art. 5-4: the efficiency ratio an MOEA standard is expressed in."""

    EER = "eer"
    CSPF = "cspf"


class AirBarrier(StrEnum):
    """Art. 5-1: what stops cooled air escaping through an entrance."""

    AUTOMATIC_DOOR = "automatic_door"
    AIR_CURTAIN = "air_curtain"
    NONE = "none"


class SpaceType(StrEnum):
    """Art. 6-2: CNS 12112 space types."""

    OFFICE = "office"
    AUDITORIUM = "auditorium"
    RESTAURANT = "restaurant"
    SUPERMARKET_MAIN_DISPLAY = "supermarket_main_display"
    BOUTIQUE_FEATURE_WINDOW = "boutique_feature_window"
    RETAIL_GENERAL = "retail_general"
    RECREATION_ROOM = "recreation_room"
    CORRIDOR = "corridor"
    WAREHOUSE = "warehouse"
    PRODUCTION = "production"
    ARCADE = "arcade"


class LampType(StrEnum):
    """Arts. 6-3 and 7: lamp technologies."""

    LED = "led"
    FLUORESCENT = "fluorescent"
    COMPACT_FLUORESCENT = "compact_fluorescent"
    HID = "hid"
    NEON = "neon"
    HALOGEN = "halogen"
    INCANDESCENT = "incandescent"


class Fuel(StrEnum):
    """Arts. 4 and 8-1: boiler fuels."""

    NATURAL_GAS = "natural_gas"
    LPG = "lpg"
    FUEL_OIL = "fuel_oil"
    DIESEL = "diesel"
    COAL = "coal"
    BIOMASS = "biomass"
    ELECTRICITY = "electricity"


class EnergyType(StrEnum):
    """Art. 4: the energy types whose monthly use Art. 12 may register."""

    ELECTRICITY = "electricity"
    NATURAL_GAS = "natural_gas"
    LPG = "lpg"
    FUEL_OIL = "fuel_oil"


# Arts. 6-3 and 7: lamps that count as incandescent. A halogen lamp is a tungsten-halogen
# incandescent lamp (a filament heated to glow), so it is banned with the others.
INCANDESCENT_LAMP_TYPES = frozenset({LampType.INCANDESCENT, LampType.HALOGEN})

# Art. 5-1: air barriers that stop cooled air escaping.
EFFECTIVE_AIR_BARRIERS = frozenset({AirBarrier.AUTOMATIC_DOOR, AirBarrier.AIR_CURTAIN})
