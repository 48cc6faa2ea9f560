"""When a service the web process depends on refuses: PostgreSQL (down, out of connections, no pooled connection
in time) or Redis (the job queue, the shared cache). Such a request is answered 503 with Retry-After, by the API
in its error body and by the pages with a plain page, never 500: the client should simply try again later.
"""
from __future__ import annotations

import logging
import time

from django.conf import settings

# PostgreSQL SQLSTATE classes that mean the server cannot serve now: 08 connection exception, 53 insufficient
# resources (53300 too many connections), 57P0x the server is shutting down or starting.
_UNAVAILABLE_SQLSTATES = ("08", "53", "57P")


def _database_refused(exc: BaseException) -> bool:
    import psycopg

    if isinstance(exc, psycopg.OperationalError):
        # No SQLSTATE: the connection itself failed (refused, reset, pool timeout).
        sqlstate = getattr(exc, "sqlstate", None)
        return sqlstate is None or sqlstate.startswith(_UNAVAILABLE_SQLSTATES)
    if isinstance(exc, psycopg.InterfaceError):  # the connection was closed under us
        return True
    import sqlite3

    return isinstance(exc, sqlite3.OperationalError) and "database is locked" in str(exc)


def _redis_refused(exc: BaseException) -> bool:
    import redis
    from kombu.exceptions import OperationalError as BrokerError

    return isinstance(exc, redis.ConnectionError | redis.TimeoutError | BrokerError)


def unavailable_service(exc: BaseException | None) -> str | None:
    """"the database" or "Redis" when `exc` (or what caused it) is that service refusing; None otherwise."""
    seen = 0
    while exc is not None and seen < 8:
        if _database_refused(exc):
            return "the database"
        if _redis_refused(exc):
            return "Redis"
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def retry_after() -> int:
    return settings.COMPOSER_RETRY_AFTER_SECONDS


def unavailable_message(service: str) -> str:
    return f"Service temporarily unavailable: {service} is not answering; retry in {retry_after()} s"


_warned_at: dict[str, float] = {}


def warn_once_a_minute(logger: logging.Logger, message: str) -> None:
    """Log a degraded-service warning at most once a minute per message (an outage would otherwise log on every
    request)."""
    now = time.monotonic()
    if now - _warned_at.get(message, -60.0) >= 60:
        _warned_at[message] = now
        logger.warning(message)
