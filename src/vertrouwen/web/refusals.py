"""A refusal: nothing was written, and every problem says what is wrong and where, in Dutch.

Every service refuses with `Refused` (or a subclass that names its work in the headline); a problem carries its
place as data (a form field, a file and its line), so a page can put it at its field and a command can print it
with its line. `show_at_fields` is how a form shows one.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

PROBLEMS_SHOWN = 20  # in a message; a page lists the first of them and says how many more there are


@dataclass(frozen=True)
class Problem:
    message: str
    field: str | None = None  # a form field, an item's field, a column; None for the whole
    line: int | None = None  # the line of a file, or the position of an item in a delivery
    file: str | None = None

    def __str__(self) -> str:
        place = ", ".join(p for p in (self.file, f"regel {self.line}" if self.line is not None else None) if p)
        return f"{place}: {self.message}" if place else self.message


Problems = str | Problem | Mapping[str | None, str] | Iterable[str | Problem]


class Refused(Exception):
    """Nothing was written. `problems` lists every problem found, each with its place."""

    headline = ""  # what was refused, before the problems: "Loting geweigerd, er is niets vastgelegd"

    def __init__(self, problems: Problems):
        self.problems = as_problems(problems)
        super().__init__(self.message())

    def message(self) -> str:
        shown = "; ".join(str(p) for p in self.problems[:PROBLEMS_SHOWN])
        more = len(self.problems) - PROBLEMS_SHOWN
        text = shown + (f"; en nog {more}" if more > 0 else "")
        return f"{self.headline}: {text}" if self.headline else text

    def by_field(self) -> dict[str | None, str]:
        """The messages per field (None: about the whole), joined where a field has more than one."""
        fields: dict[str | None, list[str]] = {}
        for problem in self.problems:
            fields.setdefault(problem.field, []).append(str(problem) if problem.field is None else problem.message)
        return {name: " ".join(messages) for name, messages in fields.items()}


def as_problems(problems: Problems) -> list[Problem]:
    if isinstance(problems, str | Problem):
        problems = [problems]
    elif isinstance(problems, Mapping):
        problems = [Problem(message, field) for field, message in problems.items()]
    return [p if isinstance(p, Problem) else Problem(str(p)) for p in problems]


def show_at_fields(form, refused: Refused, more_label: str = "") -> None:
    """Each problem at its field of the form; a problem about the whole form (or a field the form does not have)
    above it. With many problems, the first ones and `more_label` % the number left."""
    shown = refused.problems[:PROBLEMS_SHOWN]
    for problem in shown:
        on_field = problem.field in form.fields
        form.add_error(problem.field if on_field else None, problem.message if on_field else str(problem))
    more = len(refused.problems) - len(shown)
    if more > 0 and more_label:
        form.add_error(None, more_label % {"count": more})
