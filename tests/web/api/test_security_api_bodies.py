"""Issue 21, point 3 (the API): bodies over Django's upload limit and JSON nested beyond the limit are refused with
a Dutch reason as JSON (400), before they are parsed; on main before this change both gave a 500."""

import pytest

from vertrouwen.core.dataset.schema import LIMITS

pytestmark = pytest.mark.django_db
SPELLS = "/api/v1/benefit-spells/"


def test_a_body_over_the_upload_limit_is_refused_unparsed(api, settings):
    item = '{"person_id": "P2", "spell_start": "2019-07-01"}'
    body = "[" + ",".join([item] * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // len(item) + 10)) + "]"

    response = api.post(SPELLS, body)

    assert response.status_code == 400
    assert response.json()["detail"] == f"de inhoud is groter dan {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024} kB; " \
                                        "lever in delen aan"


@pytest.mark.parametrize("depth", [LIMITS.json_depth + 1, 100_000])
def test_json_nested_too_deep_is_refused_unparsed(api, depth):
    response = api.post(SPELLS, "[" * depth + "]" * depth)

    assert response.status_code == 400
    assert response.json()["detail"] == f"de JSON is dieper genest dan {LIMITS.json_depth} niveaus"


def test_a_body_that_is_no_json_is_a_400(api):
    response = api.post(SPELLS, "[{")

    assert response.status_code == 400 and response.json()["detail"].startswith("geen geldige JSON")
