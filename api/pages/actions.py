"""What a page says when an action it sent is not done: the same refusals as the API (a rule,
a conflict, a workflow that refused the Update), or the workflow service not answering; the
person reads why and nothing half-done is left. A refusal by a separated-duty rule goes into the
audit trail as the API's does."""

from __future__ import annotations

from collections.abc import Awaitable

from fastapi import Request
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError, RPCStatusCode

from api.duty_refusals import record_refusal
from api.pages.i18n import N_
from api.temporal_link import TemporalUnavailable
from models.errors import O2CError

NOTHING_WAITING = N_(
    "Nothing is waiting for this action any more. Reload the page to see where it stands."
)
TEMPORAL_DOWN = N_("The workflow service did not answer; nothing was done. Try again in a minute.")


async def attempt(request: Request, action: Awaitable[object]) -> str | None:
    """Runs `action` for the page `request` came from; None when it was done, else the reason
    it was not, for the person."""
    try:
        await action
    except WorkflowUpdateFailedError as refused:
        await record_refusal(request, refused)
        return str(getattr(refused.cause, "message", None) or refused.cause or refused)
    except RPCError as error:
        return NOTHING_WAITING if error.status == RPCStatusCode.NOT_FOUND else TEMPORAL_DOWN
    except (RuntimeError, TemporalUnavailable):  # Temporal never got it
        return TEMPORAL_DOWN
    except O2CError as error:
        await record_refusal(request, error)
        return error.message
    return None
