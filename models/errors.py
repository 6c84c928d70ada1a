"""The domain's one exception family; the API maps each kind to an HTTP status.

O2CError
 +-- NotFound        a referenced record does not exist            (404)
 +-- InvalidInput    the request is wrong whatever the state        (422)
 +-- Conflict        the current state forbids the action           (409)
 +-- Forbidden       the user may not do this to this record        (403)

Across Temporal a kind travels by its class name (an activity's failure, a workflow's refusal
of an Update): `failure()` builds that refusal, and `ERROR_KINDS` lists the names to expect.
"""

from __future__ import annotations

from temporalio.exceptions import ApplicationError


class O2CError(Exception):
    status_code = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @classmethod
    def failure(cls, message: str) -> ApplicationError:
        """This kind of refusal as a workflow raises it (an Update's validator or handler)."""
        return ApplicationError(message, type=cls.__name__)


class NotFound(O2CError):
    status_code = 404


class InvalidInput(O2CError):
    status_code = 422


class Conflict(O2CError):
    status_code = 409


class Forbidden(O2CError):
    status_code = 403


# Every kind a caller may see, in this order (the workflows' retry policy lists them so).
ERROR_KINDS: tuple[type[O2CError], ...] = (NotFound, InvalidInput, Conflict, Forbidden)
