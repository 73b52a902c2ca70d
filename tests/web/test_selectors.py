"""The start pages' figures, on the hand-built experiment of conftest.py (see its table)."""

from datetime import date

import pytest

from vertrouwen.web.accounts import selectors as account_selectors
from vertrouwen.web.registry import selectors

pytestmark = pytest.mark.django_db

AFTER_THE_END = date(2024, 1, 1)


@pytest.fixture
def info(experiment):
    found = selectors.current_experiment()
    assert found is not None and found.id == experiment.id
    return found


def by_arm(rows):
    return {(row.arm.code if row.arm else "total"): row for row in rows}


def test_no_experiment_yet():
    assert selectors.current_experiment() is None
    assert selectors.municipality_name() is None


def test_experiment_and_arms(info):
    assert info.municipality_name == "Proefstad"
    assert info.as_of(AFTER_THE_END) == date(2019, 10, 1)  # ended: the count date
    assert info.as_of(date(2019, 7, 1)) == date(2019, 7, 1)  # running: today
    arms = selectors.arms_of(info)
    assert [a.code for a in arms] == ["A", "B"]
    assert arms[0].exempt_from_obligations and arms[0].guidance_label == "Begeleiding op verzoek"
    assert arms[1].disregard_label.startswith("Experimentele vrijlating")


def test_participant_development_at_the_count_date(info, django_assert_max_num_queries):
    # A: P1 Stand, P2 Uitstroom, P3 Gestopt (P4 declined: not a participant).
    # B: P5 Stand (re-entry on 2019-06-01), P6 Stand (spell ends on C itself), P7 Uitstroom (stops after C).
    with django_assert_max_num_queries(3):
        table = selectors.participant_development(info)
    assert table.count_date == date(2019, 10, 1)
    cols = by_arm([*table.columns, table.total])
    assert (cols["A"].participants, cols["A"].stopped, cols["A"].exited, cols["A"].on_benefit) == (3, 1, 1, 1)
    assert (cols["B"].participants, cols["B"].stopped, cols["B"].exited, cols["B"].on_benefit) == (3, 0, 1, 2)
    total = cols["total"]
    assert (total.participants, total.stopped, total.exited, total.on_benefit) == (6, 1, 2, 3)
    for col in cols.values():
        assert col.participants == col.stopped + col.exited + col.on_benefit
    assert total.stopped_pct == pytest.approx(100 / 6)
    assert total.exited_pct == pytest.approx(100 / 3)
    assert total.on_benefit_pct == pytest.approx(50.0)
    assert table.reference_group == 2


def test_caseload_after_the_end_uses_the_count_date(info, django_assert_max_num_queries):
    # Active participants at C: A P1, P2 (P3 stopped); B P5, P6, P7 (P7 stops only after C).
    # On benefit at C: A P1; B P5, P6.
    # Latest earnings month before C: September 2019 (P6's October is not before C); positive earnings of
    # active participants then: A P1 (P2 earned 0, P3 stopped); B P5.
    # Contacts: the last one before C is P6's on 30 September, so September is complete: A P1 twice and P2
    # once; B P6 once (P3 stopped, P5's is in August, P6's second is after C).
    with django_assert_max_num_queries(6):
        overview = selectors.caseload_overview(info, AFTER_THE_END)
    assert overview.as_of == date(2019, 10, 1)
    assert overview.uses_count_date is True
    assert overview.earnings_month == date(2019, 9, 1)
    assert overview.contacts_month == date(2019, 9, 1)
    rows = by_arm([*overview.rows, overview.total])
    assert (rows["A"].participants, rows["A"].on_benefit, rows["A"].with_offset_earnings, rows["A"].contacts) \
        == (2, 1, 1, 3)
    assert (rows["B"].participants, rows["B"].on_benefit, rows["B"].with_offset_earnings, rows["B"].contacts) \
        == (3, 2, 1, 1)
    assert (rows["total"].participants, rows["total"].on_benefit, rows["total"].with_offset_earnings,
            rows["total"].contacts) == (5, 3, 2, 4)


def test_caseload_while_running_uses_today(info):
    # On 1 July 2019: active A P1, P2; B P5, P6, P7. On benefit: A P1 (P2 ended 31 May); B P5 (back since
    # 1 June), P6, P7. No earnings or contacts before that day.
    overview = selectors.caseload_overview(info, date(2019, 7, 1))
    assert overview.as_of == date(2019, 7, 1)
    assert overview.uses_count_date is False
    assert overview.earnings_month is None and overview.contacts_month is None
    rows = by_arm(overview.rows)
    assert (rows["A"].participants, rows["A"].on_benefit, rows["A"].with_offset_earnings) == (2, 1, 0)
    assert (rows["B"].participants, rows["B"].on_benefit, rows["B"].with_offset_earnings) == (3, 3, 0)


def test_last_full_month_of_contacts(info, experiment):
    # Without P6's contact of 30 September the data end on 20 September: the last full month is August,
    # with only P5's contact (B).
    experiment.enrollments.get(person__external_id="P6").person.contacts.filter(
        contact_on=date(2019, 9, 30)).delete()
    overview = selectors.caseload_overview(info, AFTER_THE_END)
    assert overview.contacts_month == date(2019, 8, 1)
    rows = by_arm(overview.rows)
    assert (rows["A"].contacts, rows["B"].contacts) == (0, 1)


def test_allocation(info, django_assert_max_num_queries):
    # Allocated A P1-P4, B P5-P7; signed all but P4; stopped so far P3 (A) and P7 (B).
    with django_assert_max_num_queries(3):
        overview = selectors.allocation_overview(info)
    rows = by_arm([*overview.rows, overview.total])
    assert (rows["A"].allocated, rows["A"].consented, rows["A"].stopped) == (4, 3, 1)
    assert (rows["B"].allocated, rows["B"].consented, rows["B"].stopped) == (3, 3, 1)
    assert (rows["total"].allocated, rows["total"].consented, rows["total"].stopped) == (7, 6, 2)
    assert rows["A"].consented_pct == pytest.approx(75.0)
    assert overview.reference_group == 2


def test_survey_response(info, django_assert_max_num_queries):
    # Wave 1: A P1 (two answers count once) and P2 of 3; B P5 of 3; P4 (declined) and R1 (reference group)
    # are not participants. Wave 2: A P1 of 3, nobody in B.
    with django_assert_max_num_queries(3):
        waves = selectors.survey_response(info)
    assert [w.wave for w in waves] == [1, 2]
    one, two = waves
    assert [(c.respondents, c.participants) for c in one.per_arm] == [(2, 3), (1, 3)]
    assert (one.total.respondents, one.total.participants) == (3, 6)
    assert [(c.respondents, c.participants) for c in two.per_arm] == [(1, 3), (0, 3)]
    assert (two.total.respondents, two.total.participants) == (1, 6)
    assert one.total.pct == pytest.approx(50.0)


def test_users_per_role(users):
    # One user per role from the fixture, plus "zonder_rol"; block the researcher.
    users["onderzoeker"].is_active = False
    users["onderzoeker"].save()
    counts = account_selectors.users_per_role()
    assert {rc.role.code: rc.active_users for rc in counts.per_role} == {
        "klantmanager": 1, "projectleider": 1, "onderzoeker": 0, "beheerder": 1, "koppeling": 1}
    assert counts.without_role == 1
    assert counts.inactive == 1


def test_latest_audit_events(users):
    # create_user recorded one "user.created" event per role, the last one for the beheerder.
    events = account_selectors.latest_audit_events(limit=3)
    assert len(events) == 3
    assert [e.action for e in events] == ["user.created"] * 3
    assert events[0].object_type == "user" and events[0].actor == "test"
    assert events[0].action_label != "user.created"  # a readable label, not the code
