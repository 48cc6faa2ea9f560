"""Planning an avatar's scene as a render does, measured with tracemalloc (tests/render/test_plan_memory.py runs it in
a fresh process: other threads of a test process would add their allocations to the peak)."""
from __future__ import annotations

import tracemalloc

from composer.render.avatar.choreography import Choreography
from composer.render.lipsync import MouthKey
from composer.render.speech import TimedAction

FPS = 25


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
