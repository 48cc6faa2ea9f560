"""A script's review state pushed to the project's approvals group when it changes (a request, a decision, or a
save that supersedes a request): inboxes, decision pages and editors follow it without a reload."""
from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)


def approvals_group(project_id: str) -> str:
    return f"project.{project_id}.approvals"


def publish_review(script_id: str, project_id: str) -> None:
    """After the current transaction commits, send the script's approval summary to the project's watchers."""

    def send() -> None:
        from composer.scripts.models import Script
        from composer.scripts.payloads import approval_summary

        layer = get_channel_layer()
        script = Script.objects.select_related("head").filter(pk=script_id).first()
        if layer is None or script is None:
            return
        message = {"type": "approval.update", "script_id": script.id, "approval": approval_summary(script)}
        try:
            async_to_sync(layer.group_send)(approvals_group(project_id), message)
        except Exception:  # a broken live channel must never fail a save or a decision
            log.warning("could not publish the review state of script %s", script_id, exc_info=True)

    transaction.on_commit(send)
