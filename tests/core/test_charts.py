"""Charts: one colour per arm on every chart, the reference group grey and dashed, and every point's values as a
title the browser shows on hover."""

import re

from vertrouwen.core import charts


def test_every_point_carries_its_values_as_a_title():
    spec = charts.monthly_lines_spec(["2019-01", "2019-02"], {"Zelf in actie": [0.1, 0.25], "Geen deelname":
                                                              [0.05, None]},
                                     title="Uitstroom", y_title="Aandeel", reference="Geen deelname")
    titles = re.findall(r"<title>([^<]*)</title>", charts.to_svg(spec))
    assert "maand: Jan 2019; Aandeel: 10%; groep: Zelf in actie" in titles
    assert "maand: Feb 2019; Aandeel: 25%; groep: Zelf in actie" in titles
    assert not any("Feb 2019" in t and "Geen deelname" in t for t in titles)  # no point where there is no value


def test_arms_keep_their_colours_and_the_reference_is_grey():
    domain, colours = charts.group_colours(["A", "B", "Geen deelname"], reference="Geen deelname")
    assert colours[:2] == list(charts.ARM_COLOURS[:2]) and colours[2] == charts.REFERENCE_COLOUR
    bars = charts.grouped_bars_spec(["Werk", "Anders"], {"A": [3, 1], "B": [0, 2]}, title="Doel",
                                    y_title="Deelnemers")
    assert bars["encoding"]["color"]["scale"]["range"] == list(charts.ARM_COLOURS[:2])
    assert "categorie: Werk; Deelnemers: 3; groep: A" in charts.to_svg(bars)
