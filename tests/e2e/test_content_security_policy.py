"""End to end: with the Content-Security-Policy on, Chromium shows the pages with charts (monitor, evaluation, the
power curve), the calculator, a participant's line of time and the admin's list and change forms without a single
CSP violation, and every page comes with a nonce, no-store and the other headers; static files are cached for long.

A violation is counted twice over: Chromium's console error ("… violates the following Content Security Policy
directive …") and the document's securitypolicyviolation event, recorded by a script Playwright adds through the
DevTools protocol (which the page's policy does not govern).
"""

import re

import pytest
from test_start_pages import log_in
from tests.e2e.conftest import until_computed

from vertrouwen.web.accounts.services import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', event => window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || 'inline'} at ${event.sourceFile}:${event.lineNumber}`));
"""
NONCE = re.compile(r"'nonce-([A-Za-z0-9+/=]+)'")


class Watch:
    """Console errors about the policy, violation events and the headers of every page the browser opened."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        self.documents: list = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)
        page.on("response", self._response)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def _response(self, response):
        if response.request.resource_type == "document":
            self.documents.append(response)

    def open(self, url: str) -> list[str]:
        """Goes to url, waits until it is drawn, and returns the violations reported there."""
        response = self.page.goto(url)
        assert response.status == 200, url
        self.page.wait_for_load_state("load")
        return self.page.evaluate("window.__cspViolations")


def assert_headers(response) -> str:
    headers = response.all_headers()
    policy = headers["content-security-policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"):
        assert directive in policy, (response.url, policy)
    assert "'unsafe-inline'" not in policy
    nonces = set(NONCE.findall(policy))
    assert len(nonces) == 1, policy
    assert headers["cache-control"] == "no-store" and headers["pragma"] == "no-cache", response.url
    assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "same-origin"
    return nonces.pop()


def visit(watch: Watch, server, paths: list[str]) -> dict[str, list[str]]:
    """{path: violations} for every path that had one."""
    found = {}
    for path in paths:
        violations = watch.open(f"{server.url}{path}")
        if violations:
            found[path] = violations
    return found


def first_experiment(server) -> int:
    return server.query("SELECT id FROM registry_experiment ORDER BY municipality_id, period_start, id LIMIT 1")[0][0]


def test_pages_with_charts_render_without_a_violation(page, demo_server):
    watch = Watch(page)
    experiment = first_experiment(demo_server)
    log_in(page, demo_server, "onderzoeker", DEMO_PASSWORD)
    page.wait_for_url(f"{demo_server.url}/onderzoeker/")
    page.goto(f"{demo_server.url}/evaluatie/{experiment}/")
    until_computed(page)  # the charts come with the result
    violations = visit(watch, demo_server, [f"/monitor/{experiment}/", f"/evaluatie/{experiment}/"])
    # The charts are there (inline SVG from core.charts), so they were checked, not skipped.
    assert page.locator("#chart-incidence svg").count() == 1
    page.context.clear_cookies()

    log_in(page, demo_server, "projectleider", DEMO_PASSWORD)
    page.wait_for_url(f"{demo_server.url}/projectleider/")
    violations |= visit(watch, demo_server, ["/projectleider/", f"/monitor/{experiment}/", "/opzet/"])
    # A design's page draws its power curve (core.charts too), once the background work has made it.
    designs = page.locator("main a").evaluate_all(
        "links => links.map(a => a.getAttribute('href')).filter(h => /^\\/opzet\\/\\d+\\/$/.test(h))")
    if designs:
        violations |= visit(watch, demo_server, [designs[0]])
    assert not violations, violations
    assert not watch.console, watch.console
    nonces = [assert_headers(response) for response in watch.documents]
    assert len(set(nonces)) == len(nonces), "a nonce came back twice"


def test_the_calculator_and_the_login_page_render_without_a_violation(page, demo_server):
    watch = Watch(page)
    violations = visit(watch, demo_server, ["/inloggen/", "/wat-houd-ik-over/", "/beheer/login/"])
    page.goto(f"{demo_server.url}/wat-houd-ik-over/")
    page.get_by_label("Uren per week").fill("16")
    page.get_by_label("Netto uurloon (euro)").fill("14,06")
    page.get_by_role("button", name="Berekenen").click()
    page.wait_for_load_state("load")
    violations["after calculating"] = page.evaluate("window.__cspViolations")
    assert not any(violations.values()), violations
    assert not watch.console, watch.console
    for response in watch.documents:
        assert_headers(response)


def test_a_participants_line_of_time_is_placed_by_the_nonced_style(page, demo_server):
    watch = Watch(page)
    log_in(page, demo_server, "klantmanager", DEMO_PASSWORD)
    page.wait_for_url(f"{demo_server.url}/klantmanager/")
    assert not watch.open(f"{demo_server.url}/caseload/")
    people = page.locator("main a").evaluate_all(
        "links => links.map(a => a.getAttribute('href')).filter(h => /^\\/persoon\\/\\d+\\/$/.test(h))")
    assert people, "the demo klantmanager has a caseload"
    assert not watch.open(f"{demo_server.url}{people[0]}")
    # The spell's place and width come only from the <style nonce>: blocked, it would be 0 px wide.
    spell = page.locator("#vt-spell-1")
    assert spell.count() == 1 and spell.bounding_box()["width"] > 0
    assert not watch.open(f"{demo_server.url}{people[0]}wat-houd-ik-over/")
    assert not watch.console, watch.console


def test_the_admin_renders_without_a_violation(page, demo_server):
    watch = Watch(page)
    experiment = first_experiment(demo_server)
    user = demo_server.query("SELECT id FROM auth_user WHERE username = 'klantmanager'")[0][0]
    log_in(page, demo_server, "beheerder", DEMO_PASSWORD)
    page.wait_for_url(f"{demo_server.url}/beheerder/")
    violations = visit(watch, demo_server, [
        "/beheer/", "/beheer/registry/experiment/", f"/beheer/registry/experiment/{experiment}/change/",
        "/beheer/registry/experiment/add/", "/beheer/auth/user/", f"/beheer/auth/user/{user}/change/",
        "/beheer/audit/auditevent/"])
    # The admin's own scripts (static files) run under the policy: theme.js marks the page and switches the
    # theme on a click.
    page.goto(f"{demo_server.url}/beheer/auth/user/{user}/change/")
    assert page.evaluate("document.documentElement.dataset.theme") == "auto"
    page.locator("button.theme-toggle").first.click()
    assert page.evaluate("document.documentElement.dataset.theme") in ("light", "dark")
    assert not violations, violations
    assert not watch.console, watch.console
    for response in watch.documents:
        assert_headers(response)


def test_static_files_are_cached_for_long(page, demo_server):
    static = []
    page.on("response", lambda r: static.append(r) if "/static/" in r.url and r.url.endswith(".css") else None)
    page.goto(f"{demo_server.url}/inloggen/")
    page.wait_for_load_state("load")
    assert static, "the login page loads its stylesheets"
    for response in static:
        cache = response.all_headers().get("cache-control", "")
        assert "no-store" not in cache and "immutable" in cache and "max-age=315360000" in cache, (response.url,
                                                                                                  cache)
