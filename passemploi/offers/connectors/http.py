"""An HTTP client for partner APIs: a rate limit, and retries with backoff.

- Rate limit: at most ``rate`` calls a second per client (France Travail's limit is reported
  by its users at 3 to 10 calls a second per application, nowhere documented), by spacing calls
  ``1 / rate`` seconds apart.
- Retries: a timeout, a connection error, a 429 or a 5xx is tried again up to ``retries`` times,
  waiting ``backoff * 2**attempt`` seconds (capped), or the ``Retry-After`` the server asked for
  (capped at ``max_wait``: a server asking for an hour must not hold the worker that long).
Other 4xx are not retried: they raise ``ConnectorError`` at once."""

import logging
import threading
import time
from email.utils import parsedate_to_datetime

import requests
from django.utils import timezone

logger = logging.getLogger(__name__)

RETRIED_STATUSES = {429, 500, 502, 503, 504}
MAX_WAIT_SECONDS = 60.0


class ConnectorError(Exception):
    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class RateLimiter:
    def __init__(self, rate: float, clock=time.monotonic, sleep=time.sleep):
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.clock = clock
        self.sleep = sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = self.clock()
            delay = self._next - now
            self._next = max(now, self._next) + self.interval
        if delay > 0:
            self.sleep(delay)


def retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` as seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - timezone.now()).total_seconds())


class HttpClient:
    def __init__(
        self,
        *,
        rate: float = 3.0,
        timeout: float = 10.0,
        retries: int = 4,
        backoff: float = 1.0,
        max_wait: float = MAX_WAIT_SECONDS,
        sleep=time.sleep,
        session: requests.Session | None = None,
    ):
        self.session = session or requests.Session()
        self.limiter = RateLimiter(rate, sleep=sleep)
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.sleep = sleep
        self.calls = 0

    def request(self, method: str, url: str, **kwargs) -> requests.Response:
        """The response of the first attempt that is not a timeout, 429 or 5xx; raises
        ConnectorError once the retries are spent or for any other 4xx."""
        attempt = 0
        while True:
            self.limiter.wait()
            self.calls += 1
            wait = None
            try:
                response = self.session.request(method, url, timeout=self.timeout, **kwargs)
            except (requests.Timeout, requests.ConnectionError) as exc:
                problem, status = f"{type(exc).__name__}", None
            else:
                if response.status_code < 400:
                    return response
                problem, status = f"HTTP {response.status_code}", response.status_code
                if status not in RETRIED_STATUSES:
                    raise ConnectorError(f"{method} {url}: {problem}", status)
                wait = retry_after_seconds(response.headers.get("Retry-After"))
            if attempt >= self.retries:
                raise ConnectorError(f"{method} {url}: {problem} after {attempt + 1} tries", status)
            if wait is None:
                wait = self.backoff * 2**attempt
            wait = min(wait, self.max_wait)
            logger.warning("%s %s: %s, retrying in %.1f s", method, url, problem, wait)
            self.sleep(wait)
            attempt += 1
