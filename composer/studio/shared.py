"""The public page of a share link: one finished video, its player and downloads, nothing else of the project.

No account needed; every view is written to the project's audit log by composer.jobs.sharing. An expired or
revoked link answers 410 with a page that says so; an unknown one 404 with the same look."""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from composer.assets.views import serve_asset_file
from composer.errors import NotFound
from composer.jobs import sharing

DOWNLOADS = (("file", "Video"), ("cover", "Cover image"), ("srt", "Subtitles (SRT)"), ("vtt", "Subtitles (VTT)"))
FILE_FIELDS = {"file": "file", "cover": "cover", "srt": "subtitle_srt", "vtt": "subtitle_vtt"}


def _private(response):
    # A shared page is for the people given the link: never indexed, never sent on as a referrer.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _gone(request, *, status: int, reason: str):
    return _private(render(request, "studio/shared_gone.html", {"reason": reason}, status=status))


@never_cache
@require_GET
def shared_video(request, token: str):
    """The player page: the video, its name and length, and the download buttons."""
    try:
        link, asset = sharing.shared_video(token)
    except sharing.ShareLinkGone as exc:
        return _gone(request, status=410, reason=exc.reason)
    except NotFound:
        return _gone(request, status=404, reason="unknown")
    sharing.record_share_view(link)
    file_url = lambda kind: reverse("shared-video-file", args=[token, kind])  # noqa: E731
    downloads = [{"kind": kind, "label": label, "href": f"{file_url(kind)}?download=1"}
                 for kind, label in DOWNLOADS if getattr(asset, FILE_FIELDS[kind])]
    video = (link.job.spec or {}).get("video_config") or {}
    return _private(render(request, "studio/shared.html", {
        "name": link.job.asset_name or asset.name or "Video", "duration": link.job.duration,
        "video_src": file_url("file"), "poster": file_url("cover") if asset.cover else "",
        "vtt": file_url("vtt") if asset.subtitle_vtt else "",
        "width": video.get("width") or asset.width or 1920, "height": video.get("height") or asset.height or 1080,
        "downloads": downloads, "expires_at": link.expires_at}))


@never_cache
@require_GET
def shared_video_file(request, token: str, kind: str):
    """One file of the shared video, while the link is live (a revoked link stops playback and downloads)."""
    if kind not in FILE_FIELDS:
        raise Http404("no such file")
    try:
        _, asset = sharing.shared_video(token)
    except (sharing.ShareLinkGone, NotFound) as exc:
        raise Http404("this share link is no longer available") from exc
    return _private(serve_asset_file(asset, kind, as_attachment=request.GET.get("download") == "1"))
