"""The embedded channel layer: in-memory, but safe to publish to from the render worker's threads.

Channels' InMemoryChannelLayer keeps asyncio queues bound to the server's event loop; a worker thread that
publishes from its own loop would modify them without waking the waiting consumers. This layer remembers the
loop its consumers receive on and hands sends from any other loop over to it.
"""
from __future__ import annotations

import asyncio

from channels.layers import InMemoryChannelLayer


class ThreadSafeInMemoryChannelLayer(InMemoryChannelLayer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._home_loop: asyncio.AbstractEventLoop | None = None

    async def receive(self, channel):
        self._home_loop = asyncio.get_running_loop()
        return await super().receive(channel)

    async def _on_home_loop(self, method, *args):
        loop = self._home_loop
        if loop is None or loop.is_closed() or loop is asyncio.get_running_loop():
            return await method(*args)
        future = asyncio.run_coroutine_threadsafe(method(*args), loop)
        return await asyncio.wrap_future(future)

    async def send(self, channel, message):
        return await self._on_home_loop(super().send, channel, message)

    async def group_send(self, group, message):
        return await self._on_home_loop(super().group_send, group, message)
