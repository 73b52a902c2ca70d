"""Response per wave and group, and attrition between waves: who was asked, who answered, who answered the wave
before but not this one. Plain counting on (person, group) and (person, wave) pairs, so that the web app and the
analysis of a dataset folder count the same way."""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ResponseCell:
    asked: int
    answered: int
    lost: int  # answered the previous wave, not this one
    previous: int  # answered the previous wave (and were asked this one)

    @property
    def rate(self) -> float | None:
        return None if not self.asked else self.answered / self.asked

    @property
    def attrition(self) -> float | None:
        return None if not self.previous else self.lost / self.previous


def response_table(groups: dict, asked: Iterable[tuple[object, int]], answered: Iterable[tuple[object, int]]
                   ) -> dict[int, dict[str, ResponseCell]]:
    """{wave: {group: cell}} from the persons' groups, who was asked in which wave and who answered in which.
    A group "" collects persons without a group; every wave also has the total under None."""
    asked_by_wave: dict[int, set] = {}
    for person, wave in asked:
        asked_by_wave.setdefault(wave, set()).add(person)
    answered_by_wave: dict[int, set] = {}
    for person, wave in answered:
        answered_by_wave.setdefault(wave, set()).add(person)
    waves = sorted(asked_by_wave)
    table = {}
    for i, wave in enumerate(waves):
        before = answered_by_wave.get(waves[i - 1], set()) if i else set()
        cells = {}
        for group in [*sorted({groups.get(p, "") for p in asked_by_wave[wave]}, key=str), None]:
            members = {p for p in asked_by_wave[wave] if group is None or groups.get(p, "") == group}
            answered_now = members & answered_by_wave.get(wave, set())
            previous = members & before
            cells[group] = ResponseCell(len(members), len(answered_now), len(previous - answered_now), len(previous))
        table[wave] = cells
    return table
