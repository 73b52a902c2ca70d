"""Progress on the command line: a counted line at every tenth in a log, a bar redrawn in place on a terminal,
and each step's duration."""

import io

from vertrouwen.core.progress import counter, duration, step


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_log_gets_a_counted_line_at_every_tenth_and_no_more():
    log = io.StringIO()
    progress = counter("personen", stream=log)
    for done in range(1, 1_201):
        progress(done, 1_200)
    lines = log.getvalue().splitlines()
    assert lines[0] == "    1 van 1.200 personen"
    assert lines[1:] == [f"    {n:,} van 1.200 personen".replace(",", ".") for n in range(120, 1_201, 120)]


def test_a_terminal_gets_one_bar_redrawn_in_place_ending_on_a_new_line():
    terminal = Terminal()
    progress = counter("maanden", stream=terminal)
    for done in range(1, 9):
        progress(done, 8)
    text = terminal.getvalue()
    assert text.count("\r") == 8 and text.count("\n") == 1 and text.endswith("\n")
    assert text.rstrip("\n").rsplit("\r", 1)[1] == f"    [{'#' * 30}] 8 van 8 maanden"
    assert "\r    [###" + "." * 27 + "] 1 van 8 maanden" in text  # 30 * 1 // 8 = 3 filled


def test_nothing_to_count_still_says_so_once():
    log = io.StringIO()
    counter("uitnodigingen", stream=log)(0, 0)
    assert log.getvalue() == "    0 van 0 uitnodigingen\n"


def test_a_step_says_what_it_does_and_how_long_it_took():
    times = iter([10.0, 93.4])
    out = io.StringIO()
    with step("Voorbeeldstad inlezen", stream=out, clock=lambda: next(times)):
        print("  8 tabellen", file=out)
    assert out.getvalue() == "- Voorbeeldstad inlezen ...\n  8 tabellen\n  klaar in 1 min 23 s\n"


def test_durations_read_as_minutes_and_seconds():
    assert [duration(s) for s in (0.4, 8.6, 60, 83.4, 3_601)] == ["0 s", "9 s", "1 min 0 s", "1 min 23 s",
                                                                  "60 min 1 s"]
