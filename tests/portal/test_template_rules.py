"""Pages offer an action exactly when the permission rule behind it allows it.

Templates ask the registry (``user|can:"…"``) instead of re-deriving roles, so a button
and the page it leads to agree: each row is a page, the link it may offer, and who sees it.
"""

import re

import pytest
from django.urls import reverse

from portal.permissions import can

pytestmark = pytest.mark.django_db

# (page, the offered link's URL name, the rule that decides it)
OFFERS = [
    ("premises-list", "premises-create", "registry.write"),
    ("business-list", "business-create", "registry.write"),
    ("business-list", "claim-create", "registry.claim_business"),
    ("rulebook-list", "rulebook-draft-create", "rulebook.draft"),
    ("scheme-list", "scheme-create", "subsidies.edit_scheme"),
    ("service-team-list", "service-team-create", "subsidies.manage_teams"),
    ("service-team-list", "service-request-create", "subsidies.request_help"),
    ("service-request-list", "service-request-create", "subsidies.request_help"),
    ("data-order-list", "data-order-create", "energy.order_data"),
    ("energy-use-list", "energy-account-unmatched", "energy.match_accounts"),
    ("inspection-list", "inspection-plan", "inspections.plan"),
    # The menu (on every page) links the sections whose rules allow the user in.
    ("home", "enforcement-review-queue", "enforcement.review_evidence"),
    ("home", "enforcement-proposal-list", "enforcement.see_proposals"),
    ("home", "enforcement-sweep", "enforcement.run_sweep"),
    ("home", "working-calendar", "enforcement.declare_working_day"),
    ("home", "enforcement-dashboard", "enforcement.see_dashboard"),
    ("home", "inspection-list", "inspections.read_all"),
]


@pytest.mark.parametrize(("page", "offered", "rule"), OFFERS)
@pytest.mark.parametrize("who", ["administrator", "inspector", "owner", "supplier"])
def test_a_page_offers_an_action_to_whom_its_rule_allows(client, request, page, offered, rule, who):
    user = request.getfixturevalue(who)
    client.force_login(user)

    response = client.get(reverse(page))

    if response.status_code != 200:
        # A page the user cannot reach offers nothing, and its rule does not allow it either.
        assert response.status_code in (403, 404) and not can(user, rule), (who, page)
        return
    link = re.compile(rf'(href|action)="{re.escape(reverse(offered))}["?]')
    assert bool(link.search(response.content.decode())) == can(user, rule), (who, page, offered)
