"""Fixtures of the lottery tests: the hand-built municipality of lottery_town.py, and the row counts that show
whether a refused call wrote anything."""

import pytest
from django.db import transaction
from lottery_town import build_town

from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.lottery.models import Allocation, Draw, Invitation
from vertrouwen.web.registry.models import Enrollment, ReferenceMember

COUNTED = (Draw, Allocation, Enrollment, AuditEvent, ReferenceMember, Invitation)


@pytest.fixture
def town(db):
    """Loterijstad with its experiment, three arms (2:1:1) and 31 persons; see lottery_town.py. Built in one
    transaction, as every write of persons must be (their audit events go with it), also in tests that commit."""
    with transaction.atomic():
        return build_town()


@pytest.fixture
def row_counts():
    """row_counts() -> {model name: rows} for every table a draw, an allocation or an answer writes."""

    def count() -> dict[str, int]:
        return {model.__name__: model.objects.count() for model in COUNTED}

    return count
