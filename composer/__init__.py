"""Composer: a self-hostable studio for talking-avatar videos."""
from __future__ import annotations

from composer.celery import app as celery_app

__all__ = ["celery_app"]
