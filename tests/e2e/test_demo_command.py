"""`vertrouwen demo` itself: it says it runs only once its pages answer, Ctrl+C stops the web server and the
worker with it, and an address in use gets a Dutch message instead of a hanging terminal.

The demo database is the one conftest.py prepared; a second `vertrouwen demo` reuses it, as a second `make demo`
does."""

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from tests.e2e.conftest import free_port

pytestmark = pytest.mark.e2e

READY = "De demo draait op"


def start_demo(demo_server, bind: str) -> tuple[subprocess.Popen, list[str]]:
    """The command in its own process group, as a terminal starts it; its output is collected line by line."""
    command = Path(sys.executable).with_name("vertrouwen")
    process = subprocess.Popen([str(command), "demo", "--bind", bind], cwd=demo_server.home, env=demo_server.env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True).start()
    return process, lines


def wait_for(lines: list[str], text: str, process: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while not any(text in line for line in lines):
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"no '{text}' (exit {process.poll()}):\n{''.join(lines)}")
        time.sleep(0.1)


def status(url: str) -> int:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - the test's own server
        return response.status


def processes_in_group(group: int) -> list[str]:
    listing = subprocess.run(["ps", "-eo", "pgid=,args="], capture_output=True, text=True, check=True).stdout
    return [line for line in listing.splitlines() if line.split(maxsplit=1)[0] == str(group)]


def test_the_demo_says_it_runs_once_its_pages_answer_and_ctrl_c_stops_it_all(demo_server):
    port = free_port()
    process, lines = start_demo(demo_server, f"127.0.0.1:{port}")
    try:
        wait_for(lines, READY, process)
        # Asked at once, without retrying: the server is listening and warm when the line is printed.
        assert status(f"http://127.0.0.1:{port}/inloggen/") == 200
        assert status(f"http://127.0.0.1:{port}/wat-houd-ik-over/") == 200
        output = "".join(lines)
        assert "De demodatabase bestaat al en wordt hergebruikt" in output
        assert "- De server starten en opwarmen ..." in output
        assert f"De demo draait op http://127.0.0.1:{port}/  (klaar in " in output
        os.killpg(process.pid, signal.SIGINT)  # Ctrl+C in the terminal reaches the whole group
        assert process.wait(timeout=30) == 0
        time.sleep(1)
        assert processes_in_group(process.pid) == [], "gunicorn or the worker outlived the demo"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


def test_an_address_in_use_is_named_with_the_way_out(demo_server):
    """The suite's own server answers on it: without the check the demo would take its answers for its own."""
    taken = demo_server.url.removeprefix("http://")  # the address the suite's own server listens on
    process, lines = start_demo(demo_server, taken)
    try:
        assert process.wait(timeout=120) == 1
        time.sleep(0.5)
        assert f"Het adres {taken} is al in gebruik" in "".join(lines)
        assert "Kies een andere poort: make demo PORT=8001" in "".join(lines)
        assert READY not in "".join(lines)
        assert processes_in_group(process.pid) == [], "the worker outlived the refused demo"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
