"""End to end: each role logs in through the form in Chromium and sees the figures the database holds.

The demo municipality is prepared by `vertrouwen demo --prepare-only --size XS` and served by gunicorn
(conftest.py). The expected figures are recomputed here from the demo database's rows, read directly with
SQL and counted in plain Python, so they do not depend on the selectors they check.
"""

import time
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest
from django_otp.oath import hotp

from vertrouwen.web.accounts.selectors import AUDIT_ACTIONS
from vertrouwen.web.accounts.services import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")
HEADINGS = {"klantmanager": "Deelnemers per groep", "projectleider": "Ontwikkeling deelnemers",
            "onderzoeker": "Loting en respons", "beheerder": "Beheer"}

# --- Dutch formatting, as the pages write numbers ---------------------------------------------------------


def nl_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def nl_pct(part: int, whole: int) -> str:
    if whole == 0:
        return "–"
    rounded = Decimal(repr(100.0 * part / whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{rounded}".replace(".", ",") + "%"


def nl_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def nl_month(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


def as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


# --- the demo database, read directly ---------------------------------------------------------------------


class Register:
    def __init__(self, server):
        q = server.query
        self.experiment_id, count_date, period_end = q(
            "SELECT id, count_date, period_end FROM registry_experiment "
            "ORDER BY municipality_id, period_start, id LIMIT 1")[0]
        self.count_date, self.period_end = as_date(count_date), as_date(period_end)
        self.arms = [code for _, code in q("SELECT id, code FROM registry_arm WHERE experiment_id = ? "
                                            "ORDER BY position, id", (self.experiment_id,))]
        arm_codes = dict(q("SELECT id, code FROM registry_arm WHERE experiment_id = ?", (self.experiment_id,)))
        self.enrollments = [
            (person, arm_codes[arm], as_date(allocated), as_date(consented), as_date(stopped))
            for person, arm, allocated, consented, stopped in q(
                "SELECT person_id, arm_id, allocated_on, consented_on, stopped_on FROM registry_enrollment "
                "WHERE experiment_id = ?", (self.experiment_id,))
        ]
        self.arm_of = {person: arm for person, arm, *_ in self.enrollments}
        self.spells: dict[int, list[tuple[date, date | None]]] = {}
        for person, start, end in q("SELECT person_id, spell_start, spell_end FROM registry_benefitspell"):
            self.spells.setdefault(person, []).append((as_date(start), as_date(end)))
        self.earnings = [(p, as_date(m), cents) for p, m, cents in
                         q("SELECT person_id, month, earnings_cents FROM registry_monthlyearnings")]
        self.contacts = [(p, as_date(d)) for p, d in q("SELECT person_id, contact_on FROM registry_contact")]
        self.responses = set(q("SELECT DISTINCT person_id, wave FROM registry_surveyresponse WHERE experiment_id = ?",
                               (self.experiment_id,)))  # answers belong to one experiment
        self.reference_group = q("SELECT COUNT(*) FROM registry_referencemember WHERE experiment_id = ?",
                                 (self.experiment_id,))[0][0]

    def on_benefit(self, person: int, day: date) -> bool:
        return any(start < day and (end is None or end >= day) for start, end in self.spells.get(person, []))


def expected_klantmanager(reg: Register) -> tuple[dict, list[str]]:
    today = datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    ref = reg.count_date if today > reg.period_end else today
    active = [(p, arm) for p, arm, _, consented, stopped in reg.enrollments
              if consented is not None and consented < ref and (stopped is None or stopped >= ref)]
    persons = {p for p, _ in active}
    months = [m for p, m, _ in reg.earnings if p in persons and m < ref]
    earnings_month = max(months) if months else None
    earners = {p for p, m, cents in reg.earnings if m == earnings_month and cents > 0}
    days = [d for p, d in reg.contacts if p in persons and d < ref]
    contacts_month = None
    if days:
        data_end = min(ref, max(days) + timedelta(days=1))
        contacts_month = (data_end.replace(day=1) - timedelta(days=1)).replace(day=1)
    contacts = Counter(reg.arm_of[p] for p, d in reg.contacts if p in persons and contacts_month is not None
                       and (d.year, d.month) == (contacts_month.year, contacts_month.month))
    cells = {}
    totals = Counter()
    for arm in reg.arms:
        mine = [p for p, a in active if a == arm]
        row = {"participants": len(mine), "on_benefit": sum(reg.on_benefit(p, ref) for p in mine),
               "with_offset_earnings": len([p for p in mine if p in earners]), "contacts": contacts[arm]}
        totals.update(row)
        cells.update({("caseload", arm, k): nl_int(v) for k, v in row.items()})
    cells.update({("caseload", "total", k): nl_int(v) for k, v in totals.items()})
    texts = [nl_date(ref)]
    texts += [f"Met verrekende inkomsten in {nl_month(earnings_month)}"] if earnings_month else []
    texts += [f"Contacten in {nl_month(contacts_month)}"] if contacts_month else []
    return cells, texts


def expected_projectleider(reg: Register) -> tuple[dict, list[str]]:
    c = reg.count_date
    cells, totals = {}, Counter()
    for arm in reg.arms:
        row = Counter()
        for p, a, _, consented, stopped in reg.enrollments:
            if a != arm or consented is None or consented >= c:
                continue
            row["participants"] += 1
            if stopped is not None and stopped < c:
                row["stopped"] += 1
            elif reg.on_benefit(p, c):
                row["on_benefit"] += 1
            else:
                row["exited"] += 1
        assert row["participants"] == row["stopped"] + row["exited"] + row["on_benefit"]
        totals.update(row)
        cells.update({("development", arm, k): nl_int(row[k])
                      for k in ("participants", "stopped", "exited", "on_benefit")})
    for k in ("participants", "stopped", "exited", "on_benefit"):
        cells[("development", "total", k)] = nl_int(totals[k])
        cells[("development", "percentage", k)] = nl_pct(totals[k], totals["participants"])
    cells[("reference-group",)] = nl_int(reg.reference_group)
    return cells, [f"Teldatum: {nl_date(c)}"]


def expected_onderzoeker(reg: Register) -> tuple[dict, list[str]]:
    cells, totals = {}, Counter()
    signed = {arm: {p for p, a, _, consented, _ in reg.enrollments if a == arm and consented is not None}
              for arm in reg.arms}
    for arm in reg.arms:
        mine = [e for e in reg.enrollments if e[1] == arm]
        row = Counter(allocated=len(mine), consented=sum(e[3] is not None for e in mine),
                      stopped=sum(e[4] is not None for e in mine))
        totals.update(row)
        cells.update({("allocation", arm, k): nl_int(row[k]) for k in ("allocated", "consented", "stopped")})
        cells[("allocation", arm, "consented_pct")] = nl_pct(row["consented"], row["allocated"])
    cells.update({("allocation", "total", k): nl_int(totals[k]) for k in ("allocated", "consented", "stopped")})
    cells[("allocation", "total", "consented_pct")] = nl_pct(totals["consented"], totals["allocated"])
    everyone = set().union(*signed.values())
    for wave in sorted({w for p, w in reg.responses if p in everyone}):
        answered = {p for p, w in reg.responses if w == wave}
        n = len(answered & everyone)
        cells[("response", str(wave), "response-total")] = \
            f"{nl_int(n)} van {nl_int(len(everyone))} {nl_pct(n, len(everyone))}"
    cells[("reference-group",)] = nl_int(reg.reference_group)
    return cells, []


def expected_beheerder(reg: Register, server) -> tuple[dict, list[str]]:
    users = dict(server.query("SELECT id, is_active FROM auth_user"))
    roles = server.query("SELECT ug.user_id, g.name FROM auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id")
    role_codes = ("klantmanager", "projectleider", "onderzoeker", "beheerder", "koppeling")  # koppeling: the API's
    cells = {("users", code, "users"): nl_int(len({u for u, g in roles if g == code and users[u]}))
             for code in role_codes}
    with_role = {u for u, g in roles if g in role_codes}
    cells[("users", "none", "users")] = nl_int(sum(1 for u, active in users.items() if active and u not in with_role))
    cells[("users", "inactive", "users")] = nl_int(sum(1 for active in users.values() if not active))
    shown_actions = tuple(AUDIT_ACTIONS)  # the page lists changes of accounts and configuration, not logins
    marks = ", ".join("?" * len(shown_actions))
    latest = server.query(f"SELECT actor_label FROM audit_auditevent WHERE action IN ({marks})"
                          " ORDER BY id DESC LIMIT 10", shown_actions)
    cells[("audit rows",)] = str(len(latest))
    cells[("arm rows",)] = " ".join(reg.arms)
    return cells, [latest[0][0]]


# --- the browser -----------------------------------------------------------------------------------------


def authenticator_code(server, username: str) -> str:
    """The code the user's authenticator app shows now (RFC 6238), computed from the device's key in the demo
    database. django-otp accepts each time step once, so a second login within 30 seconds waits for the next."""
    key, last_t, drift, step, t0, digits = server.query(
        "SELECT d.key, d.last_t, d.drift, d.step, d.t0, d.digits FROM otp_totp_totpdevice d "
        "JOIN auth_user u ON u.id = d.user_id WHERE u.username = ? AND d.confirmed", (username,))[0]
    now = (int(time.time()) - t0) // step + drift
    if now <= last_t:
        time.sleep((last_t + 1 - drift) * step + t0 - time.time() + 0.5)
        now = (int(time.time()) - t0) // step + drift
    return f"{hotp(bytes.fromhex(key), now, digits=digits):0{digits}d}"


def log_in(page, server, username: str, password: str) -> None:
    """Password, then (when the password was right) the code from the authenticator app."""
    page.goto(f"{server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen").click()
    if "/inloggen/code/" in page.url:
        page.locator("input[name=otp_token]").fill(authenticator_code(server, username))
        with page.expect_navigation():
            page.get_by_role("button", name="Inloggen").click()


def figures_on(page) -> dict[tuple, str]:
    """Every table cell marked with data-figure, and a few other things the page shows."""
    rows = page.eval_on_selector_all("td[data-figure]", """cells => cells.map(td => {
        const tr = td.closest('tr');
        return [td.closest('table').id, tr.dataset.arm || tr.dataset.role || tr.dataset.wave,
                td.dataset.figure, td.innerText];
    })""")
    shown = {(table, row, figure): " ".join(text.split()) for table, row, figure, text in rows}
    if page.locator("#reference-group").count():
        shown[("reference-group",)] = page.locator("#reference-group").inner_text().strip()
    shown[("audit rows",)] = str(page.locator("#audit tbody tr").count())
    shown[("arm rows",)] = " ".join(page.eval_on_selector_all("#arms tbody tr", "rows => rows.map(r => r.dataset.arm)"))
    return shown


def test_a_wrong_password_shows_the_dutch_error(page, demo_server):
    log_in(page, demo_server, "klantmanager", "niet-het-goede-wachtwoord")
    alert = page.get_by_role("alert")
    assert "De gebruikersnaam of het wachtwoord klopt niet." in alert.inner_text()
    assert page.url.endswith("/inloggen/")


@pytest.mark.parametrize("role", list(HEADINGS))
def test_each_role_sees_the_figures_of_the_database(page, demo_server, screenshots, role):
    stylesheets = {}
    page.on("response", lambda r: stylesheets.__setitem__(r.url, r.status) if r.url.endswith(".css") else None)

    log_in(page, demo_server, role, DEMO_PASSWORD)
    page.wait_for_url(f"{demo_server.url}/{role}/")
    assert page.locator("h1").inner_text() == HEADINGS[role]
    assert page.locator("html").get_attribute("lang") == "nl"
    assert "Voorbeeldstad" in page.locator("header").inner_text()

    # The NL Design System styles arrived and apply: the tokens' font on the document, the table component.
    assert any("/static/nlds/tokens/index" in url and status == 200 for url, status in stylesheets.items())
    assert any("/static/nlds/components/index" in url and status == 200 for url, status in stylesheets.items())
    assert page.evaluate("getComputedStyle(document.documentElement)"
                         ".getPropertyValue('--utrecht-color-blue-35').trim()") != ""
    assert "Noto Sans" in page.evaluate("getComputedStyle(document.body).fontFamily")

    register = Register(demo_server)
    cells, texts = {
        "klantmanager": lambda: expected_klantmanager(register),
        "projectleider": lambda: expected_projectleider(register),
        "onderzoeker": lambda: expected_onderzoeker(register),
        "beheerder": lambda: expected_beheerder(register, demo_server),
    }[role]()
    shown = figures_on(page)
    assert cells, "nothing to compare"
    assert {key: shown.get(key) for key in cells} == cells
    body = page.locator("main").inner_text()
    for text in texts:
        assert text in body, text

    page.screenshot(path=screenshots / f"{role}.png", full_page=True)

    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(f"{demo_server.url}/inloggen/")
    assert "U bent uitgelogd." in page.locator("main").inner_text()
