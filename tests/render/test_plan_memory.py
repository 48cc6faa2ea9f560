"""Planning a scene costs the same memory whatever its length: the avatar's gestures, blinks and phrase accents are
made as the frames reach them and forgotten once they ended (composer.render.avatar.choreography.Window), so a
one-hour scene's plan, made again each time more speech arrives as a render does, peaks where a ten-second one's
does. A memory check (tracemalloc), not a time check."""
from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from composer.render.avatar import BUILTIN_RIGS, open_rig
from composer.render.avatar.choreography import Choreography
from composer.render.lipsync import MouthKey
from composer.render.speech import TimedAction

FPS = 25


@pytest.fixture(scope="module")
def rig():
    return open_rig(Path(BUILTIN_RIGS[0]["path"]))


def speech(seconds: float) -> tuple[list, list]:
    """Mouth keys (a phrase every two seconds) and an action every minute, as a scene's speech gives them."""
    mouth = [MouthKey(t / 2, t / 2 + 0.4, "X" if t % 4 == 3 else "C") for t in range(int(seconds * 2))]
    actions = [TimedAction(float(t), "wave") for t in range(30, int(seconds), 60)]
    return mouth, actions


def planning_peak(rig, seconds: float, *, looping: bool = False) -> int:
    """The peak bytes allocated while planning a scene of `seconds` as a render does (the plan made again at every
    piece of speech, a frame's pose asked every second), beyond the speech's own keys."""
    mouth, actions = speech(seconds)
    tracemalloc.start()
    try:
        known, frame = 0.0, 0
        while known < seconds:
            known = min(seconds, known + max(5.0, seconds / 50))
            plan = Choreography(rig, actions, known + 1.0, action_interval=None, end_at_first_frame=looping,
                                seed=3, mouth=mouth, known=None if known >= seconds else known)
            # The frames the plan allows now, each asked once (the frame loop never goes back).
            while frame < min(plan.settled, known) * FPS:
                plan.channels(frame / FPS)
                plan.eye_state(frame / FPS)
                frame += FPS
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("looping", [False, True])
def test_planning_an_hour_long_scene_peaks_where_a_ten_second_one_does(rig, looping):
    short = planning_peak(rig, 10.0, looping=looping)
    long = planning_peak(rig, 3600.0, looping=looping)
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
