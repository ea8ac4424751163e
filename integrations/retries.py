"""The retry schedule of webhook deliveries, as pure functions (tests drive them directly).

Attempt 1 is made as soon as the event commits. After failed attempt `n` the next one waits
`min(60 s * 2^(n-1), 3 h)`, less up to 25 % of jitter (so receivers coming back up are not hit by
every sender at once): about 1, 2, 4, 8, 16, 32, 64, 128 minutes, then every 3 hours. A delivery
is retried for 24 hours from its first attempt (or from a redelivery); an attempt that would fall
later is not scheduled, and the delivery is `failed`. An endpoint whose attempts have all failed
for 3 days is disabled.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

FIRST_DELAY = timedelta(seconds=60)
MAX_DELAY = timedelta(hours=3)
JITTER = 0.25
RETRY_WINDOW = timedelta(hours=24)
DISABLE_AFTER = timedelta(days=3)
# A claimed delivery is not due again for this long: longer than one attempt can take (10 s), so
# two workers never send it at once; a worker killed mid-attempt leaves it due after the lease.
CLAIM_LEASE = timedelta(minutes=2)


def retry_delay(failed_attempts: int, *, jitter: float = 0.0) -> timedelta:
    """The wait after the `failed_attempts`-th failure; `jitter` in [0, 1) takes up to 25 % off."""
    exponent = max(failed_attempts - 1, 0)
    base = MAX_DELAY if exponent >= 20 else min(FIRST_DELAY * (2**exponent), MAX_DELAY)
    return base * (1 - JITTER * jitter)


def next_attempt_at(
    *,
    failed_attempts: int,
    window_started_at: datetime,
    now: datetime,
    rng: Callable[[], float] = random.random,
) -> datetime | None:
    """When to try again after a failure at `now`, or None once the 24-hour window is spent."""
    when = now + retry_delay(failed_attempts, jitter=rng())
    if when > window_started_at + RETRY_WINDOW:
        return None
    return when


def should_disable(*, failing_since: datetime | None, now: datetime) -> bool:
    """An endpoint failing without a success since `failing_since` is disabled after 3 days."""
    return failing_since is not None and now - failing_since >= DISABLE_AFTER
