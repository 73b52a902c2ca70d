"""The questionnaire load test (issue 6): 200 participants answer at the same time through their personal links,
against gunicorn and PostgreSQL on this machine only.

Each participant opens their link within the first ten seconds, then answers the wave's pages one by one after
a think time of 4 to 12 s (as a person reads and answers a page of questions), and finishes. A page's time is the
POST of its answers plus the redirected GET of the next page. Bounded: 200 participants, one run, stopped after
5 minutes. Checked afterwards: no error, and every answer that was sent is in the database.

    python -m benchmarks.survey_load     (DATABASE_URL: a PostgreSQL database that may be emptied)
"""

import http.cookiejar
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

PARTICIPANTS = 200
THINK_SECONDS = (4.0, 12.0)
RAMP_SECONDS = 10.0  # participants open their links within the first ten seconds, not in the same millisecond
DEADLINE_SECONDS = 300
SEED = 2017
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _setup(home: Path) -> tuple[list[str], dict]:
    """A municipality with PARTICIPANTS participants and an open wave with every participant instrument."""
    os.environ["VERTROUWEN_HOME"] = str(home)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vertrouwen.web.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from vertrouwen.core.surveys import INSTRUMENTS
    from vertrouwen.web.registry.models import Arm, BenefitSpell, Enrollment, Experiment, Municipality, Person
    from vertrouwen.web.surveys import services
    from vertrouwen.web.surveys.models import Invitation, Wave

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    today = timezone.localdate()
    place = Municipality.objects.create(code="GM7777", name="Laststad")
    experiment = Experiment.objects.create(
        municipality=place, code="last", name="Last", period_start=today - timedelta(days=30),
        period_end=today + timedelta(days=700), count_date=today + timedelta(days=600))
    arm = Arm.objects.create(experiment=experiment, position=1, code="A", name="Groep A", rules_text="Spelregels.")
    for i in range(PARTICIPANTS):
        person = Person.objects.create(municipality=place, external_id=f"L{i:04d}", birth_year=1980, sex="man",
                                       household_type="alleenstaande", limitation="geen", education="laag")
        BenefitSpell.objects.create(person=person, spell_start=today - timedelta(days=400))
        Enrollment.objects.create(experiment=experiment, person=person, arm=arm,
                                  allocated_on=today - timedelta(days=29), consented_on=today - timedelta(days=28))
    services.create_waves(experiment.pk, actor="systeem:bench")
    wave = Wave.objects.get(experiment=experiment, number=0)
    services.set_period(wave.pk, opens_on=today, closes_on=today + timedelta(days=30), actor="systeem:bench")
    services.invite_participants(wave.pk, on=today, actor="systeem:bench")
    tokens = list(Invitation.objects.filter(wave=wave).values_list("token", flat=True))
    pages = [[(item.code, item.scale) for item in INSTRUMENTS[code].items] for code in wave.instruments]
    return tokens, {"pages": pages, "wave": wave.number}


def _answer(scale, rng: random.Random) -> str:
    return str(rng.randint(scale.minimum, min(scale.maximum, 20 if scale.number else scale.maximum)))


class Participant(threading.Thread):
    def __init__(self, base: str, token: str, pages: list, seed: int, stop_at: float, results: list):
        super().__init__(daemon=True)
        self.base, self.token, self.pages = base, token, pages
        self.rng = random.Random(seed)  # noqa: S311 - reproducible answers and think times, not a secret
        self.stop_at, self.results, self.sent = stop_at, results, 0
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def _timed(self, request) -> str:
        start = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:  # noqa: S310 - http on loopback only
                body, status = response.read().decode(), response.status
        except urllib.error.HTTPError as error:
            body, status = "", error.code
        except OSError as error:
            body, status = "", f"{type(error).__name__}"
        self.results.append((time.perf_counter() - start, status))
        return body

    def run(self):
        url = f"{self.base}/v/{self.token}/"
        time.sleep(self.rng.uniform(0, RAMP_SECONDS))
        html = self._timed(url)
        for page, items in enumerate(self.pages):
            time.sleep(self.rng.uniform(*THINK_SECONDS))
            if time.monotonic() > self.stop_at or not TOKEN.search(html):
                return
            answers = {code: _answer(scale, self.rng) for code, scale in items}
            data = {"csrfmiddlewaretoken": TOKEN.search(html).group(1), "pagina": str(page), **answers}
            request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(),  # noqa: S310
                                             headers={"Referer": url})
            html = self._timed(request)
            self.sent += len(answers)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run() -> dict:
    """The load test; refuses (SystemExit) on any error or lost answer. Its "seconds" is the p95 of a page."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("survey_load: set DATABASE_URL to a PostgreSQL database that may be emptied")
    with tempfile.TemporaryDirectory(prefix="vertrouwen-load-") as tmp:
        home = Path(tmp)
        env = {**os.environ, "VERTROUWEN_HOME": str(home), "DEBUG": "false",
               "VERTROUWEN_NODE_MODULES": str(Path(__file__).resolve().parents[1] / "node_modules"),
               "SESSION_COOKIE_SECURE": "false",
               "SECRET_KEY": "load-test-secret-key-only-for-this-run-0123456789",
               "VERTROUWEN_PSEUDONYM_KEY": "load-test-pseudonym-key-only-for-this-run",
               "VERTROUWEN_BSN_KEY": "bG9hZC10ZXN0LWJzbi1rZXktb25seS1mb3ItdGhpcy0=", "ALLOWED_HOSTS": "127.0.0.1"}
        os.environ.update(env)
        tokens, spec = _setup(home)
        port = _free_port()
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "vertrouwen.web.wsgi:application",  # noqa: S603
                                   "--bind", f"127.0.0.1:{port}", "--workers", "4", "--log-level", "warning"],
                                  env=env, cwd=home)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):
                try:
                    urllib.request.urlopen(f"{base}/inloggen/", timeout=2).close()  # noqa: S310 - loopback only
                    break
                except OSError:
                    time.sleep(0.25)
            results: list = []
            stop_at = time.monotonic() + DEADLINE_SECONDS
            crowd = [Participant(base, t, spec["pages"], SEED + i, stop_at, results) for i, t in enumerate(tokens)]
            start = time.perf_counter()
            for participant in crowd:
                participant.start()
            for participant in crowd:
                participant.join(timeout=max(0.0, stop_at - time.monotonic()) + 5)
            seconds = time.perf_counter() - start
        finally:
            server.terminate()
            server.wait(timeout=15)
        from vertrouwen.web.registry.models import SurveyResponse

        stored = SurveyResponse.objects.filter(wave=spec["wave"]).count()
        sent = sum(p.sent for p in crowd)
        times = sorted(t for t, _ in results)
        errors = sum(1 for _, status in results if status != 200)
        p95 = times[int(0.95 * (len(times) - 1))]
        result = {"seconds": round(p95, 4), "rows": len(times), "median": round(statistics.median(times), 4),
                  "errors": errors, "answers_sent": sent, "answers_stored": stored, "participants": len(crowd),
                  "wall_seconds": round(seconds, 1)}
        print(json.dumps(result), file=sys.stderr)
        if errors or sent != stored:
            raise SystemExit(f"survey load: {errors} errors, {sent} answers sent, {stored} stored")
        return result


if __name__ == "__main__":
    print(json.dumps(run()))
