"""Tokens: made once, shown once, stored only as a slow hash; read back by their public key id.

A token reads `jt_<key id>_<secret>`: the key id finds the row without scanning, the secret is
checked against its scrypt hash (about 50 ms and 16 MiB, so a stolen table is slow to guess
from). A verified token is remembered for a while by a fast hash of its secret, so that busy
readers do not pay the slow hash on every request; the row itself is read on every request,
so a revoked token stops working at once.
"""

import base64
import hashlib
import hmac
import os
import secrets
import threading
import time
from dataclasses import dataclass

PREFIX = "jt"
SCRYPT = {"n": 2**14, "r": 8, "p": 1}  # RFC 7914's interactive figures: ~16 MiB, tens of ms
KEY_ID_BYTES = 6


@dataclass(frozen=True)
class NewToken:
    key_id: str
    secret: str

    @property
    def text(self) -> str:
        return f"{PREFIX}_{self.key_id}_{self.secret}"


def new_token() -> NewToken:
    return NewToken(secrets.token_hex(KEY_ID_BYTES), secrets.token_urlsafe(32))


def parse_token(text: str) -> tuple[str, str] | None:
    """(key id, secret) of a well-formed token, else None."""
    prefix, _, rest = text.strip().partition("_")
    key_id, _, secret = rest.partition("_")
    if prefix != PREFIX or len(key_id) != 2 * KEY_ID_BYTES or not secret or len(secret) > 100:
        return None
    if any(c not in "0123456789abcdef" for c in key_id):
        return None
    return key_id, secret


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_secret(secret: str) -> str:
    """`scrypt$n$r$p$salt$hash`, base64, with a fresh random salt."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, dklen=32, maxmem=64 * 2**20, **SCRYPT)
    return f"scrypt${SCRYPT['n']}${SCRYPT['r']}${SCRYPT['p']}${_b64(salt)}${_b64(digest)}"


def secret_matches(secret: str, stored: str) -> bool:
    """Whether `secret` is the one hashed into `stored` (constant-time compare)."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(
            secret.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=32, maxmem=64 * 2**20
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, base64.b64decode(digest))


def fast_digest(text: str) -> str:
    """SHA-256, for what is already random and long (secrets, session ids): no guessing to slow."""
    return hashlib.sha256(text.encode()).hexdigest()


class VerifiedTokens:
    """Key ids whose secret passed the slow check lately, with a fast hash of that secret."""

    def __init__(self, lifetime_s: float, size: int = 10_000) -> None:
        self.lifetime_s, self.size = lifetime_s, size
        self._seen: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def knows(self, key_id: str, secret: str) -> bool:
        with self._lock:
            entry = self._seen.get(key_id)
        return entry is not None and entry[1] > time.monotonic() and hmac.compare_digest(entry[0], fast_digest(secret))

    def remember(self, key_id: str, secret: str) -> None:
        with self._lock:
            if len(self._seen) >= self.size:
                self._seen.clear()
            self._seen[key_id] = (fast_digest(secret), time.monotonic() + self.lifetime_s)

    def forget(self, key_id: str) -> None:
        with self._lock:
            self._seen.pop(key_id, None)
