"""Planning a scene costs the same memory whatever its length: the avatar's gestures, blinks and phrase accents are
made as the frames reach them and forgotten once they ended (composer.render.avatar.choreography.Window), so a
one-hour scene's plan, made again each time more speech arrives as a render does, peaks where a ten-second one's
does. A memory check (tracemalloc, in a fresh process so that no other thread's allocations count), not a time
check."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from composer.render.avatar import BUILTIN_RIGS, open_rig
from composer.render.avatar.choreography import Choreography
from tests.support.plans import FPS, speech

ROOT = Path(__file__).resolve().parents[2]
CHILD = r"""
import json, sys
from pathlib import Path
from composer.render.avatar import BUILTIN_RIGS, open_rig
from tests.support.plans import planning_peak
rig = open_rig(Path(BUILTIN_RIGS[0]["path"]))
looping = sys.argv[1] == "1"
print(json.dumps([planning_peak(rig, seconds, looping=looping) for seconds in (10.0, 3600.0)]))
"""


@pytest.fixture(scope="module")
def rig():
    return open_rig(Path(BUILTIN_RIGS[0]["path"]))


@pytest.mark.parametrize("looping", [False, True])
def test_planning_an_hour_long_scene_peaks_where_a_ten_second_one_does(looping):
    done = subprocess.run([sys.executable, "-c", CHILD, "1" if looping else "0"], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    short, long = json.loads(done.stdout.strip().splitlines()[-1])
    assert long <= short + 64 * 1024, (short, long)


def test_a_plan_made_as_frames_reach_it_is_the_whole_plan(rig):
    """What the frames see through the window is what the whole plan says, and asking an earlier time again
    (a thumbnail after the frames) gives the same answer."""
    mouth, actions = speech(120.0)
    plan = Choreography(rig, actions, 120.0, action_interval=2, end_at_first_frame=False, seed=5, mouth=mouth)
    blinks, schedule = plan.blinks, plan.schedule
    assert len(blinks) > 20 and any(item.clip.name == "wave" for item in schedule)
    for frame in range(0, 120 * FPS, 5):
        t = frame / FPS
        blinking = any(start <= t < start + 0.15 for start in blinks)
        assert (plan.eye_state(t) != "open") == blinking
    wave = next(item for item in schedule if item.clip.name == "wave")
    during = wave.start + wave.clip.duration / 2
    assert plan.channels(during) == plan.channels(during)
    assert plan.channels(during) != Choreography(rig, [], 120.0, action_interval=2, end_at_first_frame=False,
                                                 seed=5, mouth=mouth).channels(during)
