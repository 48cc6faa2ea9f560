"""Every page works under the Content-Security-Policy: Chromium reports no violation while a signed-in owner
walks the studio (every page the navigation reaches, an editor, an approval, a finished video, its share page)."""
from __future__ import annotations

import subprocess
import sys
from urllib.parse import urlsplit

from tests.support.browser import ROOT, sign_in

# Recorded by the page itself: the browser fires this event for every blocked script, style, frame or connection.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
                              `at ${event.sourceFile || location.pathname}:${event.lineNumber}`);
});
"""


def finished_video(server) -> str:
    code = ("from composer.teams.models import Project; from django.contrib.auth import get_user_model; "
            "from tests.support.finished import finished_video; "
            "p = Project.objects.get(name='demo'); u = get_user_model().objects.get(username='demo'); "
            "print(finished_video(p, u, 'Policy check').pk)")
    return subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=server.env, check=True,
                          capture_output=True, text=True).stdout.split()[-1]


def visit(page, url: str, problems: list[str]) -> None:
    response = page.goto(url, wait_until="domcontentloaded", timeout=90_000)
    assert response is not None and response.status < 400, f"{url}: {response and response.status}"
    assert "content-security-policy" in response.headers, url
    # Every script module, style and picture of the page has loaded (or been blocked) once the load event fires.
    page.wait_for_load_state("load", timeout=120_000)
    problems.extend(f"{urlsplit(url).path}: {v}" for v in page.evaluate("window.__cspViolations"))


def test_no_page_breaks_the_content_security_policy(server, browser):
    job_id = finished_video(server)
    link = server.api("POST", f"/2d-digital-human-videos/{job_id}/share-links", json={"label": "Policy"}).json()
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=False)
    context.add_init_script(LISTEN)
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text)
            if "Content Security Policy" in message.text else None)
    problems: list[str] = []
    visit(page, f"{server.base}/login", problems)
    sign_in(server, page)

    project = f"{server.base}/p/{server.project_id}/"
    visit(page, project, problems)
    links = page.eval_on_selector_all(
        "a[href]", "nodes => nodes.map(n => n.href)")
    pages = {href.split("#")[0] for href in links
             if href.startswith(project) and "/logout" not in href and "/download" not in href}
    visit(page, f"{server.base}/p/{server.project_id}/scripts", problems)
    pages |= {href for href in page.eval_on_selector_all("tr[data-script] a[href]", "ns => ns.map(n => n.href)")}
    visit(page, f"{server.base}/p/{server.project_id}/approvals", problems)
    pages |= {href for href in page.eval_on_selector_all("a[href*='/approvals/']", "ns => ns.map(n => n.href)")}
    pages |= {f"{server.base}/p/{server.project_id}/videos/{job_id}",
              f"{server.base}/p/{server.project_id}/presenters/new", f"{server.base}/p/{server.project_id}/batches/new",
              f"{server.base}/"}
    kinds = {"editor": "/scripts/", "approval": "/approvals/", "video": "/videos/", "members": "/members",
             "assets": "/assets", "keys": "/keys", "audit": "/audit", "brand kit": "/brand-kit",
             "batches": "/batches"}
    for kind, fragment in kinds.items():
        assert any(fragment in href for href in pages), f"no {kind} page reached: {sorted(pages)}"
    for url in sorted(pages):
        visit(page, url, problems)
    visit(page, f"{server.base}/v1/docs", problems)
    context.close()

    guest = browser.new_context(bypass_csp=False)
    guest.add_init_script(LISTEN)
    shared = guest.new_page()
    visit(shared, link["url"], problems)
    assert shared.locator("video").count() == 1
    guest.close()

    assert problems == [] and console == [], "\n".join(problems + console)
