"""HTTP for the link checker: one session per host family, pacing, timeouts, retries and waits.

Politeness and "never cry wolf" both live here. Every request has a timeout; requests to one
pacing key are spaced by a minimum interval (arXiv's 3 s rule, 1 s for web pages); throttling
answers (429, 503, 403 with an exhausted rate limit) are waited out as the server asks
(``Retry-After``, ``x-ratelimit-reset``) or with exponential backoff and jitter, but never longer
than ``max_wait``: past it the outcome is ``rate-limited``, a warning, instead of a stalled run.
Hostile answers stay bounded: the timeout is a total deadline per request (a watchdog shuts
the socket of a server that trickles bytes), bodies are read up to a byte limit, and a
dropped connection is an ``error`` outcome, never an exception. The clock and the sleep are
injectable so that tests check spacing without waiting; ``stop`` ends a run's requests on Ctrl-C.
"""

from __future__ import annotations

import email.utils
import random
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

from catalog.links.config import CheckConfig

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
    max_body: int = 16 * 1024 * 1024  # bytes of a body read at most (JSON and Atom answers are far smaller)
    retry_statuses: frozenset[int] = frozenset({500, 502, 503, 504})


@dataclass
class Outcome:
    """The end of one logical request: a response, or why there is none."""

    response: requests.Response | None
    kind: str  # response, timeout, error, rate-limited
    attempts: int
    detail: str = ""
    wait_asked: float | None = None  # the wait a server asked for when it exceeded max_wait
    truncated: bool = False  # the body was longer than the reader's limit; only its start was read

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


class Interrupted(Exception):  # noqa: N818 - a signal, not an error
    """Raised inside a checker thread when the run was interrupted: no new request is sent."""


class _BodyTimeout(Exception):
    """The body did not arrive within the total deadline (a server trickling bytes)."""


DEADLINE_SLACK = 0.5  # seconds past the timeout before the watchdog cuts a request off
_IN_USE: dict[int, Any] = {}  # thread id -> the urllib3 connection that thread is using now
_IN_USE_LOCK = threading.Lock()


class _WatchedPool(urllib3.HTTPConnectionPool):
    """Records which connection the calling thread takes, so that its deadline can cut it off."""

    def _get_conn(self, timeout: float | None = None) -> Any:
        conn = super()._get_conn(timeout)
        with _IN_USE_LOCK:
            _IN_USE[threading.get_ident()] = conn
        return conn


class _WatchedHTTPSPool(urllib3.HTTPSConnectionPool):
    def _get_conn(self, timeout: float | None = None) -> Any:
        conn = super()._get_conn(timeout)
        with _IN_USE_LOCK:
            _IN_USE[threading.get_ident()] = conn
        return conn


class WatchedAdapter(HTTPAdapter):
    """An adapter whose connections a :class:`_Deadline` can find (requests' own adapter hides them)."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _WatchedPool, "https": _WatchedHTTPSPool}


class _Deadline:
    """A total-time limit on one request: when it passes, the socket in use is shut down.

    The per-read timeout ends a server that stops; it never ends one that sends a byte every
    few seconds (in the headers as well as the body). Shutting the socket down wakes the
    blocked read at once, and the request ends as a timeout.
    """

    def __init__(self, seconds: float):
        self.owner = threading.get_ident()
        self.fired = False
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        with _IN_USE_LOCK:
            conn = _IN_USE.get(self.owner)
        sock = getattr(conn, "sock", None)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed

    def cancel(self) -> None:
        self._timer.cancel()
        with _IN_USE_LOCK:
            _IN_USE.pop(self.owner, None)


class Client:
    """One ``requests.Session`` for one host family, with pacing, retries, capped waits and bounded bodies.

    Thread-safe for pacing: each pacing key holds a lock while it waits and sends, so requests to
    one host are never concurrent (arXiv's "one connection" rule) and always spaced. Bodies are
    read here, at most ``max_body`` bytes and within ``policy.timeout`` seconds *in total*: a
    per-read timeout alone never ends a server that sends one byte a second, and a 5 MB page
    must not be held in memory to learn that it exists. Setting ``stop`` (shared by all clients
    of a run) makes every later request raise :class:`Interrupted` instead of being sent.
    """

    def __init__(self, family: str, policy: Policy, clock: Clock, rng: random.Random | None = None, headers: dict[str, str] | None = None):
        self.family = family
        self.policy = policy
        self.clock = clock
        self.rng = rng or random.Random(0)
        self.stats = Stats()
        self.stop = threading.Event()
        self.session = requests.Session()
        self.session.trust_env = False  # no proxies or .netrc credentials from the environment
        self.session.headers.update({"User-Agent": USER_AGENT, **(headers or {})})
        adapter = WatchedAdapter(pool_connections=4, pool_maxsize=2, max_retries=0)
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
        """Sleep on the clock; on the real clock an interrupt ends the wait at once (raising :class:`Interrupted`)."""
        if seconds > 0:
            with self._guard:
                self.stats.seconds_waiting += seconds
            if isinstance(self.clock, RealClock):
                self.stop.wait(seconds)
            else:
                self.clock.sleep(seconds)
        if self.stop.is_set():
            raise Interrupted

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with up to 25 % jitter, for the ``attempt``-th retry (1-based)."""
        base: float = self.policy.backoff * 2.0 ** (attempt - 1)
        return base * (1 + 0.25 * self.rng.random())

    def request(
        self,
        method: str,
        url: str,
        *,
        pace_key: str | None = None,
        retry_statuses: frozenset[int] | None = None,
        max_attempts: int | None = None,
        max_body: int | None = None,
        **kwargs: Any,
    ) -> Outcome:
        """Send with pacing and retries; never raises for network trouble (only :class:`Interrupted`)."""
        retry_on = self.policy.retry_statuses if retry_statuses is None else retry_statuses
        limit = max_attempts or self.policy.max_attempts
        key = pace_key or (urlsplit(url).netloc or url)
        kwargs.setdefault("timeout", self.policy.timeout)
        kwargs.setdefault("allow_redirects", False)
        kwargs["stream"] = True  # the body is read by _read_body, bounded in size and time
        body_limit = self.policy.max_body if max_body is None else max_body
        attempts = 0
        last = Outcome(None, "error", 0)
        while attempts < limit:
            attempts += 1
            last = self._attempt(method, url, key, body_limit, attempts, kwargs)
            if last.response is None:
                if attempts < limit:
                    self.wait(min(self.backoff(attempts), self.policy.max_wait))
                continue
            decided = self._decide(last.response, attempts, retry_on)
            if decided is not None:
                return decided
            if attempts >= limit:
                break
            self.wait(min(self._asked_wait(last.response, attempts), self.policy.max_wait))
        if last.response is not None and is_throttled(last.response):
            return Outcome(last.response, "rate-limited", attempts, f"HTTP {last.response.status_code} after {attempts} attempts")
        return Outcome(last.response, last.kind, attempts, last.detail)

    def _attempt(self, method: str, url: str, key: str, body_limit: int, attempt: int, kwargs: dict[str, Any]) -> Outcome:
        """One paced request with its body read; the outcome's kind is response, timeout or error."""
        with self._lock_for(key):
            gap = self._last.get(key, float("-inf")) + self.policy.min_interval - self.clock.monotonic()
            if gap > 0:
                self.wait(gap)
            if self.stop.is_set():
                raise Interrupted
            watchdog = _Deadline(self.policy.timeout + DEADLINE_SLACK)
            try:
                self._count(key, method, url)
                started = time.monotonic()
                response = self.session.request(method, url, **kwargs)
                truncated = self._read_body(response, started, body_limit)
                return Outcome(response, "response", attempt, truncated=truncated)
            except (requests.Timeout, urllib3.exceptions.TimeoutError, _BodyTimeout):
                return Outcome(None, "timeout", attempt, f"no complete answer within {kwargs['timeout']:g} s")
            except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
                if watchdog.fired:
                    return Outcome(None, "timeout", attempt, f"no complete answer within {kwargs['timeout']:g} s")
                return Outcome(None, "error", attempt, _short_error(exc))
            finally:
                watchdog.cancel()
                self._last[key] = self.clock.monotonic()

    def _read_body(self, response: requests.Response, started: float, limit: int) -> bool:
        """Read at most ``limit`` bytes of the body before the total deadline; True when more was left unread."""
        chunks: list[bytes] = []
        size = 0
        try:
            while size < limit:  # a HEAD answer reads as empty at once, which also frees its connection
                if time.monotonic() - started > self.policy.timeout:
                    raise _BodyTimeout
                chunk = response.raw.read1(min(65_536, limit - size), decode_content=True)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            truncated = size >= limit
        except BaseException:
            response.close()
            raise
        response._content = b"".join(chunks)  # what requests' .content, .text and .json() read
        response._content_consumed = True  # type: ignore[attr-defined]  # requests' own flag, not in its stubs
        if truncated:
            response.close()  # the rest is not wanted: drop the connection rather than drain it
        else:
            response.raw.release_conn()
        return truncated

    def _decide(self, response: requests.Response, attempts: int, retry_on: frozenset[int]) -> Outcome | None:
        """The outcome when this response settles the request; None when it asks for another attempt."""
        throttled = is_throttled(response)
        if not throttled and response.status_code not in retry_on:
            return Outcome(response, "response", attempts)
        asked = self._server_wait(response)
        if throttled and asked is not None and asked > self.policy.max_wait:
            detail = f"server asked to wait {asked:.0f} s (over --max-wait {self.policy.max_wait:g} s)"
            return Outcome(response, "rate-limited", attempts, detail, asked)
        return None

    def _server_wait(self, response: requests.Response) -> float | None:
        now = self.clock.time()
        asked = parse_retry_after(response.headers.get("retry-after"), now)
        return asked if asked is not None else rate_limit_wait(response.headers, now)

    def _asked_wait(self, response: requests.Response, attempts: int) -> float:
        asked = self._server_wait(response)
        return asked if asked is not None else self.backoff(attempts)

    def _count(self, key: str, method: str, url: str) -> None:
        with self._guard:
            self.stats.requests += 1
            self.stats.by_host[key] = self.stats.by_host.get(key, 0) + 1
            self.log.append((self.clock.monotonic(), method, url))


def _short_error(exc: BaseException) -> str:
    """A one-line reason without URLs' query strings or headers (never leak a token)."""
    name = type(exc).__name__
    text = str(exc)
    markers = (
        "Connection reset", "Connection refused", "Connection aborted", "RemoteDisconnected", "Name or service not known",
        "Max retries exceeded", "IncompleteRead", "Connection broken",
    )  # fmt: skip
    for marker in markers:
        if marker in text:
            return f"{name}: {marker.lower()}"
    return name


@dataclass
class Clients:
    """The HTTP clients of one run, one per host family (GitHub has two: the API and its web pages)."""

    github_api: Client
    github_web: Client
    arxiv: Client
    generic: Client

    def all(self) -> dict[str, list[Client]]:
        return {"github": [self.github_api, self.github_web], "arxiv": [self.arxiv], "generic": [self.generic]}

    def close(self) -> None:
        for group in self.all().values():
            for c in group:
                c.close()

    def interrupt(self) -> None:
        """No client sends another request (each raises :class:`Interrupted` instead)."""
        for group in self.all().values():
            for c in group:
                c.stop.set()


def _policy(config: CheckConfig, **kw: Any) -> Policy:
    return Policy(timeout=config.timeout, max_wait=config.max_wait, max_attempts=config.max_attempts, **kw)


def arxiv_client(config: CheckConfig, clock: Clock | None = None, rng: random.Random | None = None) -> Client:
    """The one paced arXiv client: ``arxiv_delay`` apart (3 s by arXiv's terms) over a single connection.

    Everything that talks to arXiv (the link checker, fetching metadata for ``add``) uses this,
    so the politeness rule lives in one place.
    """
    client = Client(
        "arxiv", _policy(config, min_interval=config.arxiv_delay, backoff=max(config.arxiv_delay, 0.01)), clock or RealClock(), rng
    )
    single = WatchedAdapter(pool_connections=1, pool_maxsize=1, max_retries=0)  # one connection to arXiv, as its terms ask
    client.session.mount("http://", single)
    client.session.mount("https://", single)
    return client


def make_clients(config: CheckConfig, clock: Clock, rng: random.Random | None = None) -> Clients:
    rng = rng or random.Random()
    return Clients(
        github_api=Client("github", _policy(config), clock, rng),
        github_web=Client("github", _policy(config, min_interval=config.web_interval), clock, rng),
        arxiv=arxiv_client(config, clock, rng),
        generic=Client("generic", _policy(config, min_interval=config.web_interval), clock, rng),
    )
