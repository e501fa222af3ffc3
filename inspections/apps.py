from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class InspectionsConfig(AppConfig):
    """Site visits under Art. 10; hands measurements to compliance, never decides itself."""

    name = "inspections"
    verbose_name = pgettext_lazy("site inspections", "Inspections")

    def ready(self) -> None:
        from compliance.energy.services.referrals import register_inspection_planner
        from compliance.rulebook.bridge import register_inspection_facts

        # Signal receivers, Celery tasks, the rules of portal.permissions.
        from inspections import permissions, receivers, tasks  # noqa: F401
        from inspections.facts import latest_inspection_facts
        from inspections.home import home_tasks
        from inspections.reports import verification  # noqa: F401 (verification page)
        from inspections.services.referrals import target_referral
        from portal import home

        register_inspection_facts(latest_inspection_facts)
        register_inspection_planner(target_referral)
        home.register_tasks(home_tasks)
