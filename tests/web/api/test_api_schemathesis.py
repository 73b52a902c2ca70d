"""The API against its own OpenAPI description, with schemathesis: for the link with its token, for each staff
role with a signed-in session, and anonymously, generated requests never get a server error, every answer fits
the description (status, content type, body), and no body holds a stack trace.

The app runs in this process (WSGI), on the test database. Requests are generated from the description, valid
ones and, for the link, invalid ones too. Most of the link's valid requests are steered to persons Proefstad
has (a read names P1, P2, P5 or R1; a delivery's items go to twenty persons without any data yet), so deliveries
are stored, updated and refused for overlaps, not only refused as unknown. Derandomized: every run sends the same
requests.
"""

import pytest
import schemathesis
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from vertrouwen.web.accounts.roles import KOPPELING, USER_ROLES
from vertrouwen.web.registry.models import Person

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Per operation and generation mode: the link's answers are the ones with depth; the others' are 401 and 403.
EXAMPLES = {"link": 40, "other": 10}
KNOWN_PERSONS = ["P1", "P2", "P5", "R1"]
FRESH_PERSONS = [f"S{i}" for i in range(20)]
ROLES = ["anoniem", *(role.code for role in USER_ROLES), KOPPELING.code]


@pytest.fixture
def fresh_persons(experiment):
    for external_id in FRESH_PERSONS:
        Person.objects.create(municipality=experiment.municipality, external_id=external_id, birth_year=1985,
                              sex="man", household_type="alleenstaande", limitation="geen", education="laag")


@pytest.fixture
def credentials(experiment, users, login_user, link_token):
    """credentials(role) -> the headers and cookies that role sends: a token for the link, a verified session
    for staff, nothing for anonymous."""

    def of(role: str) -> dict:
        if role == KOPPELING.code:
            return {"headers": {"Authorization": f"Bearer {link_token}"}}
        if role == "anoniem":
            return {}
        client = login_user(users[role])
        return {"cookies": {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}}

    return of


def _steered(case, person_id):
    """Name persons of Proefstad in the generated request: `person_id` in the path, or fresh persons in the items
    (one each, while the list is short), so the request can get past the lookup; and put a spell's dates in order
    and give its end a reason."""
    if person_id is None:
        return case
    if case.path_parameters and "person_id" in case.path_parameters:
        case.path_parameters["person_id"] = person_id
    if isinstance(case.body, list):
        for index, item in enumerate(case.body):
            if isinstance(item, dict):
                item["person_id"] = FRESH_PERSONS[index % len(FRESH_PERSONS)]
                if "spell_start" in item:  # an end not before the start, and a reason exactly with an end
                    start, end = item.get("spell_start"), item.get("spell_end")
                    if isinstance(start, str) and isinstance(end, str) and end < start:
                        item["spell_start"], item["spell_end"] = end, start
                    item["end_reason"] = "werk" if end else None
    return case


def _run(operation, mode: GenerationMode, examples: int, credentials: dict, *, steer: bool) -> None:
    strategy = operation.as_strategy(generation_mode=mode)
    if steer:
        strategy = st.tuples(strategy, st.sampled_from([None, *KNOWN_PERSONS])).map(lambda pair: _steered(*pair))

    @hypothesis_settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                         suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def check(case):
        response = case.call(**credentials)
        case.validate_response(response, checks=CHECKS)
        assert "Traceback" not in response.text and 'File "' not in response.text

    check()


@pytest.mark.parametrize("role", ROLES)
def test_generated_requests_get_documented_answers(in_process_app, credentials, fresh_persons, role):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", in_process_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.label for op in operations} == {
        "POST /api/v1/benefit-spells/", "POST /api/v1/earnings/", "GET /api/v1/persons/{person_id}/"}
    link = role == KOPPELING.code
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE] if link else [GenerationMode.POSITIVE]
    for operation in operations:
        for mode in modes:
            _run(operation, mode, EXAMPLES["link" if link else "other"], credentials(role),
                 steer=link and mode is GenerationMode.POSITIVE)
