"""Issue 21, point 8: amounts and dates within reason at every entrance, from one schema. On main the API and the
import took earnings of 2^63-1 cents (the monthly run then stored -9223372036854775808) and dates like 0001-01-01
and 9999-12-31; the web form already capped at EUR 20,000 (core.rules.MAX_EARNINGS_CENTS)."""

import pytest

from vertrouwen.core.rules import MAX_EARNINGS_CENTS

pytestmark = pytest.mark.django_db
EARNINGS = "/api/v1/earnings/"
SPELLS = "/api/v1/benefit-spells/"


@pytest.mark.parametrize("cents", [2**63 - 1, MAX_EARNINGS_CENTS + 1])
def test_earnings_above_the_one_maximum_are_refused(api, cents):
    response = api.post(EARNINGS, [{"person_id": "P1", "month": "2019-08", "earnings_cents": cents}])

    assert response.status_code == 400
    assert f"groter dan het maximum {MAX_EARNINGS_CENTS}" in str(response.json()["errors"])


def test_the_maximum_itself_is_taken(api):
    response = api.post(EARNINGS, [{"person_id": "P1", "month": "2019-08", "earnings_cents": MAX_EARNINGS_CENTS}])

    assert response.status_code == 200, response.json()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"])
def test_dates_outside_1900_to_2100_are_refused(api, day):
    response = api.post(SPELLS, [{"person_id": "P2", "spell_start": day}])

    assert response.status_code == 400
    assert "ligt niet tussen 01-01-1900 en 31-12-2100" in str(response.json()["errors"])
