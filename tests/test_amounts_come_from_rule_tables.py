"""Every amount a page, a message or a report shows comes from the rule tables or the data, formatted by
core.formatting.euro: none is written into a template, a message or the code that writes a report."""

import re
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src" / "vertrouwen"
WRITTEN_AMOUNT = re.compile(r"(€|EUR)\s?\d")


def test_no_template_message_or_report_writes_an_amount():
    places = [*SOURCE.rglob("*.html"), *SOURCE.rglob("*.po"), *(SOURCE / "core" / "reports").rglob("*.py"),
              SOURCE / "core" / "designs.py"]
    found = [f"{path.relative_to(SOURCE)}:{number}: {line.strip()}" for path in places
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if WRITTEN_AMOUNT.search(line)]
    assert len(places) > 50 and not found, "\n".join(found)
