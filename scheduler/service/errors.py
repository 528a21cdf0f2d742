"""The service's errors: each a status and the one line the command line would print, split as
`{"error", "field", "fix"}` (docs/design.md: Service errors)."""

from dataclasses import dataclass

from scheduler.errors import InputError


@dataclass
class ServiceError(Exception):
    """An HTTP error for the user: status, what is wrong, where, and how to fix it."""

    status: int
    error: str
    field: str = ""
    fix: str = ""
    headers: dict[str, str] | None = None

    def body(self) -> dict[str, str]:
        return {"error": self.error, "field": self.field, "fix": self.fix}


def bad_input(exc: InputError) -> ServiceError:
    """422 with the InputError's line: `error` what and where, `field` and `fix` apart."""
    where = f"{exc.file}: {exc.field}" if exc.field else exc.file
    return ServiceError(422, f"{where}: {exc.problem}", exc.field, exc.fix)


def unauthorised(error: str = "no token given", fix: str = "send Authorization: Bearer TOKEN") -> ServiceError:
    return ServiceError(401, error, "Authorization", fix, {"WWW-Authenticate": "Bearer"})


def forbidden(error: str, fix: str = "use a token of the account that may do this") -> ServiceError:
    return ServiceError(403, error, "Authorization", fix)


def not_found(
    what: str, field: str = "", fix: str = "check the id; list them with GET on the collection"
) -> ServiceError:
    return ServiceError(404, f"no {what}", field, fix)


def conflict(error: str, field: str = "", fix: str = "") -> ServiceError:
    return ServiceError(409, error, field, fix)


def stale(current: int) -> ServiceError:
    return ServiceError(
        412,
        f"the request changed since you read it (it is now version {current}); nothing was changed",
        "If-Match",
        "read the request again, make your change on it, and send If-Match with its version",
    )


def version_required() -> ServiceError:
    return ServiceError(
        428, "If-Match is missing; nothing was changed", "If-Match", "send If-Match: VERSION (the request's version)"
    )
