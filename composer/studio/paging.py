"""Paging for the list pages: one page of rows and the links that keep the current filters."""
from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator


def paginate(request, items: Any, per_page: int) -> tuple[Page, str]:
    """The page of `items` that ?page= asks for (out-of-range numbers give the nearest page), and the request's
    other parameters as a query-string prefix for the pager's links ("q=x&state=FAILED&", or "")."""
    page = Paginator(items, per_page).get_page(request.GET.get("page") or "1")
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return page, f"{encoded}&" if encoded else ""
