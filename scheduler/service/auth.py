"""Who is asking: a bearer token (API) or a page session (cookie), checked per request, and the
role each route needs (docs/design.md: Service roles). Dependencies, injected by FastAPI.

No token: the public, who may read only `/health` and the schedule of a public campaign (401
elsewhere). A token outside its role, or an agency acting on another agency's rows: 403.
"""

import asyncio
import math
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from scheduler.service.config import ServiceSettings
from scheduler.service.db.accounts import Principal, session_principal, token_record
from scheduler.service.db.session import Database
from scheduler.service.errors import ServiceError, forbidden, unauthorised
from scheduler.service.throttle import BadTokenThrottle
from scheduler.service.tokens import VerifiedTokens, parse_token, secret_matches

SESSION_COOKIE = "jt_session"
BAD_TOKEN = "the token is not valid (unknown, revoked or mistyped)"
BAD_TOKEN_FIX = "check the token, or ask the coordinator for a new one"


@dataclass
class Guard:
    """Token checks shared by every request: the verified-token cache and the bad-token throttle."""

    verified: VerifiedTokens
    throttle: BadTokenThrottle
    checking: dict[str, asyncio.Lock] = field(default_factory=dict)  # key id → its slow check under way

    def lock(self, key_id: str) -> asyncio.Lock:
        """One slow check per key id at a time: readers arriving together wait for the first."""
        if len(self.checking) > 10_000:
            self.checking.clear()
        return self.checking.setdefault(key_id, asyncio.Lock())

    @classmethod
    def of(cls, settings: ServiceSettings) -> "Guard":
        return cls(
            VerifiedTokens(settings.token_cache_s),
            BadTokenThrottle(
                settings.free_bad_tokens,
                settings.bad_token_window_s,
                settings.max_bad_token_delay_s,
                settings.lockout_bad_tokens,
            ),
        )


def database(request: Request) -> Database:
    return request.app.state.db


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def verify_token(request: Request, token: str) -> Principal:
    """The principal of a valid token; a bad one is counted, slowed, and refused (401 or 429)."""
    guard: Guard = request.app.state.guard
    db: Database = request.app.state.db
    client = client_of(request)
    parsed = parse_token(token)
    record = await db.quickly(token_record, db, parsed[0]) if parsed else None
    if parsed and record is not None and not record.revoked:
        key_id, secret = parsed
        if guard.verified.knows(key_id, secret):
            return record.principal
        async with guard.lock(key_id):
            if guard.verified.knows(key_id, secret):  # checked meanwhile by the request before
                return record.principal
            wait = guard.throttle.locked_out(client)
            if wait > 0:
                seconds = str(math.ceil(wait))
                raise ServiceError(
                    429,
                    "too many bad tokens from this address",
                    "Authorization",
                    f"wait {seconds} s",
                    {"Retry-After": seconds},
                )
            if await run_in_threadpool(secret_matches, secret, record.secret_hash):
                guard.verified.remember(key_id, secret)
                return record.principal
    delay = guard.throttle.failed(client)
    if delay > 0:
        await asyncio.sleep(delay)
    error = unauthorised(BAD_TOKEN, BAD_TOKEN_FIX)
    if delay > 0:
        error.headers = {**(error.headers or {}), "Retry-After": str(math.ceil(delay))}
    raise error


async def api_principal(request: Request) -> Principal | None:
    """The bearer token's principal; None without an Authorization header (the public)."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorised("the Authorization header is not 'Bearer TOKEN'")
    return await verify_token(request, token.strip())


Caller = Annotated[Principal | None, Depends(api_principal)]


def require(*roles: str) -> Callable[..., Coroutine[Any, Any, Principal]]:
    """A dependency: the principal, if signed in (401) with one of `roles` (403); any role if none."""

    async def check(principal: Caller) -> Principal:
        return allowed(principal, roles)

    return check


def allowed(principal: Principal | None, roles: tuple[str, ...]) -> Principal:
    if principal is None:
        raise unauthorised()
    if roles and principal.role not in roles:
        raise forbidden(f"a {principal.role} token cannot do this (it needs: {' or '.join(roles)})")
    return principal


SignedIn = Annotated[Principal, Depends(require())]
Coordinator = Annotated[Principal, Depends(require("coordinator"))]
AgencyActor = Annotated[Principal, Depends(require("agency"))]
Db = Annotated[Database, Depends(database)]


async def page_principal(request: Request) -> tuple[Principal, str] | None:
    """The page session's principal and CSRF token, or None (not logged in, expired, revoked)."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    return await run_in_threadpool(session_principal, request.app.state.db, cookie)
