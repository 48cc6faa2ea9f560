"""The official MetaStudio SDK: its client pointed at a live test server, and its signer on test-client requests."""
from __future__ import annotations

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer
from huaweicloudsdkmetastudio.v1 import MetaStudioClient
from rest_framework.test import APIClient


def sdk_client(live_server, ak: str, sk: str, project_id: str) -> MetaStudioClient:
    config = HttpConfig.get_default_config()
    config.retry_times = 0
    credentials = BasicCredentials(ak, sk, project_id)
    return (MetaStudioClient.new_builder().with_http_config(config).with_credentials(credentials)
            .with_endpoints([live_server.url]).build())


def signed_get(ak: str, sk: str, project_id: str, path: str):
    """GET `path` signed by the official SDK's signer, as a client program holding the AK/SK would."""
    request = SdkRequest(method="GET", schema="http", host="testserver", resource_path=path, uri=path,
                         query_params=[], header_params={"X-Project-Id": project_id}, body="")
    headers = Signer(BasicCredentials(ak, sk, project_id)).sign(request).header_params
    return APIClient().get(path, HTTP_AUTHORIZATION=headers["Authorization"], HTTP_X_SDK_DATE=headers["X-Sdk-Date"],
                           HTTP_X_PROJECT_ID=project_id, HTTP_HOST="testserver")
