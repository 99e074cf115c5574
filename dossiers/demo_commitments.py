"""The demo's promises to clients: on each KAM's first accounts, a few kept on time, some overdue,
and one broken with its reason: what the home card, the scorecard and the timeline show."""

from __future__ import annotations

import datetime as dt

from accounts.models import Account, Contact, User

from . import services
from .models import Interaction

# (what, due in days from today, outcome: "open", "kept" or "broken", the reason of a broken one)
PROMISES = (
    ("Send the mill test certificates for the last delivery", -12, "kept", ""),
    ("Quote the premium range for the new line", -6, "open", ""),
    ("Arrange a plant visit for the quality manager", -2, "open", ""),
    ("Confirm the delivery slots for next quarter", 10, "open", ""),
    ("Replace the damaged coils free of charge", -20, "broken", "The replacement stock was sold elsewhere."),
)


def commitment_story(account: Account, by: User, today: dt.date, number: int) -> int:
    """The promises made to the `number`th demo account of `by`: all of PROMISES on the first, the
    first three on the others (the broken one only once per KAM), `3 * number` days earlier, so
    that the same promise to two clients falls due on different days; returns how many."""
    promises = PROMISES if number == 0 else PROMISES[:3]
    contact = Contact.objects.filter(account=account).order_by("-influence", "pk").first()
    meeting = Interaction.objects.filter(account=account).order_by("-occurred_at", "-pk").first()
    for what, due_in, outcome, reason in promises:
        due = today + dt.timedelta(days=due_in - 3 * number)
        commitment = services.commitment_create(
            account=account, by=by, what=what, due_on=due, contact=contact, interaction=meeting
        )
        if outcome == "kept":
            services.commitment_keep(commitment=commitment, by=by, on=due - dt.timedelta(days=1))
        elif outcome == "broken":
            services.commitment_break(commitment=commitment, by=by, note=reason, on=due)
    return len(promises)
