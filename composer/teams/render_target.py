"""A project's render target: render here ("local") or send approved jobs to a MetaStudio account.

{"kind": "local"} or {"kind": "metastudio", "endpoint" | "region", "remote_project_id", "ak", "sk"}. The SK is
stored encrypted and never answered ("sk_set" says whether one is kept); every change is audited without it.
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from composer.errors import InvalidInput, json_object
from composer.lib import secrets_box
from composer.teams.models import Project, RenderTarget
from composer.teams.services import PROJECT_SETTINGS, record_audit, update_project_settings

FIELD = "render_target"
KINDS = (RenderTarget.LOCAL, RenderTarget.METASTUDIO)
# MetaStudio's regions and their endpoints (as the official SDK lists them); any other https URL is a custom one.
REGIONS = {
    "cn-north-4": "https://metastudio.cn-north-4.myhuaweicloud.com",
    "cn-east-3": "https://metastudio.cn-east-3.myhuaweicloud.com",
}
# Where an account's finished videos may be downloaded from, besides the endpoint's own host: Huawei Cloud's
# storage (OBS buckets, <bucket>.obs.<region>.myhuaweicloud.com) for its regions' endpoints; operators add hosts
# (a CDN in front of their bucket) with COMPOSER_REMOTE_DOWNLOAD_HOSTS. Nothing else is fetched.
CLOUD_DOWNLOAD_DOMAINS = ("myhuaweicloud.com",)
METASTUDIO_FIELDS = ("kind", "endpoint", "region", "remote_project_id", "ak", "sk")
REMOTE_PROJECT_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
AK_RE = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
MAX_SK = 256


@dataclass(frozen=True)
class Connection:
    """What a client needs to call the project's MetaStudio account (the SK decrypted)."""

    project_id: str
    endpoint: str
    remote_project_id: str
    ak: str
    sk: str


def download_hosts(endpoint: str) -> tuple[str, ...]:
    """The hosts a MetaStudio endpoint's downloads may come from: exact names, and ".domain" for any host under it."""
    host = (urlsplit(endpoint).hostname or "").lower()
    hosts = [host] + ["." + domain for domain in CLOUD_DOWNLOAD_DOMAINS if host.endswith("." + domain)]
    extra = [name.strip().lower() for name in settings.COMPOSER_REMOTE_DOWNLOAD_HOSTS.split(",") if name.strip()]
    return tuple(hosts + extra)


def may_download(url: str, endpoint: str) -> bool:
    """Whether a link the account answered points at one of its download hosts."""
    host = (urlsplit(url).hostname or "").lower()
    return bool(host) and any(host == allowed or (allowed.startswith(".") and host.endswith(allowed))
                              for allowed in download_hosts(endpoint))


def target_of(project: Project) -> RenderTarget:
    """The project's target; a project that never chose one renders here."""
    found = RenderTarget.objects.filter(project=project).first()
    return found or RenderTarget(project=project, kind=RenderTarget.LOCAL)


def region_of(endpoint: str) -> str | None:
    return next((name for name, url in REGIONS.items() if url == endpoint), None)


def payload(project: Project) -> dict[str, Any]:
    target = target_of(project)
    if target.kind != RenderTarget.METASTUDIO:
        return {"kind": RenderTarget.LOCAL}
    return {"kind": target.kind, "endpoint": target.endpoint, "region": region_of(target.endpoint),
            "remote_project_id": target.remote_project_id, "ak": target.ak, "sk_set": bool(target.sk_encrypted),
            "connection": {"status": target.status or None, "detail": target.status_detail or None,
                           "checked_at": target.status_at.strftime("%Y-%m-%dT%H:%M:%SZ") if target.status_at
                           else None}}


def _field(name: str) -> str:
    return f"{FIELD}.{name}"


def check_endpoint(value: Any) -> str:
    """An endpoint URL: https on a public host, or http/loopback/private too when COMPOSER_REMOTE_ALLOW_PRIVATE."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{_field('endpoint')}: is required (a MetaStudio endpoint URL, e.g. "
                           f"{REGIONS['cn-north-4']}), or give region ({', '.join(REGIONS)})")
    url = value.strip().rstrip("/")
    parts = urlsplit(url)
    allow_private = settings.COMPOSER_REMOTE_ALLOW_PRIVATE
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        raise InvalidInput(f"{_field('endpoint')}: must be an https:// URL")
    if not parts.hostname or parts.username or parts.password or parts.query or parts.fragment or parts.path:
        raise InvalidInput(f"{_field('endpoint')}: must be scheme://host[:port] only (no path, query or "
                           "credentials)")
    if not allow_private:
        host = parts.hostname
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            address = None
        if host == "localhost" or host.endswith(".localhost") or (address is not None and not address.is_global):
            raise InvalidInput(f"{_field('endpoint')}: must be a public host (loopback and private addresses are "
                               "refused)")
    return url


def _endpoint(data: dict[str, Any], current: RenderTarget) -> str:
    if "region" in data and data["region"] is not None:
        if "endpoint" in data:
            raise InvalidInput(f"{_field('region')}: give region or endpoint, not both")
        if data["region"] not in REGIONS:
            raise InvalidInput(f"{_field('region')}: must be one of {', '.join(REGIONS)} (or give a custom "
                               "endpoint)")
        return REGIONS[data["region"]]
    if "endpoint" not in data and current.endpoint:
        return current.endpoint
    return check_endpoint(data.get("endpoint"))


def _matching(value: Any, name: str, pattern: re.Pattern, rule: str, current: str) -> str:
    if value is None and current:
        return current
    if not isinstance(value, str) or not pattern.match(value):
        raise InvalidInput(f"{_field(name)}: is required, {rule}")
    return value


def _sk(value: Any, current: RenderTarget, ak_changed: bool) -> str:
    """The encrypted SK to keep: a new one, or the stored one when the AK stays the same."""
    if value is None:
        if current.sk_encrypted and not ak_changed:
            return current.sk_encrypted
        raise InvalidInput(f"{_field('sk')}: is required (the secret key of the AK)")
    if not isinstance(value, str) or not value or len(value) > MAX_SK or any(c.isspace() for c in value):
        raise InvalidInput(f"{_field('sk')}: must be a non-empty string of at most {MAX_SK} characters without "
                           "spaces")
    try:
        return secrets_box.encrypt(value)
    except secrets_box.SecretsUnavailable as exc:
        raise InvalidInput(f"{_field('sk')}: cannot be stored: {exc}") from exc


@transaction.atomic
def set_render_target(project: Project, data: Any, *, by: AbstractBaseUser | None) -> RenderTarget:
    """Validate and keep the project's render target; audited (kind, endpoint, project and AK, never the SK)."""
    if not isinstance(data, dict):
        raise InvalidInput(f"{FIELD}: must be an object with kind ({' or '.join(KINDS)})")
    kind = data.get("kind")
    if kind not in KINDS:
        raise InvalidInput(f"{_field('kind')}: must be one of {', '.join(KINDS)}")
    current = RenderTarget.objects.select_for_update().filter(project=project).first()
    current = current or RenderTarget(project=project)
    if kind == RenderTarget.LOCAL:
        extra = sorted(set(data) - {"kind"})
        if extra:
            raise InvalidInput(f"{_field(extra[0])}: not a field of a local target")
        current.kind, current.endpoint, current.remote_project_id, current.ak, current.sk_encrypted = (
            RenderTarget.LOCAL, "", "", "", "")
    else:
        unknown = sorted(set(data) - set(METASTUDIO_FIELDS))
        if unknown:
            raise InvalidInput(f"{_field(unknown[0])}: not a field of a metastudio target (fields: "
                               f"{', '.join(METASTUDIO_FIELDS)})")
        was_remote = current.kind == RenderTarget.METASTUDIO
        base = current if was_remote else RenderTarget(project=project)
        endpoint = _endpoint(data, base)
        remote_project_id = _matching(data.get("remote_project_id"), "remote_project_id", REMOTE_PROJECT_ID_RE,
                                      "1 to 64 letters, digits, '-' or '_'", base.remote_project_id)
        ak = _matching(data.get("ak"), "ak", AK_RE, "1 to 128 letters, digits, '-' or '_'", base.ak)
        sk = _sk(data.get("sk"), base, ak_changed=ak != base.ak)
        changed = (endpoint, remote_project_id, ak) != (base.endpoint, base.remote_project_id, base.ak) or \
            sk != base.sk_encrypted
        current.kind, current.endpoint, current.remote_project_id, current.ak, current.sk_encrypted = (
            RenderTarget.METASTUDIO, endpoint, remote_project_id, ak, sk)
        if changed:   # a new account has not been tested yet
            current.status, current.status_detail, current.status_at = "", "", None
    current.save()
    record_audit(project, by, "project.render_target", project, kind=current.kind, endpoint=current.endpoint,
                 remote_project_id=current.remote_project_id, ak=current.ak,
                 sk_changed="sk" in data and data.get("sk") is not None)
    return current


def connection(project: Project) -> Connection:
    """The project's MetaStudio account to call; refused naming the setting when the project renders here."""
    target = target_of(project)
    if target.kind != RenderTarget.METASTUDIO:
        raise InvalidInput(f"{FIELD}: this project renders here (kind local); set a metastudio target first")
    try:
        sk = secrets_box.decrypt(target.sk_encrypted)
    except secrets_box.SecretsUnavailable as exc:
        raise InvalidInput(f"{_field('sk')}: {exc}") from exc
    return Connection(project.id, target.endpoint, target.remote_project_id, target.ak, sk)


def record_status(project: Project, ok: bool, detail: str = "") -> None:
    """Remember how the last call to the project's MetaStudio account went (shown in the settings)."""
    RenderTarget.objects.filter(project=project, kind=RenderTarget.METASTUDIO).update(
        status="ok" if ok else "failing", status_detail="" if ok else detail[:500], status_at=timezone.now())


@transaction.atomic
def update_settings(project: Project, data: Any, *, by: AbstractBaseUser) -> Project:
    """PUT project-settings: the approval rules (teams.services) and/or the render target, all or nothing."""
    data = dict(json_object(data))
    settable = (*PROJECT_SETTINGS, FIELD)
    unknown = sorted(set(data) - set(settable))
    if unknown:
        raise InvalidInput(f"{unknown[0]}: not a project setting (settable: {', '.join(settable)})")
    if not data:
        raise InvalidInput(f"body: send {' and/or '.join(settable)}")
    if FIELD in data:
        set_render_target(project, data.pop(FIELD), by=by)
    return update_project_settings(project, data, by=by) if data else project
