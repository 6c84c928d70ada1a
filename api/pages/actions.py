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

TEMPORAL_DOWN = N_("The workflow service did not answer; nothing was done. Try again in a minute.")
# A workflow that has completed (an order cancelled or closed) takes no more Updates.
FINISHED = N_("Its workflow has already finished, so nothing was done.")


async def attempt(action: Awaitable[object]) -> str | None:
    """Runs `action`; None when it was done, else the reason it was not, for the person."""
    try:
        await action
    except WorkflowUpdateFailedError as refused:
        return str(getattr(refused.cause, "message", None) or refused.cause or refused)
    except RPCError as error:
        return FINISHED if error.status == RPCStatusCode.NOT_FOUND else TEMPORAL_DOWN
    except (RuntimeError, TemporalUnavailable):  # Temporal never got it
        return TEMPORAL_DOWN
    except O2CError as error:
        return error.message
    return None
