"""Reading what a studio page hands its scripts."""
from __future__ import annotations

import json
import re

PAGE_DATA = re.compile(r'<script id="page-data" type="application/json">(.*?)</script>', re.S)


def page_data(page) -> dict:
    """The page's JSON data (its <script id="page-data">), from a response or from its HTML."""
    html = page if isinstance(page, str) else page.content.decode()
    match = PAGE_DATA.search(html)
    assert match, "the page has no page data"
    return json.loads(match.group(1))
