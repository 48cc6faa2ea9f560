"""API under load (prints figures; never a test).

Starts the production web command (`make serve`, composer/serve.py) and two `celery worker` processes on a fresh
PostgreSQL database and Redis (as the scale-out suite does), creates an auth token, then runs bounded load phases:
each client loops create / show / list (20/60/20 %) with an X-Auth-Token and a kept-alive connection of its own, pausing a random 0-2x
`--think` seconds between its requests (a program polling the API, not a tight loop). Each phase prints p50/p95/p99 per operation,
the errors, the requests per second served, the load average, and what the load generator itself cost (its CPU
share and how late its clients sent: if those are high the figures measure the generator, not the server), and
per operation the p99 of the server's own time (its Server-Timing header) beside the p99 of the rest.

Phases: 50 clients then 10 clients, first while the workers render the jobs the run creates ("busy"), then with
the workers stopped ("idle": jobs only queue). Targets at 50 clients: p99 under 300 ms for show and list, under
500 ms for create, zero errors; at 10 clients p99 under 100 ms for show.

DATABASE_URL (PostgreSQL server; a fresh database is made and dropped) and REDIS_URL are needed; when unset, this
machine's defaults postgres://postgres@127.0.0.1:5432/test and redis://127.0.0.1:6379/0 are used if they answer.
Usage: .venv/bin/python bench/api_bench.py [--duration 60] [--clients 50,10] [--think 0.5] [--phases busy,idle]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
MIX = (("create", 0.2), ("show", 0.6), ("list", 0.2))
# p99 targets in ms: (clients, operation) -> limit.
TARGETS = {(50, "show"): 300, (50, "list"): 300, (50, "create"): 500, (10, "show"): 100}


def services() -> tuple[str, str]:
    """DATABASE_URL and REDIS_URL, or this machine's defaults when they answer; exits saying what is missing."""
    database_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if database_url and redis_url:
        return database_url, redis_url
    print("api_bench needs PostgreSQL and Redis: set DATABASE_URL and REDIS_URL. Trying this machine's defaults "
          f"{DEFAULT_DATABASE_URL} and {DEFAULT_REDIS_URL}.", flush=True)
    database_url = database_url or DEFAULT_DATABASE_URL
    redis_url = redis_url or DEFAULT_REDIS_URL
    try:
        import psycopg
        import redis

        psycopg.connect(database_url, connect_timeout=3).close()
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except Exception as exc:  # any refusal means the defaults are not there
        sys.exit(f"api_bench: PostgreSQL or Redis is not reachable ({exc}); set DATABASE_URL and REDIS_URL")
    return database_url, redis_url


def job_body(n: int) -> dict:
    """A small valid job: one short scene cut 320x180 from the landscape layout, so renders keep coming."""
    from tests.support.factories import create_body

    body = create_body()
    body["video_config"].update({"clip_mode": "CROP", "width": 320, "height": 180, "dx": 1200, "dy": 100,
                                 "bitrate": 1000})
    body["shoot_scripts"][0]["shoot_script"]["text_config"]["text"] = f"Load test video number {n}."
    body["output_asset_config"]["asset_name"] = f"load {n}"
    return body


def process_cpu() -> dict[int, tuple[int, float]]:
    """Every process on this machine: pid -> (parent pid, CPU seconds used so far, user + system)."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"))
    return stats


def server_cpu_seconds(stack) -> tuple[float, dict[int, float]]:
    """CPU seconds used so far by the web server (its process and its workers), and by each PostgreSQL backend
    serving the stack's database (this machine's PostgreSQL)."""
    stats = process_cpu()
    tree = {stack.processes["web"].pid}
    for _ in range(4):  # a few levels: the supervisor, its workers, their helpers
        tree |= {pid for pid, (ppid, _) in stats.items() if ppid in tree}
    backends = {row[0] for row in stack.sql("select pid from pg_stat_activity where datname = %s",
                                            stack.database_name)}
    return (sum(stats[pid][1] for pid in tree if pid in stats),
            {pid: stats[pid][1] for pid in backends if pid in stats})


def server_seconds(header: str) -> float | None:
    """The web process's own time for a request, from its Server-Timing header (`app;dur=12.3`, milliseconds)."""
    for metric in header.split(","):
        name, _, params = metric.strip().partition(";")
        if name == "app" and params.startswith("dur="):
            try:
                return float(params[4:]) / 1000
            except ValueError:
                return None
    return None


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


class Connection:
    """One client's own kept-alive HTTP/1.1 connection, written and read directly on asyncio's streams.

    Each client is a separate program in the load this bench stands for, so each has a connection of its own and
    nothing shared with the others. httpx's pooled AsyncClient, which the bench used before, added delays of its own
    under this load: on 4 December a packet capture on loopback during a busy phase (tcpdump, 15 s, 1,291 requests)
    had the server answering within 90 ms at p99 (194 ms at worst, from the request's first byte on the wire to the
    answer's last) while the same requests measured through httpx had a p99 of 580 ms."""

    def __init__(self, base: str):
        host_port = base.split("://", 1)[1]
        self.host, _, port = host_port.partition(":")
        self.port = int(port or 80)
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, method: str, target: str, headers: dict[str, str],
                      body: bytes | None) -> tuple[int, dict[str, str], bytes]:
        """Send one request and read its whole answer: (status, headers with lower-case names, body). A connection
        the server closed is opened again (and that time counts, as it would for a real client)."""
        if self.writer is None or self.writer.is_closing():
            await self.open()
        lines = [f"{method} {target} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if body is not None:
            lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b""))
        try:
            head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            status = int(head[0].split(" ", 2)[1])
            response_headers = {}
            for line in head[1:]:
                if line:
                    name, _, value = line.partition(":")
                    response_headers[name.strip().lower()] = value.strip()
            if "content-length" in response_headers:
                content = await self.reader.readexactly(int(response_headers["content-length"]))
            elif response_headers.get("transfer-encoding", "").lower() == "chunked":
                content = b""
                while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                    content += (await self.reader.readexactly(size + 2))[:-2]
                await self.reader.readuntil(b"\r\n")
            else:  # the body runs to the end of the connection
                content = await self.reader.read()
                self.close()
        except BaseException:
            self.close()  # whatever was half-read is lost with the connection
            raise
        if response_headers.get("connection", "").lower() == "close":
            self.close()
        return status, response_headers, content


class Phase:
    """One bounded load run: `clients` loops for `duration` seconds; latencies, statuses and generator health."""

    def __init__(self, stack, tokens: list[str], clients: int, duration: float, think: float, job_ids: list[str],
                 seed: int):
        self.stack, self.tokens, self.clients, self.duration, self.think = stack, tokens, clients, duration, think
        self.job_ids = job_ids
        self.random = random.Random(seed)
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.send_lag: list[float] = []
        self.server_times: dict[str, list[float]] = defaultdict(list)
        self.outside_times: dict[str, list[float]] = defaultdict(list)
        self.created = 0

    async def request(self, connection: Connection, token: str, op: str) -> None:
        prefix = f"/v1/{self.stack.project_id}"
        headers = {"X-Auth-Token": token}
        body = None
        if op == "create":
            self.created += 1
            method, target = "POST", f"{prefix}/2d-digital-human-videos"
            body = json.dumps(job_body(len(self.job_ids) + self.created)).encode()
        elif op == "show":
            method, target = "GET", f"{prefix}/2d-digital-human-videos/{self.random.choice(self.job_ids)}"
        else:
            method, target = "GET", f"{prefix}/digital-human-videos?limit=10&sort_dir=desc"
        started = time.perf_counter()
        try:
            code, response_headers, content = await connection.request(method, target, headers, body)
            status = str(code)
            if op == "create" and code == 200:
                self.job_ids.append(json.loads(content)["job_id"])
            server = server_seconds(response_headers.get("server-timing", ""))
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            status, server = type(exc).__name__, None
        latency = time.perf_counter() - started
        self.latencies[op].append(latency)
        if server is not None:
            # The server's own time, and the rest: getting the request to the server process and the answer back.
            self.server_times[op].append(server)
            self.outside_times[op].append(max(0.0, latency - server))
        self.statuses[op][status] += 1

    async def client(self, token: str, deadline: float) -> None:
        ops, weights = zip(*MIX, strict=True)
        connection = Connection(self.stack.base)
        try:
            await connection.open()
            # Clients start spread over the first pause, as real ones would.
            due = time.perf_counter() + self.random.uniform(0, 2 * self.think)
            while True:
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                now = time.perf_counter()
                if now >= deadline:
                    return
                self.send_lag.append(now - due)
                await self.request(connection, token, self.random.choices(ops, weights)[0])
                due = time.perf_counter() + self.random.uniform(0, 2 * self.think)
        finally:
            connection.close()

    def run(self) -> dict:
        async def main():
            nonlocal started, cpu_before, server_before
            server_before = server_cpu_seconds(self.stack)
            cpu_before = resource.getrusage(resource.RUSAGE_SELF)
            started = time.perf_counter()
            deadline = started + self.duration
            await asyncio.gather(*(self.client(self.tokens[n], deadline) for n in range(self.clients)))

        started, cpu_before, server_before = 0.0, None, (0.0, {})
        asyncio.run(main())
        wall = time.perf_counter() - started
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
        web_after, backends_after = server_cpu_seconds(self.stack)
        web_cpu = web_after - server_before[0]
        database_cpu = sum(cpu - server_before[1].get(pid, 0.0) for pid, cpu in backends_after.items())
        cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
        total = sum(len(v) for v in self.latencies.values())
        return {
            "clients": self.clients, "seconds": round(wall, 1), "requests_per_second": round(total / wall, 1),
            "load_average": round(os.getloadavg()[0], 2),
            "generator_cpu_share": round(cpu / wall, 2),
            "generator_send_lag_p99_ms": round(1000 * percentile(self.send_lag, 0.99), 1),
            # What a request costs in CPU, whatever else the machine is doing: the web server, and PostgreSQL's
            # backends (the workers' share of the database included, which is small beside the web's).
            "web_cpu_ms_per_request": round(1000 * web_cpu / max(total, 1), 2),
            "database_cpu_ms_per_request": round(1000 * database_cpu / max(total, 1), 2),
            "operations": {op: self.summary(op) for op, _ in MIX},
        }

    def summary(self, op: str) -> dict:
        values = self.latencies[op]
        statuses = dict(self.statuses[op])
        errors = sum(n for status, n in statuses.items() if not status.startswith(("2",)))
        return {"count": len(values), "errors": errors, "statuses": statuses,
                **{f"p{int(q * 100)}_ms": round(1000 * percentile(values, q), 1) for q in (0.5, 0.95, 0.99)},
                "max_ms": round(1000 * max(values), 1) if values else None,
                "server_p99_ms": round(1000 * percentile(self.server_times[op], 0.99), 1),
                "outside_p99_ms": round(1000 * percentile(self.outside_times[op], 0.99), 1)}


def verdicts(result: dict) -> list[str]:
    lines = []
    for (clients, op), limit in TARGETS.items():
        if clients == result["clients"]:
            p99 = result["operations"][op]["p99_ms"]
            lines.append(f"{op} p99 {p99} ms (target < {limit} ms): {'met' if p99 < limit else 'MISSED'}")
    errors = sum(o["errors"] for o in result["operations"].values())
    lines.append(f"errors: {errors} (target 0): {'met' if errors == 0 else 'MISSED'}")
    return lines


def print_phase(label: str, result: dict) -> None:
    print(f"\n== {label}: {result['clients']} clients, {result['seconds']} s, {result['requests_per_second']} req/s, "
          f"load average {result['load_average']}, generator CPU {result['generator_cpu_share']:.0%} of a core, "
          f"send lag p99 {result['generator_send_lag_p99_ms']} ms; CPU a request: web server "
          f"{result['web_cpu_ms_per_request']} ms, PostgreSQL {result['database_cpu_ms_per_request']} ms")
    # "in server": the p99 of the web process's own time (Server-Timing); "outside": the p99 of the rest of each
    # request's time (the request reaching the server process, the answer reaching the client).
    print(f"{'operation':<8} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
          f"{'in server p99':>14} {'outside p99':>12}  statuses")
    for op, row in result["operations"].items():
        print(f"{op:<8} {row['count']:>6} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['p99_ms']:>8} "
              f"{row['max_ms']!s:>8} {row['server_p99_ms']:>14} {row['outside_p99_ms']:>12}  {row['statuses']}")
    for line in verdicts(result):
        print("  " + line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds per phase")
    parser.add_argument("--clients", default="50,10", help="comma-separated client counts, one phase each")
    parser.add_argument("--think", type=float, default=0.5, help="mean pause of a client between requests (s)")
    parser.add_argument("--phases", default="busy,idle", help="busy (workers render), idle (workers stopped)")
    parser.add_argument("--json", action="store_true", help="also print every phase as one JSON line")
    args = parser.parse_args()
    database_url, redis_url = services()

    from tests.support.stack import Stack

    print(f"api_bench {date.today().isoformat()}, {os.cpu_count()} cores, load average before start "
          f"{os.getloadavg()[0]:.2f}; clients pause 0-{2 * args.think:g} s between requests", flush=True)
    with tempfile.TemporaryDirectory(prefix="composer-api-bench-") as tmp:
        # The workers heartbeat as a deployment's do (the test stack's default is every second, to find a
        # killed worker quickly).
        stack = Stack(Path(tmp), database_url=database_url, redis_url=redis_url, env={
            "COMPOSER_HEARTBEAT_SECONDS": "5", "COMPOSER_STALE_AFTER_SECONDS": "60"})
        try:
            stack.start(workers=2)
            clients = [int(c) for c in args.clients.split(",")]
            job_ids = []
            for n in range(20):
                response = stack.api("POST", "/2d-digital-human-videos", json=job_body(n))
                response.raise_for_status()
                job_ids.append(response.json()["job_id"])
            # Each client is a program with a token of its own (as the API's per-credential rate limit expects).
            tokens = [stack.api("POST", "/auth-tokens", json={"description": f"client {n}"}).json()["token"]
                      for n in range(max(clients))]
            Phase(stack, tokens, 10, 5, args.think, job_ids, seed=0).run()  # warm-up: every process has its imports
            seed = 1
            for phase in args.phases.split(","):
                if phase == "idle":
                    for name in [n for n in stack.processes if n.startswith("worker")]:
                        stack.stop_process(name)
                for count in clients:
                    result = Phase(stack, tokens, count, args.duration, args.think, job_ids, seed=seed).run()
                    seed += 1
                    print_phase(f"workers {phase}", result)
                    if args.json:
                        print(json.dumps({"phase": phase, **result}))
                    sys.stdout.flush()
        finally:
            stack.stop()


if __name__ == "__main__":
    main()
