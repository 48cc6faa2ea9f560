"""What one API request costs in CPU (prints figures; never a test).

The machine this runs on is shared, so wall time says little; CPU time does not depend on what else runs. This
bench runs the production ASGI application (composer/asgi.py: the full middleware chain, DRF, X-Auth-Token
authentication, the rate limit) in this process on a fresh PostgreSQL database and Redis, calls it directly
through the ASGI interface (no sockets, no HTTP client: the caller's own cost is a few microseconds), and issues
`--requests` sequential show, list and create requests of bench/api_bench.py's mix. For each operation it prints
the CPU milliseconds a request costs this process (time.process_time: the event loop and the request threads),
the CPU of PostgreSQL's backends serving the database, and, from a separate counted pass, the SQL queries and
Redis round trips a request sends and the Python function calls it makes (which, unlike CPU time, do not move
with the machine's load).

PostgreSQL: postgres://postgres@127.0.0.1:5432/ (DATABASE_URL's server when set), a fresh database made and
dropped; SQLite in a temporary folder when it does not answer. Redis: redis://127.0.0.1:6379/<--redis-db> (a
spare database number; REDIS_URL's server when set), with a queue of its own whose messages are deleted after;
the in-process cache when Redis does not answer. Either fallback is said in the output.
Usage: .venv/bin/python bench/api_cpu_bench.py [--requests 300] [--rounds 6] [--redis-db 13] [--profile DIR] [--json]
"""
from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api_bench import job_body  # noqa: E402  (bench/ is this script's folder)

DEFAULT_DATABASE_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_SERVER = "redis://127.0.0.1:6379/"
OPERATIONS = ("show", "list", "create")


def database_server() -> str | None:
    """The PostgreSQL server to make a fresh database on, or None (SQLite) when it does not answer."""
    url = os.environ.get("DATABASE_URL", "") or DEFAULT_DATABASE_SERVER
    server = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    try:
        import psycopg

        psycopg.connect(server, connect_timeout=3).close()
    except Exception as exc:  # any refusal: fall back, and say so
        print(f"PostgreSQL at {server} does not answer ({exc}): measuring on SQLite instead", flush=True)
        return None
    return server


def redis_url(db: int) -> str | None:
    url = os.environ.get("REDIS_URL", "") or DEFAULT_REDIS_SERVER
    url = urlunsplit(urlsplit(url)._replace(path=f"/{db}"))
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except Exception as exc:
        print(f"Redis at {url} does not answer ({exc}): measuring with the in-process cache instead", flush=True)
        return None
    return url


class Counter:
    """Counts SQL queries and Redis commands while on (the counted pass; the timed passes run without it)."""

    def __init__(self):
        self.on = False
        self.queries = 0
        self.redis = 0

    def install(self) -> None:
        import redis
        from django.db.backends import utils

        counter = self
        execute, executemany = utils.CursorWrapper.execute, utils.CursorWrapper.executemany
        command = redis.Redis.execute_command
        pipeline_execute = redis.client.Pipeline.execute

        def counted_execute(self, *args, **kwargs):
            counter.queries += counter.on
            return execute(self, *args, **kwargs)

        def counted_executemany(self, *args, **kwargs):
            counter.queries += counter.on
            return executemany(self, *args, **kwargs)

        def counted_command(self, *args, **kwargs):
            counter.redis += counter.on
            return command(self, *args, **kwargs)

        def counted_pipeline(self, *args, **kwargs):
            counter.redis += counter.on  # one round trip, however many commands
            return pipeline_execute(self, *args, **kwargs)

        utils.CursorWrapper.execute, utils.CursorWrapper.executemany = counted_execute, counted_executemany
        redis.Redis.execute_command = counted_command
        redis.client.Pipeline.execute = counted_pipeline


async def asgi_call(app, method: str, path: str, token: str, query: str = "", body: bytes = b"") -> tuple[int, bytes]:
    """One request straight into the ASGI application: (status, body)."""
    headers = [(b"host", b"127.0.0.1"), (b"x-auth-token", token.encode())]
    if body:
        headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query.encode(),
             "root_path": "", "headers": headers, "client": ("127.0.0.1", 40000), "server": ("127.0.0.1", 8000)}
    sent = False
    done = asyncio.Event()
    status, chunks = 0, []

    async def receive():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await done.wait()  # the client stays until the response is complete
        return {"type": "http.disconnect"}

    async def send(message):
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                done.set()

    await app(scope, receive, send)
    return status, b"".join(chunks)


def backend_cpu(database_name: str | None) -> float:
    """CPU seconds used so far by PostgreSQL's backends connected to the database (0 on SQLite)."""
    if database_name is None:
        return 0.0
    from django.db import connections

    with connections["default"].cursor() as cursor:
        cursor.execute("select pid from pg_stat_activity where datname = %s", [database_name])
        pids = [row[0] for row in cursor.fetchall()]
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # PostgreSQL on another machine: its CPU is not ours to read
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


class Bench:
    def __init__(self, app, project_id: str, token: str, database_name: str | None, counter: Counter):
        self.app, self.token, self.database_name, self.counter = app, token, database_name, counter
        self.prefix = f"/v1/{project_id}"
        self.job_ids: list[str] = []
        self.made = 0

    async def request(self, op: str, n: int) -> None:
        if op == "create":
            self.made += 1
            status, body = await asgi_call(self.app, "POST", f"{self.prefix}/2d-digital-human-videos", self.token,
                                           body=json.dumps(job_body(self.made)).encode())
            if status == 200:
                self.job_ids.append(json.loads(body)["job_id"])
        elif op == "show":
            job_id = self.job_ids[n % len(self.job_ids)]
            status, body = await asgi_call(self.app, "GET", f"{self.prefix}/2d-digital-human-videos/{job_id}",
                                           self.token)
        else:
            status, body = await asgi_call(self.app, "GET", f"{self.prefix}/digital-human-videos", self.token,
                                           query="limit=10&sort_dir=desc")
        if status != 200:
            raise SystemExit(f"{op} answered {status}: {body[:300]!r}")

    async def timed(self, op: str, count: int) -> tuple[float, float, float]:
        """(process CPU, PostgreSQL backends' CPU, wall) seconds of `count` requests."""
        from asgiref.sync import sync_to_async

        database = sync_to_async(backend_cpu)
        database_before = await database(self.database_name)
        cpu_before, wall_before = time.process_time(), time.perf_counter()
        for n in range(count):
            await self.request(op, n)
        cpu, wall = time.process_time() - cpu_before, time.perf_counter() - wall_before
        return cpu, await database(self.database_name) - database_before, wall

    async def counted(self, op: str, count: int = 20) -> tuple[float, float, float]:
        """(SQL queries, Redis round trips, Python function calls) a request of `op` costs. The calls, counted by
        cProfile in the request thread and on the event loop, do not depend on the machine's load: a steadier
        yardstick for a change than CPU time on a busy machine."""
        import cProfile
        import pstats

        from asgiref.sync import sync_to_async

        handler = self.app.application_mapping["http"]
        chain = handler._middleware_chain.func
        request_profile, loop_profile = cProfile.Profile(), cProfile.Profile()
        handler._middleware_chain = sync_to_async(lambda request: request_profile.runcall(chain, request),
                                                  thread_sensitive=True)
        self.counter.on = True
        self.counter.queries = self.counter.redis = 0
        loop_profile.enable()
        try:
            for n in range(count):
                await self.request(op, n)
        finally:
            loop_profile.disable()
            self.counter.on = False
            handler._middleware_chain = sync_to_async(chain, thread_sensitive=True)
        calls = pstats.Stats(request_profile).total_calls + pstats.Stats(loop_profile).total_calls
        return self.counter.queries / count, self.counter.redis / count, calls / count

    async def measure(self, count: int, rounds: int) -> dict:
        """Every operation timed in `rounds` interleaved rounds of count // rounds requests: a round that shared
        the machine with a burst of other work costs more CPU too (caches), so the median and the cheapest round
        are given."""
        per_round = max(1, count // rounds)
        samples: dict[str, list[tuple[float, float, float]]] = {op: [] for op in OPERATIONS}
        for _ in range(rounds):
            for op in OPERATIONS:
                samples[op].append(await self.timed(op, per_round))
        figures = {}
        for op, rows in samples.items():
            cpu = sorted(1000 * row[0] / per_round for row in rows)
            queries, redis_trips, calls = await self.counted(op)
            figures[op] = {"requests": per_round * rounds, "cpu_ms": round(statistics.median(cpu), 2),
                           "cpu_ms_min": round(cpu[0], 2),
                           "database_cpu_ms": round(statistics.median(1000 * row[1] / per_round for row in rows), 2),
                           "wall_ms": round(statistics.median(1000 * row[2] / per_round for row in rows), 2),
                           "queries": round(queries, 2), "redis_round_trips": round(redis_trips, 2),
                           "python_calls": round(calls)}
        return figures


async def profile(bench: Bench, count: int, folder: Path) -> None:
    """cProfile of `count` requests per operation: the middleware chain and view (in the request thread) and the
    ASGI handler around them (on the event loop), in two files each."""
    import cProfile

    from asgiref.sync import sync_to_async

    folder.mkdir(parents=True, exist_ok=True)
    handler = bench.app.application_mapping["http"]
    chain = handler._middleware_chain.func
    for op in OPERATIONS:
        request_profile, loop_profile = cProfile.Profile(time.thread_time), cProfile.Profile(time.thread_time)

        def profiled(request, chain=chain, request_profile=request_profile):
            return request_profile.runcall(chain, request)

        handler._middleware_chain = sync_to_async(profiled, thread_sensitive=True)
        loop_profile.enable()
        for n in range(count):
            await bench.request(op, n)
        loop_profile.disable()
        request_profile.dump_stats(folder / f"{op}-request.prof")
        loop_profile.dump_stats(folder / f"{op}-loop.prof")
    handler._middleware_chain = sync_to_async(chain, thread_sensitive=True)


def setup(tmp: Path, server: str | None, redis: str | None) -> tuple[str | None, str | None]:
    """Environment for a fresh deployment in `tmp`; returns (the fresh database's name or None, its URL)."""
    os.environ.update({
        "COMPOSER_DATA_DIR": str(tmp), "MEDIA_ROOT": str(tmp / "media"), "DEBUG": "0",
        "COMPOSER_EMBEDDED_WORKER": "0", "COMPOSER_WARMUP": "0", "ALLOWED_HOSTS": "127.0.0.1",
        "COMPOSER_QUEUE": f"composer-cpu-bench-{uuid.uuid4().hex[:8]}",
        # The limit is checked on every request (its cost is measured) but never reached.
        "COMPOSER_API_RATE_PER_MINUTE": "1000000", "DJANGO_SETTINGS_MODULE": "composer.settings",
    })
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    if redis:
        os.environ["REDIS_URL"] = redis
    if server is None:
        return None, None
    from tests.support.stack import fresh_database

    url, name = fresh_database(server)
    os.environ["DATABASE_URL"] = url
    return name, url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="timed requests per operation")
    parser.add_argument("--rounds", type=int, default=6, help="interleaved rounds the requests are split into")
    parser.add_argument("--redis-db", type=int, default=13, help="a spare Redis database number")
    parser.add_argument("--profile", metavar="DIR", help="write cProfile statistics of a pass per operation here "
                        "(the request thread's and the event loop's: <op>-request.prof, <op>-loop.prof)")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON line")
    args = parser.parse_args()
    server, redis = database_server(), redis_url(args.redis_db)
    with tempfile.TemporaryDirectory(prefix="composer-api-cpu-") as tmp:
        database_name, _ = setup(Path(tmp), server, redis)
        try:
            run(args, database_name, redis)
        finally:
            from django.db import connections

            connections.close_all()
            if database_name:
                from tests.support.stack import drop_database

                drop_database(server, database_name)


def run(args, database_name: str | None, redis: str | None) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    from django.contrib.auth import get_user_model

    from composer.teams.models import Project
    from composer.teams.services import create_auth_token

    project = Project.objects.get(name="demo")
    _, token = create_auth_token(get_user_model().objects.get(username="demo"))
    counter = Counter()
    counter.install()

    from composer.asgi import application

    bench = Bench(application, str(project.id), token, database_name, counter)

    async def all_operations() -> dict:
        for n in range(20):  # jobs to show, and every code path run once before timing
            await bench.request("create", n)
        for op in OPERATIONS:
            for n in range(20):
                await bench.request(op, n)
        if args.profile:
            await profile(bench, args.requests, Path(args.profile))
        return await bench.measure(args.requests, args.rounds)

    figures = asyncio.run(all_operations())
    if redis:
        import redis as redis_client

        redis_client.Redis.from_url(redis).delete(settings.CELERY_TASK_DEFAULT_QUEUE)
    print(f"api_cpu_bench: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; "
          f"{'PostgreSQL' if database_name else 'SQLite'}, {'Redis' if redis else 'in-process cache'}; "
          f"{args.requests} sequential requests per operation in {args.rounds} interleaved rounds, through the ASGI "
          "application; CPU ms: the web process's, median round (and cheapest round)")
    print(f"{'operation':<9} {'CPU ms':>7} {'(least)':>8} {'PG CPU ms':>10} {'wall ms':>8} {'queries':>8} "
          f"{'Redis trips':>12} {'Py calls':>9}")
    for op, row in figures.items():
        print(f"{op:<9} {row['cpu_ms']:>7} {row['cpu_ms_min']:>8} {row['database_cpu_ms']:>10} {row['wall_ms']:>8} "
              f"{row['queries']:>8} {row['redis_round_trips']:>12} {row['python_calls']:>9}")
    mix = {"show": 0.6, "list": 0.2, "create": 0.2}
    print(f"the api_bench mix (60/20/20 show/list/create): {sum(mix[op] * figures[op]['cpu_ms'] for op in mix):.2f} "
          "CPU ms a request in the web process")
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
