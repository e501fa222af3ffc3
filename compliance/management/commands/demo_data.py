"""Load deterministic Taipei demo data, and demo logins for every role.

With the demo logins, the demo administrator is created first and publishes the initial
rule book (the migrations leave it a draft), so that what is loaded next is assessed
under a rule book someone published.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import ProtectedError
from django.utils import timezone

from compliance.demo import DemoSize, energy, enforcement
from compliance.demo.loading import (
    DEMO_PASSWORD,
    DEMO_USERS,
    demo_businesses,
    ensure_demo_users,
    load,
    remove,
)
from compliance.models import Premises, RuleBookVersion
from compliance.rulebook.services import versions
from portal.choices import Role


class Command(BaseCommand):
    help = (
        "Load realistic Taipei demo businesses, premises, equipment and monthly logs "
        "(the same seed gives the same data; nothing is added when demo data exists), "
        "and demo logins for every role when DEBUG is on or --with-demo-users is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        default = DemoSize()
        parser.add_argument("--businesses", type=int, default=default.businesses)
        parser.add_argument("--premises", type=int, default=default.premises)
        parser.add_argument("--equipment", type=int, default=default.equipment)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--reset", action="store_true", help="Delete the existing demo data first."
        )
        parser.add_argument(
            "--with-demo-users",
            action="store_true",
            help="Create the demo logins even when DEBUG is off.",
        )
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="Rows per bulk insert (default 2000)."
        )

    def handle(self, *args, **options) -> None:
        size = DemoSize(options["businesses"], options["premises"], options["equipment"])
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        if options["reset"]:
            try:
                removed = remove()
            except ProtectedError as exc:
                raise CommandError(
                    f"The demo data cannot be removed: other records refer to it ({exc})."
                ) from exc
            self.stdout.write(f"Removed {removed} demo businesses and all they own.")
        with_users = settings.DEBUG or options["with_demo_users"]
        # The administrator exists and publishes the rule book before anything is assessed.
        users = self._ensure_users() if with_users else None
        if users is not None:
            self._publish_rulebook()
        elif not RuleBookVersion.objects.published().exists():
            self.stdout.write(
                "No rule book is in force: premises are assessed as unknown until an "
                "administrator publishes the initial version on the rule-book pages."
            )
        existing = demo_businesses().count()
        if existing:
            self.stdout.write(
                f"Demo data is already loaded ({existing} businesses); nothing added. "
                "Use --reset to build it again."
            )
        else:
            try:
                counts = load(
                    seed=options["seed"],
                    size=size,
                    today=timezone.localdate(),
                    batch_size=options["batch_size"],
                )
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {counts['business']} businesses, {counts['premises']} premises, "
                    f"{counts['equipment']} equipment items, {counts['acmonthlylog']} AC logs "
                    f"and {counts['boilermonthlylog']} boiler logs (seed {options['seed']})."
                )
            )
            # Show statuses at once: assess what was loaded (`manage.py assess` to repeat).
            call_command("assess", stdout=self.stdout)
        if users is not None:
            self._demo_users(users, options["seed"])
        else:
            self.stdout.write("Demo logins not created: DEBUG is off (use --with-demo-users).")

    def _ensure_users(self) -> list[tuple[str, bool]]:
        try:
            return ensure_demo_users()
        except ValidationError as exc:
            raise CommandError(f"The demo password is refused: {' '.join(exc.messages)}") from exc

    def _publish_rulebook(self) -> None:
        """The demo administrator publishes the initial rule book (the migrations' draft)."""
        if RuleBookVersion.objects.published().exists():
            self.stdout.write("Rule book: a version is already published.")
            return
        draft = versions.initial_draft()
        if draft is None:
            raise CommandError(
                "No rule book is published and there is no initial draft to publish: "
                "draft one on the rule-book pages."
            )
        username = next(spec.username for spec in DEMO_USERS if spec.role == Role.ADMINISTRATOR)
        administrator = get_user_model().objects.get(username=username)
        try:
            versions.publish(
                administrator,
                draft,
                reason="Demo data: the demo administrator publishes the initial rule book.",
            )
        except ValidationError as exc:
            raise CommandError(
                f"The initial rule book cannot be published: {' '.join(exc.messages)}"
            ) from exc
        self.stdout.write(
            f"Rule book: {username} published the initial version "
            f"(in force from {draft.effective_from:%Y-%m-%d})."
        )

    def _demo_users(self, users: list[tuple[str, bool]], seed: int) -> None:
        # Once more, now that the demo businesses exist: the business logins join them.
        self._ensure_users()
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD!r} unless changed):")
        for username, created in users:
            self.stdout.write(f"  {username:<10} {'created' if created else 'already there'}")
        self._enforcement(seed)

    def _enforcement(self, seed: int) -> None:
        """Open demo enforcement cases for the demo logins' businesses (once)."""
        businesses = list(demo_businesses()[:4])
        supplier = get_user_model().objects.filter(username="supplier").first()
        if supplier is not None:
            # Art. 12: the large premises and the demo logins' premises are on the register.
            premises = list(Premises.objects.filter(business__in=demo_businesses()))
            mine = {p.pk for p in premises if p.business_id in {b.pk for b in businesses}}
            accounts = energy.load(supplier, premises, mine, seed, timezone.localdate())
            if accounts:
                self.stdout.write(f"Recorded {accounts} electricity accounts (Art. 12).")
        groups = [
            list(Premises.objects.filter(business=business).order_by("pk")[:2])
            for business in (businesses[:2] + businesses[3:4])
        ]
        opened = enforcement.load(timezone.localdate(), groups)
        if opened:
            self.stdout.write(f"Opened {opened} demo violations (fines, notices, evidence).")
