"""Template tags of the studio's pages."""
from __future__ import annotations

from django import template
from django.utils.html import json_script

from composer.jobs.models import JOB_STATE_LABELS
from composer.spec.errors import ERROR_ASSET_MISSING, ERROR_DOWNLOAD

register = template.Library()


@register.simple_tag
def job_state_labels():
    """The job states in a marketer's words as JSON (#job-state-labels): the page scripts read them from here, so
    the server's filters and the live badges say the same."""
    return json_script({str(state): label for state, label in JOB_STATE_LABELS.items()}, "job-state-labels")


@register.simple_tag
def job_failure_codes():
    """The error codes of a failed render that the pages explain in words (#job-failure-codes), from the one
    table of codes (composer.spec.errors)."""
    return json_script({"download": ERROR_DOWNLOAD, "asset_missing": ERROR_ASSET_MISSING}, "job-failure-codes")


@register.filter
def job_state_label(state: str) -> str:
    """One job state in words ("SUCCEED" -> "Ready"), for what the server draws before the scripts run."""
    return JOB_STATE_LABELS.get(state, state)
