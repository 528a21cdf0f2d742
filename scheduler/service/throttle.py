"""Repeated bad tokens from one client are slowed, then refused (docs/design.md: Service security).

Per client address, over a sliding window: the first few bad tokens are answered at once; each
one after that waits twice as long as the one before (from 0.25 s up to a cap) before its 401;
past the lock-out count, a token not already verified gets 429 with `Retry-After`, without the
slow hash being computed at all. Good tokens are never slowed.
"""

import threading
import time
from collections import deque


class BadTokenThrottle:
    """Bad-token counts per client address over a sliding window."""

    def __init__(self, free: int, window_s: float, max_delay_s: float, lockout: int) -> None:
        self.free, self.window_s, self.max_delay_s, self.lockout = free, window_s, max_delay_s, lockout
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        seen = self._failures.setdefault(client, deque())
        while seen and seen[0] <= now - self.window_s:
            seen.popleft()
        return seen

    def failed(self, client: str) -> float:
        """Count a bad token from `client`; the seconds to wait before answering it."""
        now = time.monotonic()
        with self._lock:
            if len(self._failures) > 100_000:
                self._failures.clear()
            seen = self._recent(client, now)
            seen.append(now)
            over = len(seen) - self.free
        return 0.0 if over <= 0 else min(self.max_delay_s, 0.25 * 2 ** (over - 1))

    def locked_out(self, client: str) -> float:
        """Seconds until `client` may try an unverified token again (0: it may now)."""
        now = time.monotonic()
        with self._lock:
            seen = self._recent(client, now)
            if len(seen) < self.lockout:
                return 0.0
            return seen[len(seen) - self.lockout] + self.window_s - now
