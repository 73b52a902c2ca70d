"""Progress on the command line: steps with their duration, and a count for the long ones. On a terminal the count
is a bar redrawn in place; in a log (CI, a pipe) it is a counted line at every tenth, so nothing looks hung."""

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from vertrouwen.core.formatting import dutch_number

BAR_WIDTH = 30
LINES = 10  # counted lines in a log: one at every tenth


def duration(seconds: float) -> str:
    """'8 s', '1 min 23 s'."""
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def counter(unit: str, *, stream: TextIO | None = None) -> Callable[[int, int], None]:
    """A callback progress(done, total) that shows how far a piece of work is, in `unit` (e.g. 'personen')."""
    out = stream or sys.stderr
    live = out.isatty()
    shown = -1

    def progress(done: int, total: int) -> None:
        nonlocal shown
        counted = f"{dutch_number(done)} van {dutch_number(total)} {unit}"
        if live:
            filled = BAR_WIDTH * done // total if total else BAR_WIDTH
            print(f"\r    [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {counted}", end="\n" if done >= total else "",
                  file=out, flush=True)
            return
        tenth = LINES * done // total if total else LINES
        if tenth > shown:
            print(f"    {counted}", file=out, flush=True)
            shown = tenth

    return progress


@contextmanager
def step(title: str, *, stream: TextIO | None = None, clock: Callable[[], float] = time.monotonic) -> Iterator[None]:
    """Announce a step, then say how long it took."""
    out = stream or sys.stdout
    print(f"- {title} ...", file=out, flush=True)
    started = clock()
    yield
    print(f"  klaar in {duration(clock() - started)}", file=out, flush=True)
