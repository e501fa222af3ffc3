"""State changes of the compliance app, one verb per function, each audited.

``registry``: businesses, claims, premises, equipment, logs. ``rulebook``: drafting and
publishing rule-book versions. ``exemptions``: individual grants. ``assessment``:
compliance decisions and the current status of premises.
"""

from compliance.registry.services import (
    add_member,
    decide_claim,
    delete_record,
    register_business,
    request_claim,
    save_record,
)

__all__ = [
    "add_member",
    "decide_claim",
    "delete_record",
    "register_business",
    "request_claim",
    "save_record",
]
