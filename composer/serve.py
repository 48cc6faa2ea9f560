"""The production web server: `python -m composer.serve` (what `make serve` runs).

Uvicorn serves the ASGI application (HTTP and Channels websockets) from COMPOSER_WEB_PROCESSES processes that
share one listening port; a process that dies is replaced. Several processes need REDIS_URL: the Redis channel
layer carries job progress from any process (and the render workers) to a websocket held by another, and the
jobs queue must be shared. Without REDIS_URL (the embedded mode, whose worker and channel layer live inside the
process) one process serves.
"""
from __future__ import annotations

import argparse
import os
import sys


def web_processes() -> int:
    from django.conf import settings

    processes = settings.COMPOSER_WEB_PROCESSES
    if processes > 1 and not settings.REDIS_URL:
        sys.exit(f"COMPOSER_WEB_PROCESSES={processes} needs REDIS_URL: without Redis the job queue and live "
                 "updates live inside one process (set COMPOSER_WEB_PROCESSES=1 or REDIS_URL)")
    return processes


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m composer.serve", description=__doc__.split("\n")[0])
    parser.add_argument("--host", default=os.environ.get("COMPOSER_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("COMPOSER_PORT", "8000")))
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "composer.settings")
    processes = web_processes()

    import uvicorn

    uvicorn.run(
        "composer.asgi:application", host=args.host, port=args.port, workers=processes,
        loop="uvloop", http="httptools", ws="websockets-sansio",
        # Django has no lifespan handlers; access logs would cost every request a write.
        lifespan="off", access_log=False,
        # X-Forwarded-For/-Proto are trusted from a proxy on this machine only.
        proxy_headers=True, forwarded_allow_ips="127.0.0.1",
        timeout_keep_alive=15, timeout_graceful_shutdown=30,
    )


if __name__ == "__main__":
    main()
