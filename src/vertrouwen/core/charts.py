"""Charts, defined once as Vega-Lite specifications and drawn as SVG.

The same specification gives the picture in the web app (inline SVG, readable without JavaScript) and in the
reports. The words on a chart are passed in by the caller, so that the web app can translate them.
"""

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
            "strokeDash": {"condition": {"test": f"datum.groep === {reference!r}", "waarde": [5, 4]}, "waarde": [1, 0]}
            if reference else {"waarde": [1, 0]},
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
