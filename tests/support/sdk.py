"""The official MetaStudio SDK client, pointed at a live test server."""
from __future__ import annotations

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkmetastudio.v1 import MetaStudioClient


def sdk_client(live_server, ak: str, sk: str, project_id: str) -> MetaStudioClient:
    config = HttpConfig.get_default_config()
    config.retry_times = 0
    credentials = BasicCredentials(ak, sk, project_id)
    return (MetaStudioClient.new_builder().with_http_config(config).with_credentials(credentials)
            .with_endpoints([live_server.url]).build())
