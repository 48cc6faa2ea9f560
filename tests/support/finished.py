"""Finished videos without rendering: a tiny real MP4 (PyAV) with cover, SRT and VTT as a render leaves them, or
stand-in files where only the links matter."""
from __future__ import annotations

import io
from datetime import timedelta

import av
import numpy as np
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from composer.assets.models import Asset, AssetState, AssetType
from composer.jobs.models import JobState, Stage, VideoJob
from tests.support.factories import create_body


def tiny_mp4(frames: int = 50, size: tuple[int, int] = (64, 36)) -> bytes:
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=25)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        for index in range(frames):
            pixels = np.full((size[1], size[0], 3), (index * 5) % 255, dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buffer.getvalue()


def cover_jpg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 36), (59, 91, 219)).save(buffer, format="JPEG")
    return buffer.getvalue()


SRT = "1\n00:00:00,000 --> 00:00:01,500\nHello from the spring sale\n"
VTT = "WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nHello from the spring sale\n"


def finished_video(project, user, name: str = "Spring sale", *, created=None) -> VideoJob:
    """A SUCCEED job of `project` whose output VIDEO asset has all four files."""
    asset = Asset.objects.create(project=project, name=name, asset_type=AssetType.VIDEO, state=AssetState.ACTIVED,
                                 created_by=user, width=64, height=36, duration=2.0)
    asset.file.save("out.mp4", ContentFile(tiny_mp4()), save=False)
    asset.cover.save("cover.jpg", ContentFile(cover_jpg()), save=False)
    asset.subtitle_srt.save("subs.srt", ContentFile(SRT.encode()), save=False)
    asset.subtitle_vtt.save("subs.vtt", ContentFile(VTT.encode()), save=False)
    asset.save()
    job = VideoJob.objects.create(project=project, created_by=user, spec=create_body(), asset_name=name,
                                  state=JobState.SUCCEED, stage=Stage.DONE, percent=100, output_asset_id=asset.id,
                                  duration=2.0, start_time=timezone.now(), end_time=timezone.now())
    if created is not None:
        VideoJob.objects.filter(pk=job.pk).update(create_time=created)
        job.refresh_from_db()
    return job


def days_ago(days: float):
    return timezone.now() - timedelta(days=days)


def finished_job(project, *, subtitles: bool = True) -> VideoJob:
    """A SUCCEED job whose output asset has stand-in files (cheap: for payloads and counts, not for playing)."""
    asset = Asset(project=project, name="Launch", asset_type=AssetType.VIDEO, state=AssetState.ACTIVED)
    asset.file.save("video.mp4", ContentFile(b"not really a video"), save=False)
    asset.cover.save("cover.jpg", ContentFile(b"jpeg"), save=False)
    if subtitles:
        asset.subtitle_srt.save("subtitles.srt", ContentFile(SRT.encode()), save=False)
        asset.subtitle_vtt.save("subtitles.vtt", ContentFile(VTT.encode()), save=False)
    asset.save()
    return VideoJob.objects.create(project=project, spec=create_body(), asset_name="Launch",
                                   state=JobState.SUCCEED, percent=100, output_asset_id=asset.id)
