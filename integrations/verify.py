"""Signing and verifying webhook bodies (docs/webhooks.md shows the same receiver code).

The signature is HMAC-SHA256 over f"{timestamp}.{body}" with the subscription's secret, sent as
`X-Kam-Signature: sha256=<hex>` with the Unix time in `X-Kam-Timestamp`.
"""

import hashlib
import hmac
import time

TOLERANCE_SECONDS = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The value of X-Kam-Signature for `body` sent at `timestamp`."""
    message = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify_signature(
    secret: str, body: bytes, signature: str, timestamp: str, *, now: float | None = None
) -> bool:
    """True when `signature` (X-Kam-Signature) signs `body` (the raw request body) at `timestamp`
    (X-Kam-Timestamp) with `secret`, and the timestamp is within five minutes of now."""
    try:
        sent = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((time.time() if now is None else now) - sent) > TOLERANCE_SECONDS:
        return False
    expected = "sha256=" + hmac.new(secret.encode(), f"{sent}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature or "")
