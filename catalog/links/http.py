"""HTTP for the link checker: one session per host family, pacing, timeouts, retries and waits.

Politeness and "never cry wolf" both live here. Every request has a timeout; requests to one
pacing key are spaced by a minimum interval (arXiv's 3 s rule, 1 s for web pages); throttling
answers (429, 503, 403 with an exhausted rate limit) are waited out as the server asks
(``Retry-After``, ``x-ratelimit-reset``) or with exponential backoff and jitter, but never longer
than ``max_wait``: past it the outcome is ``rate-limited``, a warning, instead of a stalled run.
The clock and the sleep are injectable so that tests check spacing without waiting.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

USER_AGENT = "awesome-pruning-link-checker/0.1 (+https://github.com/hrcheng1066/awesome-pruning)"


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def time(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class RealClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class FakeClock:
    """A clock that only moves when someone sleeps; shared by threads, so it takes a lock."""

    def __init__(self, start: float = 1_000.0, epoch: float = 1_700_000_000.0):
        self._now = start
        self._epoch = epoch - start
        self._lock = threading.Lock()
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        with self._lock:
            return self._now

    def time(self) -> float:
        with self._lock:
            return self._now + self._epoch

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            if seconds > 0:
                self._now += seconds


@dataclass
class Policy:
    """How one family of hosts is treated."""

    timeout: float = 20.0
    min_interval: float = 0.0  # seconds between requests to one pacing key
    max_attempts: int = 3
    max_wait: float = 60.0  # cap on any single wait asked for by a server or by backoff
    backoff: float = 1.0  # first backoff wait; doubles each attempt
    retry_statuses: frozenset[int] = frozenset({500, 502, 503, 504})


@dataclass
class Outcome:
    """The end of one logical request: a response, or why there is none."""

    response: requests.Response | None
    kind: str  # response, timeout, error, rate-limited
    attempts: int
    detail: str = ""
    wait_asked: float | None = None  # the wait a server asked for when it exceeded max_wait

    @property
    def status(self) -> int | None:
        return self.response.status_code if self.response is not None else None


@dataclass
class Stats:
    requests: int = 0
    seconds_waiting: float = 0.0
    by_host: dict[str, int] = field(default_factory=dict)


def parse_retry_after(value: str | None, now_epoch: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - now_epoch)


def rate_limit_wait(headers: Any, now_epoch: float) -> float | None:
    """Seconds until a rate limit resets, from ``x-ratelimit-*`` or ``RateLimit-*`` headers, when it is exhausted."""
    remaining = headers.get("x-ratelimit-remaining") or headers.get("ratelimit-remaining")
    if remaining is None or remaining.strip() != "0":
        return None
    reset = headers.get("x-ratelimit-reset")
    if reset:
        try:
            return max(0.0, float(reset) - now_epoch)
        except ValueError:
            return None
    reset = headers.get("ratelimit-reset")  # IETF draft: delta seconds
    try:
        return max(0.0, float(reset)) if reset else None
    except ValueError:
        return None


def is_throttled(response: requests.Response) -> bool:
    """A 429, a 503 with Retry-After, or a 403 that says the rate limit is spent (GitHub)."""
    status = response.status_code
    headers = response.headers
    if status == 429:
        return True
    if status == 503 and "retry-after" in headers:
        return True
    if status == 403 and (headers.get("x-ratelimit-remaining", "").strip() == "0" or "retry-after" in headers):
        return True
    return False


class Client:
    """One ``requests.Session`` for one host family, with pacing, retries and capped waits.

    Thread-safe for pacing: each pacing key holds a lock while it waits and sends, so requests to
    one host are never concurrent (arXiv's "one connection" rule) and always spaced.
    """

    def __init__(self, family: str, policy: Policy, clock: Clock, rng: random.Random | None = None, headers: dict[str, str] | None = None):
        self.family = family
        self.policy = policy
        self.clock = clock
        self.rng = rng or random.Random(0)
        self.stats = Stats()
        self.session = requests.Session()
        self.session.trust_env = False  # no proxies or .netrc credentials from the environment
        self.session.headers.update({"User-Agent": USER_AGENT, **(headers or {})})
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=2, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._guard = threading.Lock()
        self.log: list[tuple[float, str, str]] = []  # (clock time, method, url) of every request sent

    def close(self) -> None:
        self.session.close()

    def _lock_for(self, key: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def wait(self, seconds: float) -> None:
        if seconds > 0:
            with self._guard:
                self.stats.seconds_waiting += seconds
            self.clock.sleep(seconds)

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with up to 25 % jitter, for the ``attempt``-th retry (1-based)."""
        base = self.policy.backoff * (2.0 ** (attempt - 1))
        return base * (1 + 0.25 * self.rng.random())

    def request(
        self,
        method: str,
        url: str,
        *,
        pace_key: str | None = None,
        retry_statuses: frozenset[int] | None = None,
        max_attempts: int | None = None,
        **kwargs: Any,
    ) -> Outcome:
        """Send with pacing and retries; never raises for network trouble."""
        policy = self.policy
        retry_on = policy.retry_statuses if retry_statuses is None else retry_statuses
        limit = max_attempts or policy.max_attempts
        key = pace_key or (urlsplit(url).netloc or url)
        kwargs.setdefault("timeout", policy.timeout)
        kwargs.setdefault("allow_redirects", False)
        attempts = 0
        last_detail = ""
        last_kind = "error"
        response: requests.Response | None = None
        while attempts < limit:
            attempts += 1
            with self._lock_for(key):
                gap = self._last.get(key, float("-inf")) + policy.min_interval - self.clock.monotonic()
                if gap > 0:
                    self.wait(gap)
                try:
                    self._count(key, method, url)
                    response = self.session.request(method, url, **kwargs)
                    last_kind, last_detail = "response", ""
                except requests.Timeout:
                    response, last_kind, last_detail = None, "timeout", f"no answer within {kwargs['timeout']:g} s"
                except requests.RequestException as exc:
                    response, last_kind, last_detail = None, "error", _short_error(exc)
                finally:
                    self._last[key] = self.clock.monotonic()
            if response is None:
                if attempts < limit:
                    self.wait(min(self.backoff(attempts), policy.max_wait))
                continue
            throttled = is_throttled(response)
            if not throttled and response.status_code not in retry_on:
                return Outcome(response, "response", attempts)
            now = self.clock.time()
            asked = parse_retry_after(response.headers.get("retry-after"), now)
            if asked is None:
                asked = rate_limit_wait(response.headers, now)
            if throttled and asked is not None and asked > policy.max_wait:
                return Outcome(
                    response, "rate-limited", attempts, f"server asked to wait {asked:.0f} s (over --max-wait {policy.max_wait:g} s)", asked
                )
            if attempts >= limit:
                break
            wait = asked if asked is not None else self.backoff(attempts)
            self.wait(min(wait, policy.max_wait))
        if response is not None:
            if is_throttled(response):
                return Outcome(response, "rate-limited", attempts, f"HTTP {response.status_code} after {attempts} attempts")
            return Outcome(response, "response", attempts)
        return Outcome(None, last_kind, attempts, last_detail)

    def _count(self, key: str, method: str, url: str) -> None:
        with self._guard:
            self.stats.requests += 1
            self.stats.by_host[key] = self.stats.by_host.get(key, 0) + 1
            self.log.append((self.clock.monotonic(), method, url))


def _short_error(exc: Exception) -> str:
    """A one-line reason without URLs' query strings or headers (never leak a token)."""
    name = type(exc).__name__
    text = str(exc)
    for marker in (
        "Connection reset",
        "Connection refused",
        "Connection aborted",
        "RemoteDisconnected",
        "Name or service not known",
        "Max retries exceeded",
    ):
        if marker in text:
            return f"{name}: {marker.lower()}"
    return name
