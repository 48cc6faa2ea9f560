"""ASGI entry point: HTTP through Django, websockets through Channels.

HTTP goes through Django's ASGI handler, tuned for synchronous views under load.

Every response says in a Server-Timing header how long this process spent on it.

Django runs each request's synchronous code (middleware, view, signals) in a thread made for that request, and
hands the request back to the event loop between the middleware chain and the view. Here the chain and the view
run as one synchronous call, and the request threads are kept for the next requests: two thread hops and one
thread start fewer per request, each of which waits its turn behind every other request on a busy event loop.
"""
from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "composer.settings")

import threading  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402

import django  # noqa: E402
from asgiref.sync import ThreadSensitiveContext, sync_to_async  # noqa: E402
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.core.handlers.asgi import ASGIHandler  # noqa: E402

# Request threads kept idle for reuse; more concurrent requests than this start (and then end) threads of their own.
MAX_IDLE_THREADS = 64


class RequestThread(ThreadPoolExecutor):
    """One thread for one request at a time, which knows whether it still has work (a request whose client went
    away leaves its view running after the handler returned)."""

    def __init__(self):
        super().__init__(1, thread_name_prefix="request")
        self._lock = threading.Lock()
        self.pending = 0

    def submit(self, fn, /, *args, **kwargs):
        with self._lock:
            self.pending += 1
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._finished)
        return future

    def _finished(self, future) -> None:
        with self._lock:
            self.pending -= 1


class SyncChainASGIHandler(ASGIHandler):
    """Django's ASGI handler with the middleware chain and the view run as one call on a kept request thread."""

    def __init__(self):
        super().__init__()
        # Touched only on the event loop's thread.
        self._idle: list[RequestThread] = []

    def load_middleware(self, is_async=False):
        super().load_middleware(is_async=False)
        self._middleware_chain = sync_to_async(self._middleware_chain, thread_sensitive=True)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        executor = self._idle.pop() if self._idle else RequestThread()
        arrived = time.perf_counter()

        async def send_timed(message):
            # Server-Timing: how long the request took in this process, from the event loop handing it to Django to
            # the response's start, so that a client (and bench/api_bench.py) can tell the server's time from the
            # time spent getting to it.
            if message["type"] == "http.response.start":
                spent = 1000 * (time.perf_counter() - arrived)
                message = {**message, "headers": [*message.get("headers", ()),
                                                  (b"server-timing", f"app;dur={spent:.1f}".encode())]}
            await send(message)

        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send_timed)
        finally:
            # A thread still busy with this request (its client went away) is never handed to another one.
            if executor.pending == 0 and len(self._idle) < MAX_IDLE_THREADS:
                self._idle.append(executor)
            else:
                executor.shutdown(wait=False)


django.setup(set_prefix=False)
django_asgi_app = SyncChainASGIHandler()

from composer.realtime.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

from django.conf import settings  # noqa: E402

if settings.COMPOSER_EMBEDDED_WORKER:
    from composer.jobs.stopping import stop_renders_on_exit  # noqa: E402
    from composer.jobs.worker import start_embedded_worker  # noqa: E402

    start_embedded_worker()
    # Ending the server hands the scenes it was rendering back, within seconds (composer/jobs/stopping.py).
    stop_renders_on_exit()

# A serving process: the engine and every presenter's rig (and, when it renders, the voices) are made ready in the
# background (composer/jobs/warmup.py).
from composer.jobs.warmup import start_warmup  # noqa: E402

start_warmup(renders=settings.COMPOSER_EMBEDDED_WORKER)
