"""No BSN leaks (issue 10, point 5): a pytest plugin that watches the whole test session and fails it when a
log record, a requested URL, an error page or a server log file holds a number that could be a BSN.

What is watched, from the session's start to its end:

- every log record that reaches the root logger, formatted (message and traceback);
- every URL requested through Django's test Client and RequestFactory (path and query string), and the
  Location of every redirect they get back; DRF's APIClient is a Client, so it is watched too;
- the body of every response with status 400 or more;
- every *.log file under the session's temporary folder, where tests/e2e/conftest.py writes the logs of the
  gunicorn server and the background worker it starts.

A number "could be a BSN" when it has nine digits, written as one run (111222333) or grouped as BSNs are
printed (1112.22.333, 111 222 333, 111-222-333), and passes the 11-proef (vertrouwen.core.privacy). The scan
is generic on purpose: no list of known test BSNs, so a BSN from any fixture, generated dataset or demo is
caught. A nine-digit number that passes the 11-proef by chance (about one in eleven does) would be reported
as well; the test data use small ids and amounts, and hashes and tokens are letters and digits mixed (a digit
run inside them touches a letter and is not a separate number), so the suite has no such number today.

The plugin only observes: the patched Client methods call the real ones and return what they return.
Registered by tests/conftest.py; `pytest -p leakcheck` (with tests/ on the path) loads it elsewhere, which
tests/test_leak_check.py uses to show that a session with a leak fails.
"""

import logging
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from vertrouwen.core.privacy import is_valid_bsn

PLUGIN_NAME = "bsn-leak-check"
CONTEXT = 40  # characters shown on either side of a finding
OUTSIDE_TESTS = "(outside a test)"

# Nine digits not part of a longer number or word: one run, 4-2-3 (the printed form 1234.56.789) or 3-3-3, the
# separator a dot, space, no-break space or hyphen, the same one twice. A digit after "1." or "0," is a decimal
# or a longer Dutch number (1.234.567.890), not a BSN.
BSN_LIKE = re.compile(
    r"(?<![0-9A-Za-z])(?<![0-9][.,])"
    r"([0-9]{9}|[0-9]{4}([. \u00a0-])[0-9]{2}\2[0-9]{3}|[0-9]{3}([. \u00a0-])[0-9]{3}\3[0-9]{3})"
    r"(?![0-9A-Za-z])(?![.,][0-9])"
)


def bsn_candidates(text: str) -> list[re.Match]:
    """Every nine-digit number in `text`, grouped or not, that passes the 11-proef."""
    return [m for m in BSN_LIKE.finditer(text) if is_valid_bsn(re.sub(r"[^0-9]", "", m.group(1)))]


def masked(number: str) -> str:
    """The number with its middle digits hidden: the report itself must not print a BSN."""
    digits = [i for i, c in enumerate(number) if c.isdigit()]
    hidden = set(digits[2:-2])
    return "".join("*" if i in hidden else c for i, c in enumerate(number))


@dataclass(frozen=True)
class Finding:
    test: str
    place: str  # "log record", "URL", "error page", or the path of a log file
    context: str

    def line(self) -> str:
        return f"{self.test} | {self.place} | ...{self.context}..."


def findings_in(text: str, *, test: str, place: str) -> list[Finding]:
    found = []
    for match in bsn_candidates(text):
        before = text[max(0, match.start() - CONTEXT):match.start()]
        after = text[match.end():match.end() + CONTEXT]
        context = " ".join(f"{before}{masked(match.group(1))}{after}".split())  # one line
        found.append(Finding(test, place, context))
    return found


class _KeepingHandler(logging.Handler):
    """Scans every record that reaches the root logger, formatted with its traceback."""

    def __init__(self, check: "LeakCheck"):
        super().__init__(level=logging.NOTSET)
        self.check = check
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.check.scan(self.format(record), "log record")
        except Exception:  # noqa: BLE001 - a logging handler must never raise into the code that logs
            self.handleError(record)


class LeakCheck:
    def __init__(self):
        self.findings: list[Finding] = []
        self.current_test = OUTSIDE_TESTS
        self.handler = _KeepingHandler(self)
        self.scanned = {"log record": 0, "URL": 0, "error page": 0, "log file": 0}
        self._restore: list[tuple[type, str, object]] = []
        self.log_folder: Path | None = None

    def scan(self, text: str, place: str) -> None:
        self.scanned[place] += 1
        self.findings.extend(findings_in(text, test=self.current_test, place=place))

    # --- what is watched -------------------------------------------------------------------------------

    def _attach_handler(self) -> None:
        """Django's logging set-up replaces the root logger's handlers (a test may run django.setup() again,
        e.g. through the command line in-process), so the handler is put back before every test."""
        root = logging.getLogger()
        if self.handler not in root.handlers:
            root.addHandler(self.handler)

    def _watch_test_clients(self) -> None:
        from django.test import client

        check = self

        def observing(original):
            def request(self, **request):
                query = request.get("QUERY_STRING", "")
                check.scan(request.get("PATH_INFO", "") + (f"?{query}" if query else ""), "URL")
                response = original(self, **request)
                status = getattr(response, "status_code", None)
                if status is None:  # RequestFactory: a request, not a response
                    return response
                if response.has_header("Location"):
                    check.scan(response["Location"], "URL")
                if status >= 400 and not response.streaming:
                    check.scan(response.content.decode("utf-8", "replace"), "error page")
                return response

            request.__wrapped__ = original
            return request

        for cls in (client.Client, client.RequestFactory):
            original = cls.__dict__["request"]
            self._restore.append((cls, "request", original))
            cls.request = observing(original)

    def scan_log_files(self) -> None:
        if self.log_folder is None or not self.log_folder.exists():
            return
        for path in sorted(self.log_folder.rglob("*.log")):
            self.scanned["log file"] += 1
            text = path.read_text(encoding="utf-8", errors="replace")
            self.findings.extend(findings_in(text, test="(session)", place=str(path)))

    # --- pytest hooks ----------------------------------------------------------------------------------

    def pytest_sessionstart(self, session):
        self._attach_handler()
        self._watch_test_clients()

    def pytest_runtest_logstart(self, nodeid, location):
        self.current_test = nodeid
        self._attach_handler()

    def pytest_runtest_logfinish(self, nodeid, location):
        self.current_test = OUTSIDE_TESTS

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session, exitstatus):
        logging.getLogger().removeHandler(self.handler)
        for cls, name, original in self._restore:
            setattr(cls, name, original)
        if self.findings and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter):
        counts = ", ".join(f"{n} {kind}s" if n != 1 else f"1 {kind}" for kind, n in self.scanned.items())
        if not self.findings:
            terminalreporter.write_line(f"BSN leak check: no BSN in {counts}")
            return
        terminalreporter.section("BSN leak check", sep="=", red=True, bold=True)
        terminalreporter.write_line(f"{len(self.findings)} number(s) passing the 11-proef in logs, URLs, error "
                                    f"pages or server logs (scanned {counts}); test | place | context:", red=True)
        for finding in self.findings:
            terminalreporter.write_line(f"  {finding.line()}")
        terminalreporter.write_line("The session fails: a BSN may never appear in these places (issue 10, point 5).",
                                    red=True, bold=True)


@pytest.fixture(scope="session", autouse=True)
def _bsn_leak_check_log_files(request, tmp_path_factory):
    """The folder where the server logs are written. Set up first, so torn down last: the logs are scanned
    after the e2e server has stopped and its log is complete."""
    check = request.config.pluginmanager.get_plugin(PLUGIN_NAME)
    check.log_folder = tmp_path_factory.getbasetemp()
    yield
    check.scan_log_files()


def register(config) -> None:
    """The checking plugin, and this module for its fixture."""
    if not config.pluginmanager.has_plugin(PLUGIN_NAME):
        config.pluginmanager.register(LeakCheck(), PLUGIN_NAME)
    module = sys.modules[__name__]
    if not config.pluginmanager.is_registered(module):
        config.pluginmanager.register(module, f"{PLUGIN_NAME}-fixture")


def pytest_configure(config):
    """Used when the module itself is loaded as a plugin (`pytest -p leakcheck`)."""
    register(config)
