"""A small dataset written by hand as a municipality would deliver it, so every expected count can be read off it.

4 persons (P1 and P2 enrolled, P3 and P4 the reference group), 5 benefit spells, 2 goals, 1 assessment,
2 earnings rows, 2 contacts and 2 survey answers. P1 has a BSN: what the import stores of it (encrypted, and as
a keyed pseudonym) may never come back on any page, in an export or in the audit trail.

Used by registry/test_import_export.py and by the bsn_dataset fixture in conftest.py.
"""

import json
from pathlib import Path

BSN_P1 = "111222333"  # passes the 11-proef: 9*1+8*1+7*1+6*2+5*2+4*2+3*3+2*3-1*3 = 66 = 6*11

MANIFEST = {
    "format_version": "1",
    "municipality": {"code": "9999", "name": "Voorbeeldstad"},
    "experiment": {"code": "vw", "name": "Vertrouwen Werkt", "period_start": "2017-10-01",
                   "period_end": "2019-12-31", "count_date": "2019-10-01"},
    "arms": [
        {"code": "zelf_in_actie", "name": "Zelf in actie", "rules_text": "Geen verplichtingen.",
         "exempt_from_obligations": True, "guidance_intensity": "op_verzoek"},
        {"code": "onderzoeksgroep", "name": "Onderzoeksgroep", "rules_text": "De gewone regels.",
         "is_control": True},
    ],
}
FILES = {
    "persons.csv": f"""person_id,bsn,birth_date,birth_year,sex,household_type,refugee_status_holder,limitation,education
P1,{BSN_P1},1980-05-01,,vrouw,alleenstaande_ouder,nee,geen,middelbaar
P2,,,1975,man,alleenstaande,ja,psychisch,laag
P3,,1990-01-31,,man,gehuwd_samenwonend,nee,lichamelijk,hoog
P4,,,1962,vrouw,alleenstaande,nee,geen,onbekend
""",
    "benefit_spells.csv": """person_id,spell_start,spell_end,end_reason
P1,2015-03-01,2018-06-30,werk
P1,2019-02-01,,
P2,2016-01-01,,
P3,2014-09-01,,
P4,2012-01-01,2019-08-31,aow
""",
    "enrollments.csv": """person_id,arm,allocated_on,consented_on,stopped_on,stop_reason
P1,zelf_in_actie,2017-09-15,2017-09-28,,
P2,onderzoeksgroep,2017-09-15,2017-10-02,2018-03-01,persoonlijke_reden
""",
    "goals.csv": """person_id,recorded_on,occasion,goal
P1,2017-09-28,nulmeting,parttime_werk
P1,2017-09-28,nulmeting,opleiding
""",
    "assessments.csv": """person_id,recorded_on,occasion,good_prospects,ladder_rung
P1,2017-09-28,nulmeting,ja,4
""",
    "earnings.csv": """person_id,month,earnings_cents,hours
P1,2018-01,45050,36.5
P2,2018-02,12000,
""",
    "contacts.csv": """person_id,contact_on,channel,minutes,initiated_by
P1,2017-10-12,gesprek,45,klantmanager
P2,2017-11-03,telefoon,10,deelnemer
""",
    "survey_responses.csv": """person_id,wave,instrument,item,value,mode
P1,0,vertrouwen_welzijn,gezondheid,4,online
P2,0,vertrouwen_welzijn,gezondheid,3,papier
""",
}


def write_folder(folder: Path, files: dict[str, str] = FILES, manifest: dict = MANIFEST) -> Path:
    """Write the dataset (or a changed copy of its files or manifest) into `folder`, as the import reads it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
