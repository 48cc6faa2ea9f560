"""Reading what a studio page hands its scripts."""
from __future__ import annotations

import json


def page_data(response) -> dict:
    html = response.content.decode()
    start = html.index('id="page-data"')
    return json.loads(html[html.index(">", start) + 1:html.index("</script>", start)])
