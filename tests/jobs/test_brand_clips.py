"""A brand kit's intro and outro open and close every rendered video: decoded with PyAV, the video lasts intro +
scenes + outro, its first frames are the intro's (scaled to the output size) and its last the outro's."""
from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from composer.assets.models import Asset
from composer.jobs.models import JobState, SceneRender, VideoJob
from tests.support.jobs import small_body, submit
from tests.support.uploads import upload
from tests.support.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def clip(path: Path, colour: tuple[int, int, int], frames: int, *, tone: bool) -> bytes:
    """A 4:3 clip of one colour (not the output's shape) at 25 fps, with a tone or without sound."""
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=25)
        video.width, video.height, video.pix_fmt = 160, 120, "yuv420p"
        audio = container.add_stream("aac", rate=48000, layout="mono") if tone else None
        for _ in range(frames):
            for packet in video.encode(av.VideoFrame.from_ndarray(np.full((120, 160, 3), colour, np.uint8),
                                                                  format="rgb24")):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
        if audio is not None:
            samples = (np.sin(np.arange(48000 * frames // 25) / 8) * 0.5).astype(np.float32).reshape(1, -1)
            for start in range(0, samples.shape[1], 1024):
                frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples[:, start:start + 1024]),
                                                   format="fltp", layout="mono")
                frame.sample_rate = 48000
                frame.pts = start
                for packet in audio.encode(frame):
                    container.mux(packet)
            for packet in audio.encode():
                container.mux(packet)
    return path.read_bytes()


def mean_colour(frame) -> np.ndarray:
    return frame.to_ndarray(format="rgb24").reshape(-1, 3).mean(axis=0)


def test_the_intro_and_outro_open_and_close_the_video(alice_client, project, embedded_worker, tmp_path):
    intro = upload(alice_client, project, clip(tmp_path / "intro.mp4", (220, 20, 20), 25, tone=True),
                   "intro.mp4", "VIDEO").json()["asset_id"]
    outro = upload(alice_client, project, clip(tmp_path / "outro.mp4", (20, 20, 220), 13, tone=False),
                   "outro.mp4", "VIDEO").json()["asset_id"]
    kit = alice_client.put(f"/v1/{project.id}/brand-kit", {"intro_asset_id": intro, "outro_asset_id": outro},
                           format="json")
    assert kit.status_code == 200, kit.content

    job_id = submit(alice_client, project, small_body())
    done = wait_for(lambda: VideoJob.objects.get(pk=job_id).is_final and VideoJob.objects.get(pk=job_id))
    assert done.state == JobState.SUCCEED, done.error_msg
    body_frames = sum(scene.result["frames"] for scene in SceneRender.objects.filter(job_id=job_id))
    output = Asset.objects.get(pk=done.output_asset_id)
    with av.open(output.file.path) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (320, 180)
        frames = list(container.decode(video=0))
    assert len(frames) == 25 + body_frames + 13 == done.frames_total
    assert done.duration == pytest.approx((25 + body_frames + 13) / 25)

    # The intro's red fills the middle of the first second; the 4:3 picture in 16:9 has black bars at the sides.
    for frame in (frames[0], frames[12], frames[24]):
        middle = frame.to_ndarray(format="rgb24")[40:140, 120:200].reshape(-1, 3).mean(axis=0)
        assert middle[0] > 150 and middle[1] < 70 and middle[2] < 70, middle
        assert frame.to_ndarray(format="rgb24")[:, :20].mean() < 30
    assert not (mean_colour(frames[25])[0] > 150 and mean_colour(frames[25])[2] < 70)
    for frame in frames[-13:]:
        middle = frame.to_ndarray(format="rgb24")[40:140, 120:200].reshape(-1, 3).mean(axis=0)
        assert middle[2] > 150 and middle[0] < 70, middle

    # The soundtrack runs the whole length, with the intro's own tone at its start.
    with av.open(output.file.path) as container:
        # Planar stereo: the first channel of each frame.
        sound = np.concatenate([f.to_ndarray()[0] for f in container.decode(audio=0)])
        rate = container.streams.audio[0].codec_context.sample_rate
    assert len(sound) / rate == pytest.approx(len(frames) / 25, abs=0.1)
    assert np.abs(sound[: rate // 2]).max() > 0.05


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples.astype(np.float64)))))


def test_the_music_bed_plays_under_the_scenes_and_not_under_the_intro_or_outro(alice_client, project,
                                                                             embedded_worker, tmp_path):
    # Silent clips: any sound heard while they play would be the music.
    intro = upload(alice_client, project, clip(tmp_path / "intro.mp4", (220, 20, 20), 50, tone=False),
                   "intro.mp4", "VIDEO").json()["asset_id"]
    outro = upload(alice_client, project, clip(tmp_path / "outro.mp4", (20, 20, 220), 50, tone=False),
                   "outro.mp4", "VIDEO").json()["asset_id"]
    assert alice_client.put(f"/v1/{project.id}/brand-kit", {"intro_asset_id": intro, "outro_asset_id": outro},
                            format="json").status_code == 200
    body = small_body("Hello there, welcome to the show.")
    body["background_music_config"] = {"music_asset_id": "music-calm-pads", "volume": 100}

    job_id = submit(alice_client, project, body)
    done = wait_for(lambda: VideoJob.objects.get(pk=job_id).is_final and VideoJob.objects.get(pk=job_id))
    assert done.state == JobState.SUCCEED, done.error_msg
    with av.open(Asset.objects.get(pk=done.output_asset_id).file.path) as container:
        sound = np.concatenate([f.to_ndarray()[0] for f in container.decode(audio=0)])
        rate = container.streams.audio[0].codec_context.sample_rate
    body_seconds = done.duration - 4.0
    # Away from the edges (the codec smears a few ms across a cut): the intro's and the outro's two seconds.
    intro_sound = sound[int(0.1 * rate):int(1.9 * rate)]
    outro_sound = sound[int((done.duration - 1.9) * rate):int((done.duration - 0.1) * rate)]
    # The scenes' stretch, where the music plays under the voice (its last second fades out).
    scenes_sound = sound[int(2.1 * rate):int((2.0 + body_seconds - 1.0) * rate)]
    assert body_seconds > 1.5
    assert rms(scenes_sound) > 0.01
    assert rms(intro_sound) < 0.001, rms(intro_sound)
    assert rms(outro_sound) < 0.001, rms(outro_sound)
