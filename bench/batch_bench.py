"""A batch of a two-scene template on one and on two render worker processes, against the machine's CPU bound, and
what the shared scene cache saves it (prints figures; never a test).

The deployment is scaleout_bench.py's (bench/stack.py): PostgreSQL with a fresh database, Redis with its own queue,
`make serve` and `celery worker` processes as `make worker` starts them. The template, saved, submitted and
approved through the API: 1920x1080 (--size) H.264 at 4 Mbit/s, the avatar over a picture, a first scene that says
the same to every row and a second that thanks the row's {{first_name}}, each about half of --seconds of speech.
One batch of --rows rows (distinct names) per worker count, every batch of the same rows, the scene cache emptied
before each (the workers are stopped then), COMPOSER_BATCH_PARALLEL as configured (default 2; --parallel sets it).

Measured, after each set of workers is ready and has warmed up (a priming job):
- videos per minute: rows over the wall time from the batch's creation to its last video's end (database
  timestamps), for one and for two workers, and the speed-up;
- the CPU bound as scaleout_bench.py defines it: cores / the CPU-seconds one video second costs (the workers' CPU
  time while one one-scene job renders alone, over its length); the batch's throughput as a share of it, twice:
  every video second delivered (reused scenes included, so it may pass the bound), and only the video seconds
  rendered (scenes taken from the cache left out: the work the cores did; the target, within 90%, is for this);
- the shared scene cache's saving: the same batch on the larger worker count started with COMPOSER_SCENE_CACHE_MB=0
  (a kept scene is dropped the moment it is stored, so no row finds another's) against the cached run; the
  saving is the difference of their wall times. Each run's cache hits are counted from its scene rows (the engine
  marks a scene taken from the cache `reused`) and printed, as is how many rows rendered the shared scene: rows
  rendering at the same moment each miss the cache and render it.

The load average is printed: other work on the machine takes cores from the workers, so figures from a busy machine
are provisional.
Usage: .venv/bin/python bench/batch_bench.py [--rows 20] [--seconds 10] [--workers 1,2] [--parallel N]
       [--size 1920x1080] [--database-url URL] [--redis-url URL]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stack import Deployment, add_service_arguments, load_line, parse_size  # noqa: E402

WORDS_PER_SECOND = 3.3      # the editor's speech estimate for this voice on sentences like these
TAIL_SECONDS = 0.3          # what the renderer adds after a scene's speech
SHARED = ["Welcome to this quarter's update.", "Rendering got faster again.", "Templates and batches have arrived.",
          "Everything still runs on your own machine.", "Every video of this batch starts here.",
          "This scene is the same for everyone."]
PERSONAL = ["Thank you for watching, {{first_name}}.", "This part was made for you alone.",
            "We hope to see you soon.", "Send us your questions, {{first_name}}.", "Until next quarter, goodbye."]
NAMES = ["Ann", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal", "Ida", "Jo", "Kim", "Lou", "Max", "Ned", "Oda",
         "Pam", "Quin", "Rex", "Sue", "Tom"]


@dataclass
class Run:
    label: str
    rows: int
    video: float          # seconds of video delivered
    rendered: float       # seconds of video rendered (scenes taken from the cache left out)
    reused: float         # seconds of video taken from the cache
    wall: float
    hits: int             # scenes taken from the cache
    shared_renders: int   # rows that rendered the shared first scene

    @property
    def per_minute(self) -> float:
        return self.rows / self.wall * 60


def speech(sentences: list[str], seconds: float) -> str:
    """Sentences, cycled, as near as they come to `seconds` of scene (speech and the renderer's tail)."""
    target = max(0.0, seconds - TAIL_SECONDS) * WORDS_PER_SECOND
    text: list[str] = []
    words = 0
    for i in range(1000):
        sentence = sentences[i % len(sentences)]
        more = len(sentence.split())
        if text and abs(words + more - target) >= abs(words - target):
            break
        text.append(sentence)
        words += more
    return " ".join(text)


def approved_template(deployment: Deployment, seconds: float) -> str:
    """Save the template as the owner, ask for approval and have the approver (bob) approve it; its script id."""
    composition = deployment.body("template", 2)
    composition.pop("output_asset_config")
    scenes = composition["shoot_scripts"]
    scenes[0]["shoot_script"]["text_config"]["text"] = speech(SHARED, seconds / 2)
    scenes[1]["shoot_script"]["text_config"]["text"] = speech(PERSONAL, seconds / 2)
    composition["template"] = {"variables": [{"name": "first_name", "kind": "text", "sample": "Ann"}],
                               "output_name": "Update for {{first_name}}"}
    script_id = deployment.api("digital-human-video-scripts", {"script_name": "Quarterly update", **composition})[
        "script_id"]
    deployment.api(f"digital-human-video-scripts/{script_id}/approval-requests", {})
    deployment.api(f"digital-human-video-scripts/{script_id}/approve", {}, token=deployment.token_of("bob"))
    return script_id


def row_names(rows: int) -> list[str]:
    return [NAMES[i % len(NAMES)] + (f" {i // len(NAMES) + 1}" if i >= len(NAMES) else "") for i in range(rows)]


def run_batch(deployment: Deployment, script_id: str, rows: int, label: str) -> Run:
    ids = deployment.api("video-batches", {"script_id": script_id,
                                           "rows": [{"first_name": name} for name in row_names(rows)]})["job_ids"]
    video, wall = deployment.wait(ids)
    hits, rendered, reused, shared = deployment.sql(
        "WITH scene AS (SELECT index, (result->>'duration')::float AS seconds, "
        "COALESCE(result->>'reused' = 'true', false) AS hit FROM jobs_scenerender WHERE job_id = ANY(%s)) "
        "SELECT COUNT(*) FILTER (WHERE hit), COALESCE(SUM(seconds) FILTER (WHERE NOT hit), 0), "
        "COALESCE(SUM(seconds) FILTER (WHERE hit), 0), COUNT(*) FILTER (WHERE index = 0 AND NOT hit) FROM scene",
        ids)[0]
    run = Run(label, rows, video, float(rendered), float(reused), wall, int(hits), int(shared))
    print(f"  {label}: {rows} videos, {video:.1f} s of video in {wall:.1f} s; {hits} scenes from the cache, the "
          f"shared scene rendered {shared} time(s)", flush=True)
    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20, help="rows of the batch (videos)")
    parser.add_argument("--seconds", type=float, default=10, help="about how long each video speaks")
    parser.add_argument("--workers", default="1,2", help="worker counts to measure, e.g. 1,2")
    parser.add_argument("--parallel", type=int, help="COMPOSER_BATCH_PARALLEL (default: the setting's, 2)")
    add_service_arguments(parser)
    args = parser.parse_args()
    size = parse_size(args.size)

    from composer.capacity import available_cpus

    cores = available_cpus()
    counts = [int(n) for n in args.workers.split(",")]
    runs: list[Run] = []
    cost = None
    with tempfile.TemporaryDirectory(prefix="batch-bench-") as tmp:
        deployment = Deployment(Path(tmp), args.database_url, args.redis_url, size)
        if args.parallel:
            deployment.env["COMPOSER_BATCH_PARALLEL"] = str(args.parallel)
        try:
            deployment.start_web()
            script_id = approved_template(deployment, args.seconds)
            for count, env in [*((count, {}) for count in counts), (max(counts), {"COMPOSER_SCENE_CACHE_MB": "0"})]:
                deployment.clear_scene_cache()
                workers = deployment.start_workers(count, **env)
                label = f"{count} worker(s)" + (", no scene cache" if env else "")
                deployment.prime(label)
                if cost is None:
                    cost = deployment.cpu_cost(workers, label)
                runs.append(run_batch(deployment, script_id, args.rows, label))
                deployment.stop(workers)
        finally:
            deployment.close()

    bound = cores / cost
    print(f"{size[0]}x{size[1]} H.264, {args.rows} rows of about {args.seconds:g} s (a shared scene and a "
          f"{{{{first_name}}}} scene); CPU cost: {cost:.2f} CPU-seconds per video second (one one-scene job alone); "
          f"bound on {cores} cores: {bound:.2f} video seconds per second")
    print(f"{'run':<29} {'videos/min':>10} {'wall s':>7} {'delivered s/s':>13} {'of bound':>8} {'rendered s/s':>12} "
          f"{'of bound':>8} {'cache hits':>10} {'shared renders':>14}")
    for run in runs:
        delivered, rendered = run.video / run.wall, run.rendered / run.wall
        print(f"{run.label:<29} {run.per_minute:10.2f} {run.wall:7.1f} {delivered:13.2f} {delivered / bound:8.0%} "
              f"{rendered:12.2f} {rendered / bound:8.0%} {run.hits:10d} {run.shared_renders:14d}")
    cached = runs[:len(counts)]
    if len(cached) > 1:
        print(f"speed-up, {counts[-1]} workers over {counts[0]}: {cached[-1].per_minute / cached[0].per_minute:.2f}x")
    on, off = cached[counts.index(max(counts))], runs[-1]
    print(f"scene cache ({max(counts)} worker(s)): {off.wall:.1f} s without it, {on.wall:.1f} s with it: "
          f"{off.wall - on.wall:.1f} s saved ({(off.wall - on.wall) / off.wall:.0%}); "
          f"{off.reused:.1f} s of video reused without it (should be 0), {on.reused:.1f} s with it")
    print("target: rendered throughput within 90% of the bound")
    print(load_line())


if __name__ == "__main__":
    main()
