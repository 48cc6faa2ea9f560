"""Content-Security-Policy on every response: the pages run only the studio's own script files.

No page has inline script or inline style attributes (page data travels in `json_script` blocks, which are data,
not code), so the policy needs neither 'unsafe-inline' nor 'unsafe-eval'. Media and images may be blob: (recorded
audio, canvas exports) and data: (tiny icons); websockets go back to the page's own origin. A view that must relax
the policy (the API reference page runs a bundled third-party viewer) sets its own header, which is kept.
"""
from __future__ import annotations

POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

# The API reference (Redoc): its bundle injects styles and starts a worker from a blob.
REFERENCE_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = POLICY
        return response
