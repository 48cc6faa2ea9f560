"""Our canonical request matches the official SDK signer byte for byte."""
from __future__ import annotations

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

from composer.lib.sdk_hmac import canonical_query, canonical_uri


def sdk_signer_parts(path: str, query: list) -> tuple[str, str]:
    request = SdkRequest(method="GET", schema="http", host="h", resource_path=path, uri=path, query_params=query,
                         header_params={}, body="")
    signer = Signer(BasicCredentials("ak", "sk"))
    return signer._process_canonical_uri(request), signer._process_canonical_query_string(request)


def test_canonical_uri_matches_the_sdk():
    for path in ["/v1/abc/2d-digital-human-videos", "/v1/p/x~y/a b", "/v1/p/%E4%B8%AD/"]:
        from urllib.parse import unquote

        assert canonical_uri(unquote(path)) == sdk_signer_parts(path, [])[0]


def test_canonical_query_matches_the_sdk():
    query = [("limit", 10), ("state", "WAITING,SUCCEED"), ("create_since", "2025-01-01T00:00:00Z"), ("a b", "c~d")]
    from urllib.parse import urlencode

    assert canonical_query(urlencode(query)) == sdk_signer_parts("/v1/x", query)[1]
