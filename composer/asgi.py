"""ASGI entry point: HTTP through Django, websockets through Channels."""
from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "composer.settings")

import django  # noqa: E402
from asgiref.sync import sync_to_async  # noqa: E402
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.core.handlers.asgi import ASGIHandler  # noqa: E402


class SyncChainASGIHandler(ASGIHandler):
    """Django's ASGI handler, with the middleware chain and the (synchronous) views run as one synchronous call in
    the request's own thread. Django's own handler runs the chain in that thread but hands each request back to
    the event loop to find and start the view, and the event loop hands it to the thread again: two extra thread
    hops per request, which under load wait their turn behind every other request on the loop."""

    def load_middleware(self, is_async=False):
        super().load_middleware(is_async=False)
        self._middleware_chain = sync_to_async(self._middleware_chain, thread_sensitive=True)


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
    from composer.jobs.worker import start_embedded_worker  # noqa: E402

    start_embedded_worker()
