"""The load test's two kinds of users (run by `python -m benchmarks.load`, which writes the plan and starts locust).

Case managers log in through the real login form (password, then the code of their TOTP device), then work:
open their caseload, open a person, now and then record a contact or declare earnings, with a think time between
steps. Respondents open a personal link and answer the questionnaire page by page to the end, then take the next
unused link; when none is left they open one of their links again, change a page and send it (as the thank-you
page offers). Every response is checked for its status and a marker of the page expected, so a wrong page (the
login page, a refusal, another person's page) counts as a failure. What was written is tallied for the checks after.

Environment: LOAD_PLAN (the plan of benchmarks.load.setup), LOAD_RESULT (where statistics and tally go),
LOAD_THINK ("5,20": the think time in seconds between steps).
"""

import json
import os
import random
import re
from collections import Counter, deque

from django_otp.oath import totp
from locust import HttpUser, between, events, task
from locust.exception import StopUser

from benchmarks.load.stats import failure_rows, page_rows

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: SIM115 - read once at import
THINK = tuple(float(s) for s in os.environ.get("LOAD_THINK", "5,20").split(","))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DONE = 'href="?pagina=0"'  # the thank-you page's link to look at the answers again
CONTACT_SHARE, EARNINGS_SHARE = 0.35, 0.15  # of the visits to a person's page

TALLY: Counter = Counter()  # what the users wrote; the runner compares it with the database
MANAGERS = deque(PLAN["managers"])
TOKENS = deque(PLAN["tokens"])


@events.quitting.add_listener
def write_result(environment, **kwargs):
    """Fired after the users stopped: the statistics are final, also for requests finished in the stop timeout."""
    with open(os.environ["LOAD_RESULT"], "w") as file:
        json.dump({"tally": dict(TALLY), "pages": page_rows(environment.stats),
                   "failures": failure_rows(environment.stats)}, file)


class Checked:
    """Requests whose response must have a status 200 and contain a marker, else they count as failed."""

    def fetch(self, method: str, url: str, name: str, marker: str, **kwargs) -> str | None:
        with self.client.request(method, url, name=name, catch_response=True, **kwargs) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code} at {response.url}")
            elif marker not in response.text:
                response.failure(f"not the page expected at {response.url} (no {marker!r})")
            else:
                response.success()
                return response.text
        return None

    def post(self, url: str, page: str, name: str, marker: str, data: dict) -> str | None:
        token = CSRF.search(page)
        if token is None:
            raise StopUser  # cannot happen after a checked page; stop rather than post without a token
        return self.fetch("POST", url, name, marker, data={"csrfmiddlewaretoken": token.group(1), **data})


class CaseManager(Checked, HttpUser):
    fixed_count = len(PLAN["managers"])
    wait_time = between(*THINK)

    def on_start(self):
        self.account = MANAGERS.popleft()
        self.rng = random.Random(self.account["username"])  # noqa: S311 - which person next; not a secret
        self.persons = self.account["persons"]
        login = self.fetch("GET", "/inloggen/", "login page", 'name="password"')
        if login is None:
            raise StopUser
        code_page = self.post("/inloggen/", login, "login: password", 'name="otp_token"', {
            "username": self.account["username"], "password": self.account["password"]})
        if code_page is None:
            raise StopUser
        code = f"{totp(bytes.fromhex(self.account['totp_key'])):06d}"
        if self.post("/inloggen/code/?next=/", code_page, "login: code", 'href="/caseload/"',
                     {"otp_token": code, "next": "/"}) is None:
            raise StopUser
        TALLY["logins"] += 1
        self.caseload()  # where a case manager starts the day

    @task(2)
    def caseload(self):
        self.fetch("GET", "/caseload/", "caseload", f'data-person="{self.persons[0]["number"]}"')

    @task(5)
    def person(self):
        person = self.rng.choice(self.persons)
        url = f"/persoon/{person['pk']}/"
        page = self.fetch("GET", url, "person", f'action="{url}contact/"')
        if page is None:
            return
        draw = self.rng.random()
        if draw < CONTACT_SHARE and person["contacts"]:
            self.wait()
            self.record_contact(url, page, person["contacts"].pop())
        elif draw < CONTACT_SHARE + EARNINGS_SHARE and person["months"]:
            self.wait()
            self.declare_earnings(url, page, person["months"].pop())

    def record_contact(self, url: str, page: str, slot: list) -> None:
        day, channel, initiative = slot
        if self.post(f"{url}contact/", page, "person: record contact", "utrecht-alert--ok", {
                "contact-contact_on": day, "contact-channel": channel, "contact-minutes": str(self.rng.randint(5, 60)),
                "contact-initiated_by": initiative, "contact-note": "Gesprek over de voortgang (lasttest)."}):
            TALLY["contacts"] += 1

    def declare_earnings(self, url: str, page: str, month: str) -> None:
        if self.post(f"{url}earnings/", page, "person: declare earnings", f'data-month="{month}"', {
                "inkomsten-month": month, "inkomsten-earnings": str(self.rng.randint(50, 900)),
                "inkomsten-hours": str(self.rng.randint(4, 60))}):
            TALLY["earnings"] += 1


class Respondent(Checked, HttpUser):
    fixed_count = int(os.environ.get("LOAD_RESPONDENTS", "200"))
    wait_time = between(*THINK)

    def on_start(self):
        self.rng = random.Random()  # noqa: S311 - answers; not a secret
        self.answered: list[str] = []

    @task
    def take_part(self):
        if TOKENS:
            self.answer_questionnaire(TOKENS.popleft())
        elif self.answered:
            self.change_an_answer(self.rng.choice(self.answered))
        else:
            raise StopUser  # nothing to answer: fewer links than respondents

    def answer_questionnaire(self, token: str) -> None:
        """A new link: every page in turn, to the thank-you page."""
        url, pages = f"/v/{token}/", PLAN["pages"]
        page = self.fetch("GET", url, "questionnaire: open", 'name="pagina" value="0"')
        for number, items in enumerate(pages):
            if page is None:
                return
            self.wait()
            last = number + 1 == len(pages)
            answers = {item["code"]: str(self.answer(item)) for item in items}
            marker = DONE if last else f'name="pagina" value="{number + 1}"'
            page = self.post(url, page, "questionnaire: last page" if last else "questionnaire: page", marker,
                             {"pagina": str(number), **answers})
            if page is not None:
                TALLY["answers"] += len(answers)
        if page is not None:
            self.answered.append(token)
            TALLY["questionnaires"] += 1

    def change_an_answer(self, token: str) -> None:
        """A link answered before: one page looked at again and saved (updated, not added), then thanked."""
        url, number = f"/v/{token}/", self.rng.randrange(len(PLAN["pages"]))
        page = self.fetch("GET", f"{url}?pagina={number}", "questionnaire: look again",
                          f'name="pagina" value="{number}"')
        if page is None:
            return
        self.wait()
        answers = {item["code"]: str(self.answer(item)) for item in PLAN["pages"][number]}
        self.post(url, page, "questionnaire: change answer", DONE, {"pagina": str(number), **answers})

    def answer(self, item: dict) -> int:
        if item["number"]:
            return self.rng.choice((0, 0, 0, 2, 4, 8))  # hours a week: mostly none
        return self.rng.randint(item["minimum"], item["maximum"])
