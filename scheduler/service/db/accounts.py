"""Accounts, their tokens and page sessions: added, revoked, looked up (`jointtrack admin`, log-in)."""

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, delete, select, update

from scheduler.errors import InputError
from scheduler.service.db.events import log_event
from scheduler.service.db.models import Account, PageSession, Token, utc_now
from scheduler.service.db.session import Database
from scheduler.service.tokens import fast_digest, hash_secret, new_token

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
ADMIN = "admin"  # the actor of `jointtrack admin` in the audit log


@dataclass(frozen=True)
class Principal:
    """Who a verified token or page session acts for."""

    name: str
    role: str
    stations: str | None
    token_id: int

    @property
    def agency(self) -> str | None:
        """The agency whose requests this account owns (an agency account's name)."""
        return self.name if self.role == "agency" else None


@dataclass(frozen=True)
class TokenRecord:
    """A token row as authentication needs it."""

    principal: Principal
    secret_hash: str
    revoked: bool


def add_account(db: Database, name: str, role: str, stations: str | None = None) -> str:
    """Add an account (or give a revoked one a new token): the new token's text, shown once."""
    if not NAME.match(name):
        raise InputError(
            "NAME", "", f"{name!r} is not a valid name", "use 1-32 letters, digits, '.', '_' or '-', starting alnum"
        )
    token = new_token()
    secret_hash = hash_secret(token.secret)  # slow: outside the transaction
    with db.write() as session:
        account = session.scalar(select(Account).where(Account.name == name))
        if account is not None and account.role != role:
            raise InputError("NAME", "", f"{name} is already a {account.role}", "choose another name")
        if account is not None:
            live = session.scalar(select(Token.id).where(Token.account_id == account.id, Token.revoked_at.is_(None)))
            if live is not None:
                raise InputError(
                    "NAME", "", f"{name} already has a token", f"revoke it first (jointtrack admin revoke {name})"
                )
            account.stations = stations
        else:
            account = Account(name=name, role=role, stations=stations)
            session.add(account)
            session.flush()
        session.add(Token(key_id=token.key_id, account_id=account.id, secret_hash=secret_hash))
        log_event(session, ADMIN, f"{role}.add", subject=name, after={"role": role, "stations": stations})
    return token.text


def revoke(db: Database, name: str) -> None:
    """Revoke every token of `name`, and end its page sessions, at once."""
    with db.write() as session:
        account = session.scalar(select(Account).where(Account.name == name))
        if account is None:
            raise InputError("NAME", "", f"no account named {name!r}", "give the name used with add-agency/add-*")
        tokens = list(session.scalars(select(Token.id).where(Token.account_id == account.id)))
        live = session.execute(
            update(Token).where(Token.account_id == account.id, Token.revoked_at.is_(None)).values(revoked_at=utc_now())
        ).rowcount
        if tokens:
            session.execute(delete(PageSession).where(PageSession.token_id.in_(tokens)))
        log_event(session, ADMIN, f"{account.role}.revoke", subject=name, after={"tokens_revoked": live})


TOKEN_QUERY = (
    select(Token.id, Token.secret_hash, Token.revoked_at, Account.name, Account.role, Account.stations)
    .join(Account, Account.id == Token.account_id)
    .where(Token.key_id == bindparam("key_id"))
)


def token_record(db: Database, key_id: str) -> TokenRecord | None:
    """The token with this key id and its account, or None."""
    row = db.fetch_one(TOKEN_QUERY, key_id=key_id)
    if row is None:
        return None
    return TokenRecord(Principal(row.name, row.role, row.stations, row.id), row.secret_hash, row.revoked_at is not None)


def open_session(db: Database, token_id: int, hours: float) -> tuple[str, str]:
    """A new page session for a verified token: (cookie value, CSRF token)."""
    cookie, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with db.write() as session:
        session.execute(delete(PageSession).where(PageSession.expires_at < utc_now()))
        session.add(
            PageSession(
                digest=fast_digest(cookie), token_id=token_id, csrf=csrf, expires_at=utc_now() + timedelta(hours=hours)
            )
        )
    return cookie, csrf


def session_principal(db: Database, cookie: str) -> tuple[Principal, str] | None:
    """The principal and CSRF token of a live page session (its token not revoked), or None."""
    with db.read() as session:
        row = session.execute(
            select(PageSession.csrf, Token.id, Account.name, Account.role, Account.stations)
            .join(Token, Token.id == PageSession.token_id)
            .join(Account, Account.id == Token.account_id)
            .where(
                PageSession.digest == fast_digest(cookie),
                PageSession.expires_at > utc_now(),
                Token.revoked_at.is_(None),
            )
        ).first()
    return None if row is None else (Principal(row.name, row.role, row.stations, row.id), row.csrf)


def close_session(db: Database, cookie: str) -> None:
    with db.write() as session:
        session.execute(delete(PageSession).where(PageSession.digest == fast_digest(cookie)))
