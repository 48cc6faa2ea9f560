"""Throughput of one and of two render worker processes against the machine's CPU bound (prints figures; never a test).

The scale-out deployment of the README on this machine: PostgreSQL, Redis, the web server (`make serve`), and
`celery worker` processes started as `make worker` starts them (Celery's default pool, concurrency and encoder threads from the
settings' defaults, COMPOSER_WORKERS_PER_HOST set to the number of workers started). Each run gets a fresh database
and its own queue. Measured, after the workers are ready and have warmed up (one priming job per worker count):

- the CPU cost of a video second: the worker processes' CPU time (user + system, every process of the worker)
  while they render one one-scene job alone, divided by its video length;
- the CPU bound: available cores / that cost, in video seconds per wall second;
- the throughput of a 4-scene job and of six one-scene jobs submitted at once: their video seconds over the
  wall time from the first submission to the last finish (database timestamps), and its share of the bound.

Target: within 90% of the bound. Scenes: 1920x1080 (--size) H.264 at 4 Mbit/s, the avatar over a picture, about eight
seconds of speech each, every scene's text different (no render cache). The load average is printed: other work
on the machine takes cores from the workers, so figures from a busy machine are provisional.
Usage: .venv/bin/python bench/scaleout_bench.py [--workers 1,2] [--size 1920x1080] [--database-url URL]
       [--redis-url URL]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stack import Deployment, add_service_arguments, load_line, parse_size  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", default="1,2", help="worker counts to measure, e.g. 1,2")
    add_service_arguments(parser)
    args = parser.parse_args()
    size = parse_size(args.size)

    from composer.capacity import available_cpus

    cores = available_cpus()
    counts = [int(n) for n in args.workers.split(",")]
    rows = []
    cost = None
    with tempfile.TemporaryDirectory(prefix="scaleout-bench-") as tmp:
        deployment = Deployment(Path(tmp), args.database_url, args.redis_url, size)
        try:
            deployment.start_web()
            for count in counts:
                workers = deployment.start_workers(count)
                renders, encoders = deployment.shape
                deployment.prime(str(count))
                if cost is None:
                    cost = deployment.cpu_cost(workers, str(count))
                for label, bodies in (("4-scene job", [deployment.body(f"four-{count}", 4)]),
                                      ("six 1-scene jobs", [deployment.body(f"six-{count}-{j}", 1) for j in range(6)])):
                    video, wall = deployment.run_jobs(bodies)
                    rows.append((count, renders, encoders, label, video, wall))
                    print(f"  {count} worker(s), {label}: {video:.1f} s of video in {wall:.1f} s", flush=True)
                deployment.stop(workers)
        finally:
            deployment.close()

    bound = cores / cost
    print(f"{size[0]}x{size[1]} H.264; CPU cost: {cost:.2f} CPU-seconds per video second (one one-scene job alone); "
          f"bound on {cores} cores: {bound:.2f} video seconds per second")
    print(f"{'workers':>7} {'renders x encoder threads':>26} {'work':<17} {'video s':>8} {'wall s':>7} "
          f"{'video s/s':>9} {'of bound':>8}")
    for count, renders, encoders, label, video, wall in rows:
        rate = video / wall
        print(f"{count:>7} {f'{renders} x {encoders} each':>26} {label:<17} {video:8.1f} {wall:7.1f} {rate:9.2f} "
              f"{rate / bound:8.0%}")
    print("target: within 90% of the bound")
    print(load_line())


if __name__ == "__main__":
    main()
