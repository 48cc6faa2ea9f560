"""Requests signed by the official SDK's signer, as a client program holding an AK/SK sends them."""
from __future__ import annotations

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer
from rest_framework.test import APIClient

HOST = "testserver"


def sdk_signed(ak: str, sk: str, method: str, path: str, *, query: list | None = None, body: bytes = b"",
               headers: dict | None = None) -> dict[str, str]:
    """The headers the SDK sends for this request (Authorization, X-Sdk-Date, Host and the given ones)."""
    params = {"Content-Type": "application/json", **(headers or {})}
    request = SdkRequest(method=method, schema="http", host=HOST, resource_path=path, uri=path,
                         query_params=query or [], header_params=params, body=body)
    return dict(Signer(BasicCredentials(ak, sk)).sign(request).header_params)


def send(method: str, path: str, headers: dict[str, str], *, query: str = "", body: bytes = b""):
    """Send exactly these bytes and headers through Django's test client."""
    meta = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()
            if name.lower() not in ("content-type", "host")}
    target = f"{path}?{query}" if query else path
    return getattr(APIClient(), method.lower())(target, data=body, content_type=headers.get("Content-Type",
                                                                                         "application/json"),
                                                HTTP_HOST=headers.get("Host", HOST), **meta)
