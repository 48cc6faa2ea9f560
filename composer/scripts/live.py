"""A script's review state changed (a request, a decision, or a save that supersedes a request): the project's
approvals group hears of it once the transaction commits, and each watcher's connection sends the script's state
as it then stands (composer/realtime/consumers.py), so inboxes, decision pages and editors follow without a reload.
The message names the script only: the state is read where it is sent, never from a half-finished transaction."""
from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)


def approvals_group(project_id: str) -> str:
    return f"project.{project_id}.approvals"


def publish_review(script_id: str, project_id: str) -> None:
    """After the current transaction commits, tell the project's watchers that the script's review state changed."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            async_to_sync(layer.group_send)(approvals_group(project_id),
                                            {"type": "approval.update", "script_id": script_id})
        except Exception:  # a broken live channel must never fail a save or a decision
            log.warning("could not publish the review state of script %s", script_id, exc_info=True)

    transaction.on_commit(send)
