"""The embedded channel layer: in-memory, but safe to publish to from the render worker's threads.

Channels' InMemoryChannelLayer keeps asyncio queues bound to the server's event loop; a worker thread that
publishes from its own loop would modify them without waking the waiting consumers. This layer remembers the
loop its consumers receive on and hands sends from any other loop over to it.
"""
from __future__ import annotations

import asyncio

from channels.layers import InMemoryChannelLayer

HANDOVER_SECONDS = 5.0


class ThreadSafeInMemoryChannelLayer(InMemoryChannelLayer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._home_loop: asyncio.AbstractEventLoop | None = None

    async def receive(self, channel):
        self._home_loop = asyncio.get_running_loop()
        return await super().receive(channel)

    async def _on_home_loop(self, method, *args):
        loop = self._home_loop
        if loop is None or not loop.is_running() or loop is asyncio.get_running_loop():
            return await method(*args)
        # A loop that stops before it runs the send would leave the sender waiting for ever (a render's progress
        # publish, holding its worker thread and the process's exit): the wait is bounded.
        future = asyncio.run_coroutine_threadsafe(method(*args), loop)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), HANDOVER_SECONDS)
        finally:
            future.cancel()

    async def send(self, channel, message):
        return await self._on_home_loop(super().send, channel, message)

    async def group_send(self, group, message):
        return await self._on_home_loop(super().group_send, group, message)
