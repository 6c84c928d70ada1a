"""Who sends a carrier tracking event: a carrier, proving it with an HMAC-SHA256 signature made
with its shared secret (`O2C_CARRIER_SECRETS`), or a warehouse user with a bearer token.

A carrier sends `X-Carrier-Name`, `X-Carrier-Timestamp` (Unix seconds) and
`X-Carrier-Signature`: the hex HMAC-SHA256, under its secret, of `{timestamp}.{raw body}`
(optionally prefixed `sha256=`). A timestamp more than `O2C_CARRIER_SIGNATURE_MAX_AGE_SECONDS`
from now is refused, so a captured request cannot be replayed later; within that time a replay
repeats an `event_id` already stored, which changes nothing."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from activities.fulfilment.shipments import shipment_public
from api.deps import DatabaseDep, SettingsDep, current_user, oauth2
from models.fields import IdParam
from models.security.users import Role
from o2c.settings import Settings

CARRIER_HEADER = "X-Carrier-Name"
TIMESTAMP_HEADER = "X-Carrier-Timestamp"
SIGNATURE_HEADER = "X-Carrier-Signature"
# Who may post tracking events with a token (admin always).
TRACKING_ROLES = frozenset({Role.WAREHOUSE, Role.ADMIN})
CARRIER_PREFIX = "carrier:"  # no username holds a colon, so a sender's kind is unambiguous


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """What a carrier sends in X-Carrier-Signature for this timestamp and body."""
    message = timestamp.encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_carrier(
    settings: Settings, headers: Mapping[str, str], body: bytes, now: float
) -> str | None:
    """The configured carrier whose valid, fresh signature the request carries; else None."""
    name = headers.get(CARRIER_HEADER, "")
    timestamp = headers.get(TIMESTAMP_HEADER, "")
    sent = headers.get(SIGNATURE_HEADER, "").removeprefix("sha256=")
    secrets = {
        carrier.lower(): (carrier, secret) for carrier, secret in settings.carrier_secrets.items()
    }
    known = secrets.get(name.lower())
    if known is None or not timestamp.isdigit() or not sent:
        return None
    if abs(now - int(timestamp)) > settings.carrier_signature_max_age_seconds:
        return None
    carrier, secret = known
    return carrier if hmac.compare_digest(signature(secret, timestamp, body), sent) else None


async def tracking_sender(
    request: Request,
    shipment_id: IdParam,
    settings: SettingsDep,
    db: DatabaseDep,
    token: Annotated[str | None, Depends(oauth2)],
) -> str:
    """`carrier:<name>` for a carrier's signed event on a shipment it carries, else the
    username of a warehouse user (or admin); 401 for a bad signature or no valid token."""
    if not any(h in request.headers for h in (CARRIER_HEADER, SIGNATURE_HEADER)):
        user = await current_user(token, db, settings)
        if not user.role_set & TRACKING_ROLES:
            needed = ", ".join(sorted(TRACKING_ROLES))
            raise HTTPException(status.HTTP_403_FORBIDDEN, detail=f"this needs one of: {needed}")
        return user.username
    carrier = signed_carrier(settings, request.headers, await request.body(), time.time())
    if carrier is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="carrier signature missing, wrong or too old",
        )
    shipment = await db.run(shipment_public, shipment_id)
    if (shipment.carrier or "").lower() != carrier.lower():
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, detail=f"shipment {shipment_id} is not carried by {carrier}"
        )
    return CARRIER_PREFIX + carrier


TrackingSender = Annotated[str, Depends(tracking_sender)]
