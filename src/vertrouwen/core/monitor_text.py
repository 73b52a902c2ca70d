"""The monitor's tables as readable text for the command line, in Dutch."""

from vertrouwen.core.formatting import dutch_number
from vertrouwen.core.monitor import GOAL_KEYS, REFERENCE, TOTAL

GOAL_LABELS = {"werk": "Werk", "parttime_werk": "Parttime werk", "opleiding": "Opleiding",
               "re_integratie": "Re-integratie", "vrijwilligerswerk": "Vrijwilligerswerk", "zorg_hulp": "Zorg en hulp",
               "anders": "Anders"}


def _table(title: str, columns: list[str], rows: list[tuple[str, list]]) -> str:
    width = max(len(c) for c in columns) + 2
    lines = [title, " " * 22 + "".join(f"{c:>{width}}" for c in columns)]
    for label, values in rows:
        lines.append(f"{label:<22}" + "".join(f"{_cell(v):>{width}}" for v in values))
    return "\n".join(lines)


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{100 * value:.1f}%".replace(".", ",")
    return dutch_number(value)


def _percent(part: int, whole: int) -> float | None:
    return None if not whole else part / whole


def monitor_text(m) -> str:
    """A monitor, or the pooled tables of several (a dict from core.monitor.pooled)."""
    if isinstance(m, dict):
        groups = [g for g in m["participants"] if g != TOTAL]
        title = f"Samen: {', '.join(m['municipalities'])}"
        participants, goals, exits = m["participants"], m["goals_baseline"], m["exit_to_work"]
        names = {g: g for g in groups}
    else:
        groups = m.arms
        title = f"{m.municipality} {m.experiment}, teldatum {m.count_date:%d-%m-%Y}"
        participants, goals, exits = m.participants, m.goals_baseline, m.exit_to_work
        names = m.arm_names
    columns = [names.get(g, g)[:18] for g in groups] + ["Totaal"]
    keys = [*groups, TOTAL]
    parts = [title, _table("Ontwikkeling deelnemers", columns, [
        (label, [participants[k][key] for k in keys])
        for key, label in (("enrolled", "Deelnemers"), ("stopped", "Gestopt"), ("exited", "Uitstroom"),
                           ("current", "Stand"))])]
    parts.append(_table("Doelen bij de nulmeting", columns, [
        ("Doel bepaald", [goals[k]["with_goal"] for k in keys]),
        *[(GOAL_LABELS[g], [goals[k][g] for k in keys]) for g in GOAL_KEYS.values()],
        ("Kansrijk uitstroom", [goals[k]["good_prospects"] for k in keys])]))
    exit_keys = [*groups, REFERENCE] if REFERENCE in exits else groups
    exit_rows = []
    for k in exit_keys:
        cell = exits[k]
        exit_rows.append((names.get(k, "Geen deelname" if k == REFERENCE else k)[:22], [
            cell["n"], cell["first_exit_to_work"], _percent(cell["first_exit_to_work"], cell["n"]),
            cell["net_at_count_date"], _percent(cell["net_at_count_date"], cell["n"])]))
    parts.append(_table("Uitstroom naar werk (rechte tellingen)",
                        ["Aantal", "1e uitstroom", "%", "Op einddatum", "%"], exit_rows))
    return "\n\n".join(parts)
