"""API rate limits (django-ninja's throttles over Django's cache: Redis when REDIS_URL is set, so
every server process shares the counters). Generous per address, because many young people share
a mobile carrier's address; tighter per signed-in user and on costly writes.

Each throttle reads its rate from a setting at every request, so that it can be changed by
configuration (and in tests) without rebuilding the API."""

from django.conf import settings
from ninja.throttling import SimpleRateThrottle


class _SettingRate(SimpleRateThrottle):
    setting = ""

    def __init__(self, setting: str | None = None):
        if setting:
            self.setting = setting
            self.scope = setting.lower()
        super().__init__(getattr(settings, self.setting))

    def allow_request(self, request) -> bool:
        self.rate = getattr(settings, self.setting)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class PerAddressThrottle(_SettingRate):
    """Every request, signed in or not, counted per client address."""

    scope = "address"
    setting = "API_RATE_PER_ADDRESS"

    def get_cache_key(self, request):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PerUserThrottle(_SettingRate):
    """Requests of one signed-in user (token or session), from any address."""

    scope = "user"
    setting = "API_RATE_PER_USER"

    def get_cache_key(self, request):
        user = getattr(request, "auth", None) or getattr(request, "user", None)
        if getattr(user, "pk", None) is None or not getattr(user, "is_authenticated", False):
            return None
        return self.cache_format % {"scope": self.scope, "ident": str(user.pk)}


def per_user(setting: str) -> list:
    """The throttle of one costly operation (sending a message, uploading a file): per user,
    under a scope of its own so that it does not eat the general allowance. It replaces the
    API's defaults on that operation, so they are listed again."""
    return [PerAddressThrottle(), PerUserThrottle(), PerUserThrottle(setting)]
