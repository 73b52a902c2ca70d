"""A dataset built by hand at every edge of the report's definitions (DESIGN.md section 6), with its tables worked
out by hand. Experiment 2018-01-01 to 2019-12-31, count date C = 2019-10-01; arms A (exempt) and B (control).

    person  arm  rules signed  stopped     benefit spells (end reason)                         at C
    A1      A    2018-02-01    -           2017-01-01..2019-09-30 werk (the day before C)      exited; exit to work, net
    A2      A    2018-02-01    -           2017-01-01..2019-10-01 werk (ends on C)             current; no exit yet
    A3      A    2018-02-01    -           ..2018-12-31 werk, 2019-06-01.. (re-entry)          current; exit, not net
    A4      A    2018-02-01    -           2017-01-01..2019-11-15 werk (after C)               current; no exit
    A5      A    2018-02-01    2019-03-01  2017-01-01..                                        stopped
    B1      B    2018-02-01    -           2017-01-01..2019-05-31 zelfstandig                  exited; exit to work, net
    B2      B    2018-02-01    -           2017-01-01..2019-04-30 verhuizing                   exited; no exit to work
    B3      B    - (declined)  -           2017-01-01..                                        not a participant
    B4      B    2019-10-01    -           2017-01-01..                                        signed on C: not yet
    R1      -                              2017-01-01..2019-02-28 werk                         reference; exit, net
    R2      -                              2017-01-01..                                        reference

Goals: A1 at the baseline (werk, opleiding; good prospects yes); A2 at the baseline (zorg_en_hulp); A3 only at a
later half-yearly review (werk); A4 at the baseline but recorded after C; B1 at the baseline (parttime_werk; good
prospects no).
"""

import json
from pathlib import Path

MANIFEST = {
    "format_version": "1",
    "municipality": {"code": "0289", "name": "Randstad"},
    "experiment": {"code": "randen", "name": "Randgevallen", "period_start": "2018-01-01",
                   "period_end": "2019-12-31", "count_date": "2019-10-01"},
    "arms": [
        {"code": "A", "name": "Zelf in actie", "rules_text": "Geen verplichtingen.", "exempt_from_obligations": True},
        {"code": "B", "name": "Onderzoeksgroep", "rules_text": "De gewone regels.", "is_control": True},
    ],
}
PEOPLE = ("A1", "A2", "A3", "A4", "A5", "B1", "B2", "B3", "B4", "R1", "R2")
FILES = {
    "persons.csv": "person_id,bsn,birth_date,birth_year,sex,household_type,refugee_status_holder,limitation,education\n"
    + "".join(f"{p},,,1980,vrouw,alleenstaande,nee,geen,laag\n" for p in PEOPLE),
    "benefit_spells.csv": """person_id,spell_start,spell_end,end_reason
A1,2017-01-01,2019-09-30,werk
A2,2017-01-01,2019-10-01,werk
A3,2017-01-01,2018-12-31,werk
A3,2019-06-01,,
A4,2017-01-01,2019-11-15,werk
A5,2017-01-01,,
B1,2017-01-01,2019-05-31,zelfstandig
B2,2017-01-01,2019-04-30,verhuizing
B3,2017-01-01,,
B4,2017-01-01,,
R1,2017-01-01,2019-02-28,werk
R2,2017-01-01,,
""",
    "enrollments.csv": """person_id,arm,allocated_on,consented_on,stopped_on,stop_reason
A1,A,2018-01-15,2018-02-01,,
A2,A,2018-01-15,2018-02-01,,
A3,A,2018-01-15,2018-02-01,,
A4,A,2018-01-15,2018-02-01,,
A5,A,2018-01-15,2018-02-01,2019-03-01,persoonlijke_reden
B1,B,2018-01-15,2018-02-01,,
B2,B,2018-01-15,2018-02-01,,
B3,B,2018-01-15,,,
B4,B,2019-09-15,2019-10-01,,
""",
    "goals.csv": """person_id,recorded_on,occasion,goal
A1,2018-02-10,nulmeting,opleiding
A1,2018-02-10,nulmeting,werk
A2,2018-02-10,nulmeting,zorg_en_hulp
A3,2018-08-10,halfjaargesprek,werk
A4,2019-10-05,nulmeting,anders
B1,2018-02-10,nulmeting,parttime_werk
""",
    "assessments.csv": """person_id,recorded_on,occasion,good_prospects,ladder_rung
A1,2018-02-10,nulmeting,ja,4
B1,2018-02-10,nulmeting,nee,3
""",
    "earnings.csv": """person_id,month,earnings_cents,hours
A3,2019-07,30000,
A4,2019-07,50000,
R2,2019-07,20000,
""",
    "contacts.csv": """person_id,contact_on,channel,minutes,initiated_by
A1,2019-07-03,telefoon,10,klantmanager
A2,2019-07-10,gesprek,30,deelnemer
B1,2019-07-11,gesprek,30,klantmanager
""",
    "survey_responses.csv": """person_id,wave,instrument,item,value,mode
A1,0,vl,q1,3,online
B2,0,vl,q1,4,papier
""",
}


def write_edges(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.json").write_text(json.dumps(MANIFEST), encoding="utf-8")
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
