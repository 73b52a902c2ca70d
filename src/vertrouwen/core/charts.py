"""Charts, defined once as Vega-Lite specifications and drawn as SVG.

The same specification gives the picture in the web app (inline SVG, readable without JavaScript) and in the
reports. The words on a chart are passed in by the caller, so that the web app can translate them.
"""

import bisect
import json
import re
from collections.abc import Mapping, Sequence

import vl_convert

from vertrouwen.core.power.analytic import CurvePoint

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
LOCALE = "nl-NL"  # decimal comma and Dutch month names on every axis
# NL Design System's dark blue and a contrasting orange, readable for common colour blindness.
COLOURS = ("#01689b", "#e17000")


def power_curve_spec(points: Sequence[CurvePoint], *, target_power: float, labels: Mapping[str, str]) -> dict:
    """Power (y) against the effect in percentage points (x), one line per comparison, with the target power.

    labels: title, effect (x axis), power (y axis), per_arm and pooled (the two lines), target (the rule).
    """
    values = [
        {"effect": round(100 * p.effect, 3), "power": round(power, 4), "comparison": name}
        for p in points
        for name, power in ((labels["per_arm"], p.power_per_arm), (labels["pooled"], p.power_pooled))
    ]
    lines = {
        "mark": {"type": "line", "strokeWidth": 2.5},
        "encoding": {
            "x": {"field": "effect", "type": "quantitative", "title": labels["effect"]},
            "y": {"field": "power", "type": "quantitative", "title": labels["power"], "axis": {"format": ".0%"},
                  "scale": {"domain": [0, 1]}},
            "color": {"field": "comparison", "type": "nominal", "title": None,
                      "scale": {"range": list(COLOURS)},
                      "legend": {"orient": "bottom", "labelLimit": 0, "labelFontSize": 12}},
            "strokeDash": {"field": "comparison", "type": "nominal", "legend": None},
        },
    }
    target = {
        "data": {"values": [{"power": target_power}]},
        "mark": {"type": "rule", "color": "#555", "strokeDash": [4, 4]},
        "encoding": {"y": {"field": "power", "type": "quantitative"}},
    }
    target_label = {
        "data": {"values": [{"power": target_power, "text": labels["target"]}]},
        "mark": {"type": "text", "align": "left", "dx": 4, "dy": -6, "color": "#333"},
        "encoding": {"y": {"field": "power", "type": "quantitative"}, "x": {"value": 0},
                     "text": {"field": "text"}},
    }
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": labels["title"],
        "width": 560,
        "height": 280,
        "data": {"values": values},
        "layer": [lines, target, target_label],
        "config": {"font": "Arial, Helvetica, sans-serif", "axis": {"labelFontSize": 12, "titleFontSize": 13}},
    }


_SYMBOL = re.compile(r'<path aria-label="([^"]*)" role="graphics-symbol"([^>]*?)/>')


def to_svg(spec: dict) -> str:
    """The chart as an SVG document, numbers in Dutch. Every point, bar and line also carries its values as a
    title, which a browser shows when the pointer rests on it: the chart answers "how much?" without a script."""
    svg = vl_convert.vegalite_to_svg(spec, format_locale=LOCALE)
    return _SYMBOL.sub(r'<path aria-label="\1" role="graphics-symbol"\2><title>\1</title></path>', svg)


# Field names show in each point's title (the pointer's tooltip), so they are the Dutch words a reader sees.
# The arms' colours, in the manifest's order, the same on every chart; the reference group grey and dashed.
ARM_COLOURS = ("#01689b", "#e17000", "#39870c", "#a90061", "#7d4e9e", "#b08000", "#007bc7")
REFERENCE_COLOUR = "#696969"


def group_colours(groups: Sequence[str], reference: str | None = None) -> tuple[list[str], list[str]]:
    """The colour scale for these groups in order: the arms' colours, and grey for the reference group."""
    domain = list(groups)
    colours = [REFERENCE_COLOUR if g == reference else ARM_COLOURS[i % len(ARM_COLOURS)]
               for i, g in enumerate(groups)]
    return domain, colours


def monthly_lines_spec(months: Sequence[str], series: Mapping[str, Sequence[float | None]], *, title: str,
                       y_title: str, reference: str | None = None, share: bool = True) -> dict:
    """One line per group over the months (YYYY-MM); shares as percentages unless share is False."""
    values = [{"maand": f"{m}-01", "groep": group, "waarde": v}
              for group, points in series.items() for m, v in zip(months, points, strict=True) if v is not None]
    domain, colours = group_colours(list(series), reference)
    y = {"field": "waarde", "type": "quantitative", "title": y_title}
    if share:
        y["axis"] = {"format": ".0%"}
    return {
        "$schema": VEGA_LITE_SCHEMA, "title": title, "width": 600, "height": 280, "data": {"values": values},
        "mark": {"type": "line", "strokeWidth": 2.5, "point": {"size": 30}},
        "encoding": {
            "x": {"field": "maand", "type": "temporal", "title": None, "axis": {"format": "%b %Y", "labelAngle": 0}},
            "y": y,
            "color": {"field": "groep", "type": "nominal", "title": None, "scale": {"domain": domain,
                                                                                     "range": colours},
                      "legend": {"orient": "bottom", "labelLimit": 0, "labelFontSize": 12}},
            "strokeDash": {"condition": {"test": f"datum.groep === {reference!r}", "value": [5, 4]}, "value": [1, 0]}
            if reference else {"value": [1, 0]},
        },
        "config": {"font": "Arial, Helvetica, sans-serif", "axis": {"labelFontSize": 12, "titleFontSize": 13}},
    }


def grouped_bars_spec(categories: Sequence[str], series: Mapping[str, Sequence[int]], *, title: str,
                      y_title: str) -> dict:
    """Bars per category, one per group side by side (the highest attainable goal per arm)."""
    values = [{"categorie": c, "groep": g, "waarde": v}
              for g, counts in series.items() for c, v in zip(categories, counts, strict=True)]
    domain, colours = group_colours(list(series))
    return {
        "$schema": VEGA_LITE_SCHEMA, "title": title, "width": 600, "height": 260, "data": {"values": values},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "categorie", "type": "nominal", "title": None, "sort": list(categories),
                  "axis": {"labelAngle": -30, "labelLimit": 200}},
            "xOffset": {"field": "groep", "sort": domain},
            "y": {"field": "waarde", "type": "quantitative", "title": y_title},
            "color": {"field": "groep", "type": "nominal", "title": None,
                      "scale": {"domain": domain, "range": colours},
                      "legend": {"orient": "bottom", "labelLimit": 0, "labelFontSize": 12}},
        },
        "config": {"font": "Arial, Helvetica, sans-serif", "axis": {"labelFontSize": 12, "titleFontSize": 13}},
    }



def forest_spec(comparisons: Sequence[str], estimates: Sequence[float], lows: Sequence[float],
                highs: Sequence[float], *, labels: Mapping[str, str]) -> dict:
    """Each comparison's estimate as a point with its confidence interval as a line, and a dashed line at no
    difference. Values as they are (the caller chooses the unit, percentage points for effects).

    labels: title, estimate (the x axis) and point, the title of each point with the placeholders {comparison},
    {estimate}, {low} and {high} (one decimal)."""
    values = [{"vergelijking": c, "schatting": round(e, 4), "ondergrens": round(lo, 4), "bovengrens": round(hi, 4)}
              for c, e, lo, hi in zip(comparisons, estimates, lows, highs, strict=True)]
    y = {"field": "vergelijking", "type": "nominal", "title": None, "sort": list(comparisons),
         "axis": {"labelLimit": 320, "labelFontSize": 12}}
    interval = {
        "mark": {"type": "rule", "strokeWidth": 2.5, "color": COLOURS[0], "aria": False},
        "encoding": {"y": y, "x": {"field": "ondergrens", "type": "quantitative"}, "x2": {"field": "bovengrens"}},
    }
    described = _description(labels["point"], {"comparison": "datum.vergelijking",
                                                "estimate": "format(datum.schatting, '.1f')",
                                                "low": "format(datum.ondergrens, '.1f')",
                                                "high": "format(datum.bovengrens, '.1f')"})
    point = {
        "transform": [{"calculate": described, "as": "beschrijving"}],
        "mark": {"type": "point", "filled": True, "size": 90, "color": COLOURS[0], "opacity": 1},
        "encoding": {"y": y, "x": {"field": "schatting", "type": "quantitative", "title": labels["estimate"]},
                     "description": {"field": "beschrijving"}},
    }
    zero = {"data": {"values": [{"nul": 0}]}, "mark": {"type": "rule", "color": "#555", "strokeDash": [4, 4],
                                                         "aria": False},
            "encoding": {"x": {"field": "nul", "type": "quantitative"}}}
    return {
        "$schema": VEGA_LITE_SCHEMA, "title": labels["title"], "width": 360, "height": {"step": 34},
        "data": {"values": values}, "layer": [zero, interval, point],
        "config": {"font": "Arial, Helvetica, sans-serif", "axis": {"labelFontSize": 12, "titleFontSize": 13}},
    }


def incidence_spec(curves: Mapping[str, Mapping[str, Sequence[float]]], *, labels: Mapping[str, str]) -> dict:
    """Cumulative incidence per group over time as a step line in a shaded confidence band, with a point at each
    whole month that carries the numbers as its title.

    curves: group -> {"months", "estimate", "low", "high"}, the step function's jumps in ascending time (the value
    holds until the next jump; the line starts at 0 at time 0).
    labels: title, months (the x axis), share (the y axis) and point, the title of each point with the
    placeholders {group}, {months}, {share}, {low} and {high}."""
    steps, points = [], []
    for group, curve in curves.items():
        months, estimate, low, high = (list(curve[k]) for k in ("months", "estimate", "low", "high"))
        steps += [{"groep": group, "maanden": 0.0, "aandeel": 0.0, "ondergrens": 0.0, "bovengrens": 0.0}]
        steps += [{"groep": group, "maanden": round(t, 3), "aandeel": round(e, 5), "ondergrens": round(lo, 5),
                   "bovengrens": round(hi, 5)} for t, e, lo, hi in zip(months, estimate, low, high, strict=True)]
        last = int(max(months, default=0.0))
        points += [{"groep": group, "maanden": m, **_step_at(months, estimate, low, high, m)}
                   for m in range(1, last + 1)]
    domain, colours = group_colours(list(curves))
    colour = {"field": "groep", "type": "nominal", "title": None, "scale": {"domain": domain, "range": colours},
              "legend": {"orient": "bottom", "labelLimit": 0, "labelFontSize": 12, "columns": 2,
                         "symbolType": "stroke", "symbolStrokeWidth": 3, "symbolOpacity": 1}}
    x = {"field": "maanden", "type": "quantitative", "title": labels["months"],
         "scale": {"domainMin": 0, "nice": False}, "axis": {"tickMinStep": 1}}
    y = {"field": "aandeel", "type": "quantitative", "title": labels["share"], "axis": {"format": ".0%"}}
    band = {"data": {"values": steps},
            "mark": {"type": "area", "interpolate": "step-after", "opacity": 0.14, "aria": False},
            "encoding": {"x": x, "y": {"field": "ondergrens", "type": "quantitative"}, "y2": {"field": "bovengrens"},
                         "color": colour}}
    line = {"data": {"values": steps}, "mark": {"type": "line", "interpolate": "step-after", "strokeWidth": 2.5,
                                                 "aria": False},
            "encoding": {"x": x, "y": y, "color": colour}}
    described = _description(labels["point"], {"group": "datum.groep", "months": "datum.maanden",
                                                "share": "format(datum.aandeel, '.1%')",
                                                "low": "format(datum.ondergrens, '.1%')",
                                                "high": "format(datum.bovengrens, '.1%')"})
    dots = {"data": {"values": points}, "transform": [{"calculate": described, "as": "beschrijving"}],
            "mark": {"type": "point", "filled": True, "size": 18, "opacity": 0.9},
            "encoding": {"x": x, "y": y, "color": colour, "description": {"field": "beschrijving"}}}
    return {
        "$schema": VEGA_LITE_SCHEMA, "title": labels["title"], "width": 600, "height": 300,
        "layer": [band, line, dots],
        "config": {"font": "Arial, Helvetica, sans-serif", "axis": {"labelFontSize": 12, "titleFontSize": 13}},
    }


def _step_at(months: Sequence[float], estimate: Sequence[float], low: Sequence[float], high: Sequence[float],
             month: float) -> dict:
    """The step function's value and band at `month`: that of the last jump at or before it, 0 before the first."""
    k = bisect.bisect_right(months, month) - 1
    if k < 0:
        return {"aandeel": 0.0, "ondergrens": 0.0, "bovengrens": 0.0}
    return {"aandeel": round(estimate[k], 5), "ondergrens": round(low[k], 5), "bovengrens": round(high[k], 5)}


def _description(template: str, fields: Mapping[str, str]) -> str:
    """A Vega expression that fills the caller's words in `template` ("{name}" placeholders) with the fields'
    expressions: the words stay literal strings, whatever quotes they hold."""
    parts = re.split(r"\{(\w+)\}", template)
    return " + ".join(fields[part] if k % 2 else json.dumps(part) for k, part in enumerate(parts) if part or k % 2)
