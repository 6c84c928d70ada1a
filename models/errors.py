"""The domain's one exception family; the API maps each kind to an HTTP status.

O2CError
 +-- NotFound        a referenced record does not exist            (404)
 +-- InvalidInput    the request is wrong whatever the state        (422)
 +-- Conflict        the current state forbids the action           (409)
 +-- Forbidden       the user may not do this to this record        (403)
"""

from __future__ import annotations


class O2CError(Exception):
    status_code = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(O2CError):
    status_code = 404


class InvalidInput(O2CError):
    status_code = 422


class Conflict(O2CError):
    status_code = 409


class Forbidden(O2CError):
    status_code = 403
