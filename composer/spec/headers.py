"""Request headers the reference constrains, checked where the body is: by the job service, not the API view."""
from __future__ import annotations

import re

from composer.spec.errors import SpecError

APP_USER_ID_MAX = 256
CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")


def check_app_user_id(value: str | None) -> str:
    """X-App-UserId, the caller's own user id stored with the job: at most 256 characters, no Chinese characters."""
    value = value or ""
    if CJK_RE.search(value):
        raise SpecError("X-App-UserId", "Chinese characters are not allowed")
    if len(value) > APP_USER_ID_MAX:
        raise SpecError("X-App-UserId", f"at most {APP_USER_ID_MAX} characters")
    return value
