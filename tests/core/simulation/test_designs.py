"""The experiment design templates of DESIGN.md section 4 (sources: seed 003 for Wageningen, seeds 000-002 for
Tilburg, seed 004 for Oss, Apeldoorn and Epe); the rules of DESIGN.md section 5."""

import datetime as dt
import json

import pytest

from vertrouwen.core import codes
from vertrouwen.core.dataset.manifest import Manifest, Municipality, parse_manifest
from vertrouwen.core.designs import DESIGNS


@pytest.mark.parametrize("code", list(DESIGNS))
def test_each_design_is_complete(code):
    design = DESIGNS[code]
    assert design.code == code
    assert design.period_start < design.count_date <= design.period_end
    assert sum(arm.is_control for arm in design.arms) == 1  # every design has one unchanged control group
    assert len(set(design.arm_codes)) == len(design.arms)
    for arm in design.arms:
        assert arm.guidance_intensity in codes.GUIDANCE_INTENSITIES
        assert arm.disregard_regime in codes.DISREGARD_REGIMES
        assert arm.rules_text.startswith("Spelregels")
        assert "stoppen" in arm.rules_text  # taking part is voluntary


@pytest.mark.parametrize("code", list(DESIGNS))
def test_designs_survive_a_manifest_round_trip(code):
    design = DESIGNS[code]
    manifest = Manifest(Municipality("9999", "Voorbeeldstad"), design.experiment(), design.arms)
    assert parse_manifest(json.loads(manifest.to_json())) == manifest


def test_wageningen_vertrouwen_werkt():
    design = DESIGNS["wageningen"]
    # DESIGN.md section 4 / seed 003: EXP1-EXP4; 1 October 2017 to 31 December 2019, count date 1 October 2019.
    assert design.arm_codes == ("zelf_in_actie", "extra_begeleiding", "verdienen_loont", "onderzoeksgroep")
    assert (design.period_start, design.period_end) == (dt.date(2017, 10, 1), dt.date(2019, 12, 31))
    assert design.count_date == dt.date(2019, 10, 1)
    assert design.control_arm.code == "onderzoeksgroep"
    exempt = design.arm("zelf_in_actie")
    assert exempt.exempt_from_obligations and exempt.guidance_intensity == "op_verzoek"
    assert "artikel 9 Participatiewet" in exempt.rules_text
    assert design.arm("extra_begeleiding").guidance_intensity == "intensief"
    disregard = design.arm("verdienen_loont")
    assert disregard.disregard_regime == "experiment"
    # DESIGN.md section 5 (experiment disregard of the decree) / seed 003: 50% of earnings, at most EUR 199 a month.
    assert "50%" in disregard.rules_text and "€ 199,00 per maand" in disregard.rules_text
    assert "gewone regels" in design.control_arm.rules_text


def test_tilburg_has_four_arms_and_a_job_bonus_as_configuration():
    design = DESIGNS["tilburg"]
    assert len(design.arms) == 4  # DESIGN.md section 4 / seed 002: 4 groups
    bonus = [arm for arm in design.arms if arm.job_bonus_cents]
    assert [arm.job_bonus_cents for arm in bonus] == [240_000]  # DESIGN.md section 4: EUR 2,400 a year
    assert "voltijds" in bonus[0].job_bonus_condition


def test_oss_apeldoorn_epe_has_three_arms_and_no_extra_disregard():
    design = DESIGNS["oss_apeldoorn_epe"]
    assert len(design.arms) == 3  # DESIGN.md section 4 / seed 004: three groups, outside the decree
    assert all(arm.disregard_regime != "experiment" for arm in design.arms)
    treated = [arm for arm in design.arms if not arm.is_control]
    assert all(arm.exempt_from_obligations for arm in treated)
    assert {arm.guidance_intensity for arm in treated} == {"op_verzoek", "intensief"}
