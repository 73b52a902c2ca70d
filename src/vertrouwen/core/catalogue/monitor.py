"""The monitor's tables and charts in the catalogue (the Wageningen final report's tables, seed 003): participant
development, goals at the baseline, exit to work, and the lines per month. The monitor page and the reports show
them alike."""

from vertrouwen.core import charts, codes
from vertrouwen.core.catalogue import DASH, Cell, Chart, Row, Table, number, share, share_of
from vertrouwen.core.formatting import dutch_decimal, dutch_number
from vertrouwen.core.monitor import GOAL_KEYS, REFERENCE, TOTAL, Monitor

NO_PARTICIPATION = "Geen deelname"
PARTICIPANT_ROWS = {"enrolled": "Deelnemers", "stopped": "Gestopt", "exited": "Uitstroom", "current": "Stand"}


def _names(m: Monitor) -> dict[str, str]:
    return {**m.arm_names, REFERENCE: NO_PARTICIPATION}


def _per_arm_and_total(m: Monitor, key: str, label: str, counts: dict) -> Row:
    """A row of counts per group and their total, from {group: {key: count}}."""
    return Row(key, label, [*(Cell(arm, dutch_number(counts[arm][key])) for arm in m.arms),
                            Cell("total", dutch_number(counts[TOTAL][key]))])


def participants_table(m: Monitor) -> Table:
    return Table("participants", "Deelnemers = Gestopt + Uitstroom + Stand",
                 [*(m.arm_names[a] for a in m.arms), "Totaal"],
                 [_per_arm_and_total(m, key, label, m.participants) for key, label in PARTICIPANT_ROWS.items()])


def goals_table(m: Monitor) -> Table:
    rows = [_per_arm_and_total(m, "with_goal", "Doel bepaald", m.goals_baseline),
            *(_per_arm_and_total(m, GOAL_KEYS[g], label, m.goals_baseline) for g, label in codes.GOALS.items()),
            _per_arm_and_total(m, "good_prospects", "Kansrijk voor uitstroom", m.goals_baseline)]
    return Table("goals", "Doelen bij het startgesprek (iemand kan er meer hebben)",
                 [*(m.arm_names[a] for a in m.arms), "Totaal"], rows, first="Doel")


def highest_goal_chart(m: Monitor) -> Chart:
    title = "Hoogst haalbare doel bij de nulmeting"
    spec = charts.grouped_bars_spec(list(codes.GOALS.values()),
                                    {m.arm_names[a]: [m.highest_goal[a][GOAL_KEYS[g]] for g in codes.GOALS]
                                     for a in m.arms}, title=title, y_title="Deelnemers")
    numbers = Table("highest-goal", "Hoogst haalbare doel (aantal deelnemers)",
                    [*(m.arm_names[a] for a in m.arms), "Totaal"],
                    [_per_arm_and_total(m, GOAL_KEYS[g], label, m.highest_goal) for g, label in codes.GOALS.items()],
                    first="Doel")
    return Chart("chart-highest-goal", title, spec, "Staafdiagram van het aantal deelnemers per hoogst haalbaar "
                 "doel, per groep.", numbers)


def exit_table(m: Monitor) -> Table:
    names = _names(m)
    rows = []
    for group in [*m.arms, REFERENCE]:
        counts = m.exit_to_work[group]
        n, first, net = counts["n"], counts["first_exit_to_work"], counts["net_at_count_date"]
        rows.append(Row(group, names[group], [Cell("n", dutch_number(n)), Cell("first", dutch_number(first)),
                                              Cell("first-share", share_of(first, n)),
                                              Cell("net", dutch_number(net)), Cell("net-share", share_of(net, n))]))
    return Table("exit-to-work", "Aantal: deelnemers min wie stopte; bij Geen deelname iedereen in die groep. De "
                 "gerandomiseerde analyse telt in plaats daarvan iedereen die is toegewezen.",
                 ["Aantal", "1e uitstroom naar werk", "%", "Uitstroom werk op einddatum", "%"], rows, first="Groep")


def _euros(series: dict) -> dict:
    return {group: [None if v is None else v / 100 for v in values] for group, values in series.items()}


def _monthly(m: Monitor, key: str, series: dict, title: str, y_title: str, description: str,
             share_axis: bool = True) -> Chart:
    names = _names(m)
    named = {names[g]: values for g, values in series.items()}
    months = m.monthly["months"]
    spec = charts.monthly_lines_spec(months, named, title=title, y_title=y_title,
                                     reference=names[REFERENCE] if REFERENCE in series else None, share=share_axis)
    shown = share if share_axis else number
    numbers = Table(f"numbers-{key}", f"{title}: de cijfers per maand", list(named),
                    [Row(month, month, [Cell(g, DASH if series[g][i] is None else shown(series[g][i]))
                                        for g in series]) for i, month in enumerate(months)], first="Maand")
    return Chart(f"chart-{key}", title, spec, description, numbers)


def monthly_charts(m: Monitor) -> dict[str, Chart]:
    """The monitor's lines per month, by key; none without months."""
    if not m.monthly["months"]:
        return {}
    monthly = m.monthly
    made = [
        _monthly(m, "exit-gross", monthly["exit_to_work"]["gross"], "Cumulatieve eerste uitstroom naar werk",
                 "Aandeel", "Lijnen per groep van het aandeel dat is uitgestroomd naar werk, per maand."),
        _monthly(m, "exit-net", monthly["exit_to_work"]["net"], "Uitstroom naar werk, min herinstroom", "Aandeel",
                 "Lijnen per groep van het aandeel dat is uitgestroomd en niet terug is in de bijstand."),
        _monthly(m, "earnings", monthly["offset_earnings"]["share"], "Aandeel met verrekende parttime inkomsten",
                 "Aandeel van wie een uitkering heeft",
                 "Lijnen per groep van het aandeel uitkeringsontvangers met verrekende inkomsten."),
        _monthly(m, "earnings-mean", _euros(monthly["offset_earnings"]["mean_cents"]),
                 "Gemiddelde verrekende inkomsten van wie inkomsten had", "Euro per maand",
                 "Lijnen per groep van de gemiddelde verrekende inkomsten in euro.", share_axis=False),
        _monthly(m, "earnings-total", _euros(monthly["offset_earnings"]["total_cents"]),
                 "Totaal verrekende inkomsten", "Euro", "Lijnen per groep van de verrekende inkomsten samen, in euro.",
                 share_axis=False),
        _monthly(m, "contacts", {a: monthly["contacts_per_participant"][a] for a in m.arms},
                 "Contacten per deelnemer per maand", "Contacten",
                 "Lijnen per groep van het gemiddelde aantal contacten met de klantmanager per maand.",
                 share_axis=False),
    ]
    return {chart.id.removeprefix("chart-"): chart for chart in made}


def parttime_table(m: Monitor) -> Table:
    """Each group's share with offset earnings in the last month with a value."""
    names = _names(m)
    rows = [Row(g, names[g], [Cell("share", share(next((v for v in reversed(values) if v is not None), None)))])
            for g, values in m.monthly["offset_earnings"]["share"].items()]
    return Table("parttime", "Aandeel met parttime inkomsten in de laatste maand", ["Aandeel"], rows, first="Groep")


def contacts_table(m: Monitor) -> Table:
    """Each group's mean number of contacts per participant per month, over the months with a value."""
    series = m.monthly["contacts_per_participant"]
    rows = []
    for arm in m.arms:
        values = [v for v in series.get(arm, []) if v is not None]
        rows.append(Row(arm, m.arm_names[arm],
                        [Cell("contacts", dutch_decimal(sum(values) / len(values), 2) if values else DASH)]))
    return Table("contacts", "Gemiddeld aantal contacten per deelnemer per maand", ["Contacten"], rows, first="Groep")


def response_table(m: Monitor) -> Table | None:
    """Per group and wave: participants with at least one answer, of the participants; None before any answer."""
    if not m.survey_response:
        return None
    waves = list(m.survey_response)
    rows = [Row(arm, m.arm_names[arm], [
        Cell(f"wave{wave}", share_of(cell["answered"], cell["participants"]),
             f"{dutch_number(cell['answered'])} van {dutch_number(cell['participants'])}")
        for wave in waves for cell in (m.survey_response[wave][arm],)]) for arm in m.arms]
    return Table("survey-response", "Deelnemers die de vragenlijst invulden, per groep en ronde",
                 [f"Ronde {wave}" for wave in waves], rows, first="Groep")
