"""Sign-in with a limit on guessing: after too many failed attempts, the form refuses for a while (HTTP 429).

Failures are counted in Django's cache (Redis in the scale-out deployment, so every web process shares them), per
username from one address and per address overall, in a sliding window of COMPOSER_SIGNIN_WINDOW_SECONDS. A
successful sign-in clears its username's count. Refusing before the password is checked keeps the guessing rate
bounded and costs no password hashing.
"""
from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(*parts: str) -> str:
    return "signin-failures:" + hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]


class FailureWindow:
    """Timestamps of recent failures under one cache key; old ones fall out of the window."""

    def __init__(self, key: str, limit: int, window: int):
        self.key, self.limit, self.window = key, limit, window

    def recent(self, now: float) -> list[float]:
        return [t for t in cache.get(self.key, []) if now - t < self.window]

    def retry_after(self, now: float) -> int:
        """Seconds until one more attempt is allowed; 0 when it is allowed now."""
        recent = self.recent(now)
        if len(recent) < self.limit:
            return 0
        return max(1, math.ceil(sorted(recent)[-self.limit] + self.window - now))

    def add(self, now: float) -> None:
        cache.set(self.key, [*self.recent(now), now][-self.limit:], self.window)

    def clear(self) -> None:
        cache.delete(self.key)


def windows(request, username: str) -> list[FailureWindow]:
    address = client_address(request)
    window = settings.COMPOSER_SIGNIN_WINDOW_SECONDS
    return [
        FailureWindow(_key("user", address, username.strip().lower()), settings.COMPOSER_SIGNIN_MAX_FAILURES, window),
        FailureWindow(_key("address", address), settings.COMPOSER_SIGNIN_MAX_FAILURES * 5, window),
    ]


class SignInView(auth_views.LoginView):
    template_name = "studio/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        now = time.time()
        limits = windows(request, request.POST.get("username", ""))
        wait = max(w.retry_after(now) for w in limits)
        if wait:
            # An unbound form: binding it would check the password after all.
            form = self.get_form_class()(request, initial={"username": request.POST.get("username", "")})
            context = self.get_context_data(form=form, throttled_minutes=math.ceil(wait / 60))
            response = self.render_to_response(context, status=429)
            response["Retry-After"] = str(wait)
            return response
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            limits[0].clear()
        else:
            for window in limits:
                window.add(now)
        return response
