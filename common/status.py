"""One colour per status, on every page: the Bootstrap tone of each kind of status's badge.

The tones read the same across kinds: green is good (active, won, done), yellow needs
attention (at risk, in approval, in progress), red is bad (lost, failed, an open complaint),
blue is under way, grey is over or not started.
"""

from __future__ import annotations

STATUS_TONES: dict[str, dict[str, str]] = {
    # An account's buying status, and a contact's attitude (their keys do not overlap).
    "account": {
        "prospect": "info",
        "active": "success",
        "at_risk": "warning",
        "lost": "danger",
        "champion": "success",
        "supporter": "primary",
        "neutral": "secondary",
        "sceptic": "warning",
        "opponent": "danger",
    },
    "proposal": {
        "draft": "secondary",
        "in_approval": "warning",
        "approved": "info",
        "sent": "primary",
        "received": "primary",
        "negotiation": "primary",
        "won": "success",
        "lost": "danger",
        "expired": "dark",
        "withdrawn": "light",
    },
    "complaint": {"open": "danger", "in_progress": "warning", "resolved": "info", "confirmed": "success"},
    "tender": {
        "planned": "secondary",
        "preparing": "warning",
        "submitted": "primary",
        "won": "success",
        "lost": "danger",
        "cancelled": "light",
    },
    "import": {
        "pending": "light",
        "running": "primary",
        "done": "success",
        "checked": "light",
        "refused": "danger",
        "failed": "danger",
        "rolled_back": "secondary",
    },
    "run": {"pending": "light", "running": "primary", "complete": "success", "failed": "danger"},
}


def status_tone(value: object, kind: str = "account") -> str:
    """The badge classes of a status value of `kind` ("text-bg-danger"); a light badge when unknown."""
    tone = STATUS_TONES[kind].get(str(value or ""), "light")
    return f"text-bg-{tone}" + (" border" if tone == "light" else "")


def status_text(value: object, kind: str = "account") -> str:
    """The text colour class of a status value of `kind` ("text-danger"), for figures counted by status."""
    tone = STATUS_TONES[kind].get(str(value or ""), "light")
    return "text-secondary" if tone in ("light", "dark") else f"text-{tone}"
