"""Who may do what with Art. 12-2 data orders and supplier referrals: rules of
:func:`portal.permissions.can`.

Without an object a rule answers for the user's role (pages and the API refuse with 403
on it); with one, whether they may act on it as it stands (the page offers its forms on
it). Administrators order data, cancel or fulfil orders and decide referrals.

Registered on import; ``ComplianceConfig.ready`` imports this module.
"""

from __future__ import annotations

from compliance.energy.models.suppliers import DataOrderStatus, ReferralStatus
from portal.permissions import rule


def _administrator(user) -> bool:
    return bool(user.is_administrator)


@rule("energy.order_data")
def order_data(user, obj=None) -> bool:
    """Administrators order an energy supplier to provide data (Art. 12-2)."""
    return _administrator(user)


@rule("energy.cancel_data_order")
def cancel_data_order(user, order=None) -> bool:
    """Administrators cancel an order that is still open."""
    return _administrator(user) and (order is None or order.status == DataOrderStatus.OPEN)


@rule("energy.fulfil_data_order")
def fulfil_data_order(user, order=None) -> bool:
    """Administrators record that an open or missed order's data arrived another way."""
    return _administrator(user) and (
        order is None or order.status in (DataOrderStatus.OPEN, DataOrderStatus.MISSED)
    )


@rule("energy.match_accounts")
def match_accounts(user, account=None) -> bool:
    """Administrators match supplier accounts no upload matched to a premises."""
    return _administrator(user)


@rule("energy.decide_referral")
def decide_referral(user, referral=None) -> bool:
    """Administrators decide a submitted referral (target, premises, close)."""
    return _administrator(user) and (
        referral is None or referral.status == ReferralStatus.SUBMITTED
    )
