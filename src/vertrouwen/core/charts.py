"""Charts, defined once as Vega-Lite specifications and drawn as SVG.

The same specification gives the picture in the web app (inline SVG, readable without JavaScript) and in the
reports. The words on a chart are passed in by the caller, so that the web app can translate them.
"""

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


def to_svg(spec: dict) -> str:
    """The chart as an SVG document, numbers in Dutch."""
    return vl_convert.vegalite_to_svg(spec, format_locale=LOCALE)
