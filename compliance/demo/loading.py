"""Save the demo data in batches, remove it again, and make the demo logins.

Loading is seeding, not a user's change of state, so it writes rows in bulk rather than
through ``compliance.services`` one by one (which would take hours at city scale).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import QuerySet

from compliance import services
from compliance.demo import DEMO_EMAIL_DOMAIN, BusinessBundle, DemoSize, generate
from compliance.models import (
    AcMonthlyLog,
    Appeal,
    BoilerMonthlyLog,
    Business,
    DataOrder,
    DataOrderEvent,
    EnforcementDocument,
    Equipment,
    EvidenceFile,
    Fine,
    FinePayment,
    Premises,
    RectificationEvidence,
    Statement,
    SupplierAccount,
    Verification,
    Violation,
    ViolationEvent,
)
from compliance.signals import demo_premises_loaded, premises_removing
from portal.choices import Role

# A password Django's validators accept; published in the README, so demo only.
DEMO_PASSWORD = "demo-portal-2026"


@dataclass(frozen=True)
class DemoUser:
    """A demo login: one per role, business users acting for the first demo businesses."""

    username: str
    role: str
    display_name: str
    businesses: tuple[int, ...] = ()  # positions among the demo businesses, oldest first
    is_staff: bool = False
    is_superuser: bool = False
    job_title: str = ""
    permissions: tuple[str, ...] = ()  # "app_label.codename", granted to the person


DEMO_USERS = (
    DemoUser("admin", Role.ADMINISTRATOR, "產業發展局 管理員", is_staff=True, is_superuser=True),
    # The official who decides proposed fines (決行): an administrator holding the
    # permission; the inspector who verified a case never decides it.
    DemoUser(
        "official",
        Role.ADMINISTRATOR,
        "王大明",
        is_staff=True,
        job_title="科長",
        permissions=("compliance.decide_fine",),
    ),
    DemoUser("inspector", Role.INSPECTOR, "張文華 (稽查員)"),
    DemoUser("owner", Role.BUSINESS, "林美惠", businesses=(0, 1, 2)),
    DemoUser("owner2", Role.BUSINESS, "陳建宏", businesses=(3,)),
    DemoUser("supplier", Role.ENERGY_SUPPLIER, "能源供應事業 聯絡窗口"),
    DemoUser("officer", Role.PROGRAMME_OFFICER, "國際合作計畫 專員"),
    DemoUser("apiclient", Role.API_CLIENT, "開放資料介接程式"),
)


def demo_businesses() -> QuerySet[Business]:
    """Return the businesses the demo generator made, oldest first."""
    return Business.objects.filter(contact_email__endswith=f"@{DEMO_EMAIL_DOMAIN}").order_by("id")


def _save(bundles: list[BusinessBundle], batch_size: int, counts: Counter) -> None:
    """Insert the bundles' rows, parents first (bulk_create fills in the parents' ids)."""
    for model, rows in (
        (Business, [b.business for b in bundles]),
        (Premises, [p for b in bundles for p in b.premises]),
        (Equipment, [e for b in bundles for e in b.equipment]),
        (AcMonthlyLog, [log for b in bundles for log in b.ac_logs]),
        (BoilerMonthlyLog, [log for b in bundles for log in b.boiler_logs]),
    ):
        model.objects.bulk_create(rows, batch_size=batch_size)
        counts[model._meta.model_name] += len(rows)


@transaction.atomic
def load(*, seed: int, size: DemoSize, today: date, batch_size: int = 1000) -> Counter:
    """Generate and save the demo data; return the number of rows per model name."""
    counts: Counter = Counter()
    taken = set(Business.objects.values_list("ubn", flat=True))
    before = Premises.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    pending: list[BusinessBundle] = []
    pending_rows = 0
    for bundle in generate(seed=seed, size=size, today=today, taken_ubns=taken):
        pending.append(bundle)
        pending_rows += 1 + len(bundle.premises) + len(bundle.equipment)
        if pending_rows >= batch_size:
            _save(pending, batch_size, counts)
            pending, pending_rows = [], 0
    _save(pending, batch_size, counts)
    # Other apps add what they keep about the new premises (inspections: past visits).
    new = Premises.objects.filter(pk__gt=before, business__in=demo_businesses())
    demo_premises_loaded.send(sender=Premises, premises=new, today=today, seed=seed)
    return counts


@transaction.atomic
def remove() -> int:
    """Delete the demo businesses and everything they own; return how many businesses."""
    businesses = demo_businesses()
    premises = Premises.objects.filter(business__in=businesses)
    # Other apps delete what they keep about these premises (e.g. inspections) first.
    premises_removing.send(sender=Premises, premises=premises)
    remove_enforcement(premises)
    remove_supplier_cases()
    SupplierAccount.objects.filter(premises__in=premises).delete()  # their monthly use too
    AcMonthlyLog.objects.filter(equipment__premises__in=premises).delete()
    BoilerMonthlyLog.objects.filter(equipment__premises__in=premises).delete()
    Equipment.objects.filter(premises__in=premises).delete()
    premises.delete()
    return businesses.delete()[1].get(Business._meta.label, 0)


def remove_enforcement(premises) -> None:
    """Delete the violations of ``premises`` and all that hangs on them (demo data only)."""
    violations = Violation.objects.filter(premises__in=premises)
    fines = Fine.objects.filter(violation__in=violations)
    evidence = RectificationEvidence.objects.filter(violation__in=violations)
    for queryset in (
        EnforcementDocument.objects.filter(violation__in=violations),
        FinePayment.objects.filter(fine__in=fines),
        Appeal.objects.filter(fine__in=fines),
        EvidenceFile.objects.filter(evidence__in=evidence),
        evidence,
        fines,
        Statement.objects.filter(violation__in=violations),
        Verification.objects.filter(violation__in=violations),
        ViolationEvent.objects.filter(violation__in=violations),
        violations,
    ):
        queryset.delete()


def remove_supplier_cases() -> None:
    """Delete the demo supplier's data orders and their Art. 18 cases (demo data only)."""
    orders = DataOrder.objects.filter(supplier__username="supplier")
    cases = Violation.objects.filter(pk__in=orders.values("violation"))
    fines = Fine.objects.filter(violation__in=cases)
    for queryset in (
        EnforcementDocument.objects.filter(violation__in=cases),
        FinePayment.objects.filter(fine__in=fines),
        Appeal.objects.filter(fine__in=fines),
        DataOrderEvent.objects.filter(order__in=orders),
    ):
        queryset.delete()
    case_ids = list(cases.values_list("pk", flat=True))
    orders.delete()
    Fine.objects.filter(violation__in=case_ids).delete()
    Statement.objects.filter(violation__in=case_ids).delete()
    Verification.objects.filter(violation__in=case_ids).delete()
    ViolationEvent.objects.filter(violation__in=case_ids).delete()
    Violation.objects.filter(pk__in=case_ids).delete()


@transaction.atomic
def ensure_demo_users(password: str = DEMO_PASSWORD) -> list[tuple[str, bool]]:
    """Create the missing demo logins and their memberships; return (username, created).

    Existing accounts keep their password: a second run never undoes a change.
    """
    user_model = get_user_model()
    businesses = list(demo_businesses())
    made = []
    for spec in DEMO_USERS:
        user = user_model.objects.filter(username=spec.username).first()
        created = user is None
        if created:
            user = user_model(
                username=spec.username,
                role=spec.role,
                display_name=spec.display_name,
                email=f"{spec.username}@{DEMO_EMAIL_DOMAIN}",
                is_staff=spec.is_staff,
                is_superuser=spec.is_superuser,
                job_title=spec.job_title,
            )
            validate_password(password, user)
            user.set_password(password)
            user.save()
            for permission in spec.permissions:
                app_label, codename = permission.split(".")
                user.user_permissions.add(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )
        for position in spec.businesses:
            if position < len(businesses):
                services.add_member(None, businesses[position], user)
        made.append((spec.username, created))
    return made
