"""What a page says when an action it sent is not done: the same refusals as the API (a rule,
a conflict, a workflow that refused the Update), or the workflow service not answering; the
person reads why and nothing half-done is left."""

from __future__ import annotations

from collections.abc import Awaitable

from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError, RPCStatusCode

from api.pages.i18n import N_
from api.temporal_link import TemporalUnavailable
from models.errors import O2CError

NOTHING_WAITING = N_(
    "Nothing is waiting for this action any more. Reload the page to see where it stands."
)
TEMPORAL_DOWN = N_("The workflow service did not answer; nothing was done. Try again in a minute.")


async def attempt(action: Awaitable[object]) -> str | None:
    """Runs `action`; None when it was done, else the reason it was not, for the person."""
    try:
        await action
    except WorkflowUpdateFailedError as refused:
        return str(getattr(refused.cause, "message", None) or refused.cause or refused)
    except RPCError as error:
        return NOTHING_WAITING if error.status == RPCStatusCode.NOT_FOUND else TEMPORAL_DOWN
    except (RuntimeError, TemporalUnavailable):  # Temporal never got it
        return TEMPORAL_DOWN
    except O2CError as error:
        return error.message
    return None
