"""Choices of the registry (Arts. 2, 4-9); labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.choices import RenderStatus


class Sector(models.TextChoices):
    """Art. 2: industry (工業) or commerce (商業)."""

    INDUSTRY = "industry", _("Industry")
    COMMERCE = "commerce", _("Commerce")


class PremisesKind(models.TextChoices):
    """Arts. 5, 6, 9, 10: the three kinds of premises."""

    FACTORY = "factory", _("Factory")
    BUSINESS = "business", _("Business premises")
    OFFICE = "office", _("Office")


class District(models.TextChoices):
    """The 12 districts of Taipei City."""

    ZHONGZHENG = "zhongzheng", _("Zhongzheng")
    DATONG = "datong", _("Datong")
    ZHONGSHAN = "zhongshan", _("Zhongshan")
    SONGSHAN = "songshan", _("Songshan")
    DAAN = "daan", _("Da'an")
    WANHUA = "wanhua", _("Wanhua")
    XINYI = "xinyi", _("Xinyi")
    SHILIN = "shilin", _("Shilin")
    BEITOU = "beitou", _("Beitou")
    NEIHU = "neihu", _("Neihu")
    NANGANG = "nangang", _("Nangang")
    WENSHAN = "wenshan", _("Wenshan")


class PremisesCategory(models.TextChoices):
    """What a premises is used for; the rule book announces exempt categories (Art. 5-5)."""

    GENERAL = "general", _("General")
    RETAIL_SHOP = "retail_shop", _("Retail shop")
    DEPARTMENT_STORE = "department_store", _("Department store or mall")
    SUPERMARKET = "supermarket", _("Supermarket (sales floor)")
    SUPERMARKET_FRESH_FOOD = "supermarket_fresh_food", _("Supermarket fresh-food section")
    COLD_STORAGE = "cold_storage", _("Warehousing or cold storage")
    RESTAURANT = "restaurant", _("Restaurant")
    HOTEL = "hotel", _("Hotel")
    OFFICE_BUILDING = "office_building", _("Office building")
    DATA_CENTRE = "data_centre", _("Data centre or machine room")
    MEDICAL = "medical", _("Medical facility")
    MANUFACTURING = "manufacturing", _("Manufacturing floor")


class EquipmentKind(models.TextChoices):
    """The equipment an obligation of Chapter 2 concerns."""

    AIR_CONDITIONER = "air_conditioner", _("Air-conditioning unit")
    CHILLER = "chiller", _("Central air conditioning / chiller")
    ENTRANCE = "entrance", _("Entrance")
    LIGHTING = "lighting", _("Lighting group")
    SIGNBOARD = "signboard", _("Advertising signboard")
    BOILER = "boiler", _("Boiler")


class AcType(models.TextChoices):
    """Art. 5-4: MOEA categories of air conditioners."""

    WINDOW = "window", _("Window type")
    SPLIT = "split", _("Split type")
    MULTI_SPLIT = "multi_split", _("Multi-split / VRF")
    PACKAGED = "packaged", _("Packaged unit")


class EfficiencyMetric(models.TextChoices):
    """Art. 5-4: the efficiency ratio the MOEA standard uses."""

    EER = "eer", _("EER (W/W)")
    CSPF = "cspf", _("CSPF (kWh/kWh)")


class AirBarrier(models.TextChoices):
    """Art. 5-1: what stops cooled air escaping through an entrance."""

    AUTOMATIC_DOOR = "automatic_door", _("Automatic door")
    AIR_CURTAIN = "air_curtain", _("Air curtain")
    NONE = "none", _("None")


class SpaceType(models.TextChoices):
    """Art. 6-2: CNS 12112 space types."""

    OFFICE = "office", pgettext_lazy("space type", "Office")
    AUDITORIUM = "auditorium", _("Auditorium")
    RESTAURANT = "restaurant", _("Restaurant")
    SUPERMARKET_MAIN_DISPLAY = "supermarket_main_display", _("Supermarket main display")
    BOUTIQUE_FEATURE_WINDOW = "boutique_feature_window", _("Boutique feature window")
    RETAIL_GENERAL = "retail_general", _("Retail sales floor")
    RECREATION_ROOM = "recreation_room", _("Recreation room")
    CORRIDOR = "corridor", _("Corridor or stairs")
    WAREHOUSE = "warehouse", _("Warehouse")
    PRODUCTION = "production", _("Production area")
    ARCADE = "arcade", _("Arcade (騎樓)")


class LampType(models.TextChoices):
    """Arts. 6-3 and 7: lamp technologies (incandescent lamps are banned)."""

    LED = "led", _("LED")
    FLUORESCENT = "fluorescent", _("Fluorescent tube")
    COMPACT_FLUORESCENT = "compact_fluorescent", _("Compact fluorescent")
    HID = "hid", _("High-intensity discharge")
    NEON = "neon", _("Neon")
    HALOGEN = "halogen", _("Halogen (incandescent)")
    INCANDESCENT = "incandescent", _("Incandescent")


class Fuel(models.TextChoices):
    """Arts. 4 and 8-1: boiler fuels."""

    NATURAL_GAS = "natural_gas", _("Natural gas")
    LPG = "lpg", _("Liquefied petroleum gas")
    FUEL_OIL = "fuel_oil", _("Fuel oil")
    DIESEL = "diesel", _("Diesel")
    COAL = "coal", _("Coal")
    BIOMASS = "biomass", _("Biomass")
    ELECTRICITY = "electricity", _("Electricity")


class ClaimStatus(models.TextChoices):
    """A business user's claim to an already registered business."""

    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class RuleBookStatus(models.TextChoices):
    """A rule-book version is edited as a draft and frozen once published."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", pgettext_lazy("status", "Published")


class ExemptionStatus(models.TextChoices):
    """The life of an individual exemption."""

    REQUESTED = "requested", pgettext_lazy("exemption status", "Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    REVOKED = "revoked", _("Revoked")


class ExemptionReason(models.TextChoices):
    """Why an individual exemption is asked for (e.g. Art. 8-1's own exceptions)."""

    GAS_SUPPLY_INSUFFICIENT = "gas_supply_insufficient", _("Natural gas supply insufficient")
    EMERGENCY_STANDBY = "emergency_standby", _("Emergency standby equipment")
    TECHNICAL_IMPOSSIBILITY = "technical_impossibility", _("Technically impossible")
    OTHER = "other", _("Other")


class ComplianceOutcome(models.TextChoices):
    """The compliance status of a premises, an article or a business."""

    COMPLIANT = "compliant", _("Compliant")
    NON_COMPLIANT = "non_compliant", _("Non-compliant")
    UNKNOWN = "unknown", _("Unknown (data missing)")


class Article(models.TextChoices):
    """The obligations the rule engine checks (Arts. 5-10)."""

    A5_1 = "5-1", _("Art. 5-1 entrances")
    A5_2 = "5-2", _("Art. 5-2 obstructions")
    A5_3 = "5-3", _("Art. 5-3 central air conditioning")
    A5_4 = "5-4", _("Art. 5-4 air-conditioner efficiency")
    A5_5 = "5-5", _("Art. 5-5 indoor temperature")
    A6_1 = "6-1", _("Art. 6-1 arcade lighting")
    A6_2 = "6-2", _("Art. 6-2 indoor illuminance")
    A6_3 = "6-3", _("Art. 6-3 incandescent lamps")
    A7 = "7", _("Art. 7 signboards")
    A8_1 = "8-1", _("Art. 8-1 boiler fuel")
    A8_2 = "8-2", _("Art. 8-2 boiler records")
    A9 = "9", _("Art. 9 after-hours equipment")
    A10_1 = "10-1", _("Art. 10-1 refusing inspection")


class ViolationArticle(models.TextChoices):
    """What a violation breaks: an obligation of Arts. 5-10, or Art. 12-2 (fined by Art. 18).

    Art. 12-2 is the energy supplier's duty to provide the register's data when the City
    orders it; the rule engine's article "12".
    """

    A5_1 = "5-1", _("Art. 5-1 entrances")
    A5_2 = "5-2", _("Art. 5-2 obstructions")
    A5_3 = "5-3", _("Art. 5-3 central air conditioning")
    A5_4 = "5-4", _("Art. 5-4 air-conditioner efficiency")
    A5_5 = "5-5", _("Art. 5-5 indoor temperature")
    A6_1 = "6-1", _("Art. 6-1 arcade lighting")
    A6_2 = "6-2", _("Art. 6-2 indoor illuminance")
    A6_3 = "6-3", _("Art. 6-3 incandescent lamps")
    A7 = "7", _("Art. 7 signboards")
    A8_1 = "8-1", _("Art. 8-1 boiler fuel")
    A8_2 = "8-2", _("Art. 8-2 boiler records")
    A9 = "9", _("Art. 9 after-hours equipment")
    A10_1 = "10-1", _("Art. 10-1 refusing inspection")
    A12_2 = "12", _("Art. 12-2 energy-use data ordered from a supplier")


class ViolationStatus(models.TextChoices):
    """Where a violation stands (the table is ``compliance.rules.lifecycle``)."""

    OPEN = "open", _("Open: rectification ordered")
    RECTIFIED = "rectified", _("Rectified")
    FINED = "fined", _("Fined")
    CLOSED = "closed", pgettext_lazy("status", "Closed")
    CANCELLED = "cancelled", _("Cancelled")


class FineStatus(models.TextChoices):
    """Where a fine stands.

    The nightly sweep *proposes* it; an official decides: approved, it is *issued* (to
    be paid once served), then *paid* or *revoked* (by the Department on review or by
    the appeal body); *returned* sends the case back to verification, *cancelled* drops
    it. Only a proposal is ever returned or cancelled.
    """

    PROPOSED = "proposed", _("Proposed, awaiting an official's decision")
    ISSUED = "issued", _("Issued, unpaid")
    PAID = "paid", _("Paid")
    REVOKED = "revoked", _("Revoked")
    RETURNED = "returned", _("Returned for verification")
    CANCELLED = "cancelled", pgettext_lazy("fine status", "Proposal cancelled")


# A fine that no longer holds its step: a proposal an official returned or cancelled, or a
# decision revoked (when the appeal body sends a case back, a new proposal takes the step).
SET_ASIDE_FINE_STATES = ("returned", "cancelled", "revoked")


class ServiceMethod(models.TextChoices):
    """How a decision was served on its addressee (APA Arts. 67-91)."""

    ELECTRONIC = "electronic", _("Opened in the portal (electronic service)")
    REGISTERED_MAIL = "registered_mail", _("Registered mail with return receipt")
    IN_PERSON = "in_person", _("Delivered in person")


class PaymentStatus(models.TextChoices):
    """A payment a business reports, until an administrator confirms or rejects it."""

    REPORTED = "reported", _("Reported, awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class AppealStatus(models.TextChoices):
    """An appeal (訴願) against a penalty decision, filed through the Department (AAA Art. 58).

    The Department reviews it first: it revokes or amends its own decision, or forwards
    the appeal with its reply to the appeal body (the City Government, AAA Art. 4), whose
    decision staff record: dismissed, revoked in whole or in part, or sent back.
    """

    FILED = "filed", _("Received, under the Department's review")
    FORWARDED = "forwarded", _("Forwarded to the City Government")
    DEPARTMENT_REVOKED = "dept_revoked", _("Decision revoked by the Department")
    DEPARTMENT_AMENDED = "dept_amended", _("Decision amended by the Department")
    DISMISSED = "dismissed", _("Appeal dismissed (駁回)")
    REVOKED = "revoked", _("Decision revoked (撤銷)")
    REVOKED_IN_PART = "revoked_in_part", _("Decision revoked in part")
    SENT_BACK = "sent_back", _("Sent back for a new decision")


# The outcomes the appeal body decides (staff record them from its decision document).
APPEAL_BODY_OUTCOMES = ("dismissed", "revoked", "revoked_in_part", "sent_back")
# What the Department may decide on its own review (AAA Art. 58(2)).
DEPARTMENT_OUTCOMES = ("dept_revoked", "dept_amended")


class EvidenceStatus(models.TextChoices):
    """Rectification evidence a business submits, until an inspector reviews it."""

    SUBMITTED = "submitted", _("Submitted, awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class DocumentKind(models.TextChoices):
    """The enforcement documents the City issues."""

    RECTIFICATION_NOTICE = "notice", _("Rectification notice (限期改善通知)")
    PENALTY_DECISION = "decision", _("Penalty decision (裁處書)")


# An enforcement document is a rendered document: the portal's statuses, in its wording.
DocumentStatus = RenderStatus


class VerificationMethod(models.TextChoices):
    """How non-rectification of a missed deadline was established (``rules.verification``)."""

    REINSPECTION = "reinspection", pgettext_lazy("verification method", "Re-inspection")
    RECORDS = "records", pgettext_lazy("verification method", "The portal's records")


class VerificationResult(models.TextChoices):
    """What a verification of a missed deadline found."""

    PERSISTING = "persisting", _("Not rectified: the violation persists")
    RECTIFIED = "rectified", _("Rectified")


class SweepStatus(models.TextChoices):
    """A run of the deadline sweep."""

    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")


# The premises lists' status filter value for premises never assessed.
NOT_ASSESSED = "not_assessed"
