"""Renders yield the CPU to requests: the embedded worker's render threads and the encoder threads they start run
at COMPOSER_RENDER_NICE, while the threads serving requests keep their priority."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from celery.signals import task_prerun

from composer.jobs.models import JobState, VideoJob
from tests.support.jobs import small_body, submit
from tests.support.waiting import wait_for

ROOT = Path(__file__).resolve().parents[2]


def nice_of(tid: int) -> int:
    # /proc/<pid>/task/<tid>/stat: the 19th field is the nice value (the name in parentheses may hold spaces).
    return int(Path(f"/proc/self/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()[16])


def this_thread() -> int:
    return threading.get_native_id()


@pytest.mark.django_db(transaction=True)
def test_render_threads_run_at_the_render_nice_value_and_requests_at_theirs(alice_client, project,
                                                                             embedded_worker, settings):
    request_thread_nice = nice_of(this_thread())
    seen: list[int] = []

    def record(**kwargs):
        seen.append(nice_of(this_thread()))

    task_prerun.connect(record, weak=False)
    try:
        job_id = submit(alice_client, project, small_body("Rendered below the requests."))
        done = wait_for(lambda: (job := VideoJob.objects.get(pk=job_id)).is_final and job)
    finally:
        task_prerun.disconnect(record)
    assert done.state == JobState.SUCCEED, done.error_msg
    assert seen and set(seen) == {max(settings.COMPOSER_RENDER_NICE, request_thread_nice)}
    # The test's thread served the requests (Django's test client runs them in the caller's thread).
    assert nice_of(this_thread()) == request_thread_nice
    assert alice_client.get(f"/v1/{project.id}/2d-digital-human-videos/{job_id}").status_code == 200
    assert nice_of(this_thread()) == request_thread_nice


# In a process of its own, so that no other test's thread starts in between and is taken for the encoder's.
ENCODE_IN_A_LOWERED_THREAD = """
import json, os, threading
import av, numpy as np
from composer.capacity import lower_priority

def nice_of(tid):
    return int(open(f"/proc/self/task/{tid}/stat").read().rsplit(")", 1)[1].split()[16])

before = {int(tid) for tid in os.listdir("/proc/self/task")}
found = {}

def render():
    lower_priority(9)
    container = av.open(os.devnull, "w", format="mp4")
    stream = container.add_stream("libx264", rate=25, options={"threads": "3", "preset": "ultrafast"})
    stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
    frame = av.VideoFrame.from_ndarray(np.zeros((240, 320, 3), dtype=np.uint8), format="rgb24")
    for packet in stream.encode(frame):
        container.mux(packet)
    # While the encoder is open its threads exist: the threads started since, but this one.
    started = {int(tid) for tid in os.listdir("/proc/self/task")} - before - {threading.get_native_id()}
    found.update({tid: nice_of(tid) for tid in started})
    for packet in stream.encode():
        container.mux(packet)
    container.close()

thread = threading.Thread(target=render)
thread.start()
thread.join()
print(json.dumps({"main": nice_of(threading.get_native_id()), "encoder": sorted(found.values())}))
"""


def test_the_encoders_own_threads_inherit_the_render_threads_priority():
    """libx264 starts its threads when it opens: a lowered render thread's encoder threads are as low, and the
    process's other threads are not."""
    done = subprocess.run([sys.executable, "-c", ENCODE_IN_A_LOWERED_THREAD], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    niced = json.loads(done.stdout.strip().splitlines()[-1])
    assert niced["encoder"], "libx264 started no thread of its own"
    assert set(niced["encoder"]) == {9}
    assert niced["main"] == nice_of(this_thread())
