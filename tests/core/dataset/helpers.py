"""A small valid dataset in canonical form, written by hand, and ways to spoil it.

Every file has a header and a few rows sorted by natural key, exactly as write_dataset writes them, so a
test can compare bytes. Four persons: P001 to P003 take part (two arms), P004 is in the reference group.
"""

import json
from pathlib import Path

MANIFEST = {
    "format_version": "1",
    "municipality": {"code": "0289", "name": "Wageningen"},
    "experiment": {
        "code": "vertrouwen_werkt",
        "name": "Vertrouwen werkt",
        "period_start": "2017-10-01",
        "period_end": "2019-12-31",
        "count_date": "2019-10-01",
    },
    "arms": [
        {
            "code": "zelf_in_actie",
            "name": "Zelf in actie",
            "rules_text": "Je bent vrijgesteld van de arbeids- en re-integratieverplichtingen.",
            "is_control": False,
            "exempt_from_obligations": True,
            "guidance_intensity": "op_verzoek",
            "disregard_regime": "standaard",
            "job_bonus_cents": 0,
            "job_bonus_condition": "",
            "job_bonus_min_hours_a_week": 0,
            "job_bonus_max_per_year_cents": 0,
            "target_contacts_per_month": 0,
            "allocation_ratio": 1,
        },
        {
            "code": "onderzoeksgroep",
            "name": "Onderzoeksgroep",
            "rules_text": "De gewone regels blijven gelden.",
            "is_control": True,
            "exempt_from_obligations": False,
            "guidance_intensity": "regulier",
            "disregard_regime": "standaard",
            "job_bonus_cents": 0,
            "job_bonus_condition": "",
            "job_bonus_min_hours_a_week": 0,
            "job_bonus_max_per_year_cents": 0,
            "target_contacts_per_month": 0,
            "allocation_ratio": 1,
        },
    ],
    "provenance": {"source": "tests"},
}

# 111222333 and 123456782 pass the 11-proef (worked out in tests/core/test_privacy.py).
FILES = {
    "persons.csv": """\
person_id,bsn,birth_date,birth_year,sex,household_type,refugee_status_holder,limitation,education
P001,111222333,1980-05-17,1980,vrouw,alleenstaande_ouder,nee,geen,middelbaar
P002,,,1975,man,alleenstaande,ja,lichamelijk,laag
P003,123456782,1990-01-31,,onbekend,gehuwd_samenwonend,nee,psychisch,onbekend
P004,,1962-12-01,,man,alleenstaande,nee,geen,hoog
""",
    "benefit_spells.csv": """\
person_id,spell_start,spell_end,end_reason
P001,2016-03-01,2018-06-30,werk
P001,2019-01-01,,
P002,2015-07-01,,
P003,2017-02-01,2019-03-31,verhuizing
P004,2010-01-01,,
""",
    "enrollments.csv": """\
person_id,arm,allocated_on,consented_on,stopped_on,stop_reason
P001,zelf_in_actie,2017-10-02,2017-10-16,,
P002,onderzoeksgroep,2017-10-02,2017-10-20,2018-05-01,persoonlijke_reden
P003,zelf_in_actie,2017-11-01,,,
""",
    "goals.csv": """\
person_id,recorded_on,occasion,goal
P001,2017-10-16,nulmeting,parttime_werk
P001,2017-10-16,nulmeting,werk
P001,2018-04-16,halfjaargesprek,werk
P002,2017-10-20,nulmeting,zorg_en_hulp
""",
    "assessments.csv": """\
person_id,recorded_on,occasion,good_prospects,ladder_rung
P001,2017-10-16,nulmeting,ja,4
P002,2017-10-20,nulmeting,nee,2
""",
    "earnings.csv": """\
person_id,month,earnings_cents,hours
P001,2018-01,45000,32.50
P001,2018-02,51025,40.00
P003,2018-01,12000,
""",
    "contacts.csv": """\
person_id,contact_on,channel,minutes,initiated_by
P001,2017-10-16,gesprek,60,klantmanager
P001,2017-11-20,telefoon,15,deelnemer
P002,2017-10-20,huisbezoek,45,klantmanager
""",
    "survey_responses.csv": """\
person_id,wave,instrument,item,value,mode
P001,0,welzijn,q1,4,online
P001,0,welzijn,q2,"Rustig, maar druk",online
P001,1,welzijn,q1,5,papier
P001,1,welzijn,q3,Naar het café,papier
P002,0,welzijn,q1,,telefonisch
""",
}


def write_valid_dataset(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    manifest = json.dumps(MANIFEST, ensure_ascii=False, indent=2) + "\n"
    (folder / "manifest.json").write_text(manifest, encoding="utf-8")
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def lines_in(filename: str) -> int:
    """How many lines the valid file has, header included; a row appended to it gets the next number."""
    return len(FILES[filename].splitlines())


def append_rows(folder: Path, filename: str, *rows: str) -> None:
    with (folder / filename).open("a", encoding="utf-8") as out:
        out.writelines(row + "\n" for row in rows)


def replace_text(folder: Path, filename: str, old: str, new: str) -> None:
    """Replace one exact piece of a valid file, failing loudly when it is not there exactly once."""
    text = (folder / filename).read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {filename}"
    (folder / filename).write_text(text.replace(old, new), encoding="utf-8")
