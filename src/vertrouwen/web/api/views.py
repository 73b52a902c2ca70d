"""The API's endpoints: deliver benefit spells, deliver monthly earnings, read back what is stored for a person,
and the OpenAPI description. Only the link's system account, with its token, gets past access.HasLinkToken."""

from collections.abc import Callable
from dataclasses import asdict

from django.db import transaction
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView
from rest_framework import permissions, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from vertrouwen.core.dataset.schema import BENEFIT_SPELLS, EARNINGS, ID_MAX_LENGTH, ID_PATTERN, Table
from vertrouwen.web.api import delivery
from vertrouwen.web.api.delivery import DeliveryRefused, record_refusal
from vertrouwen.web.api.errors import error_body, unlogged
from vertrouwen.web.api.selectors import person_deliveries
from vertrouwen.web.api.serializers import (
    MAX_ITEMS,
    BenefitSpellItem,
    DeliveryResultSerializer,
    EarningsItem,
    ErrorSerializer,
    PersonDeliveriesSerializer,
)
from vertrouwen.web.audit.services import record
from vertrouwen.web.refusals import Problem

# Every operation can answer these; each with the one error shape.
_ERRORS = {
    status.HTTP_400_BAD_REQUEST: OpenApiResponse(ErrorSerializer, "The request is not valid; nothing was stored."),
    status.HTTP_401_UNAUTHORIZED: OpenApiResponse(ErrorSerializer, "No token, or a token that is not valid, revoked "
                                                                   "or expired."),
    status.HTTP_403_FORBIDDEN: OpenApiResponse(ErrorSerializer, "Authenticated, but not as the link's system "
                                                                "account with its token."),
    status.HTTP_429_TOO_MANY_REQUESTS: OpenApiResponse(ErrorSerializer, "Too many requests with this token; try "
                                                                        "again after Retry-After seconds."),
}
_BATCH = (f"The body is a JSON list of 1 to {MAX_ITEMS} items. The delivery is all or nothing: with any problem in "
          "any item nothing is stored, and the answer (400) lists every problem with the item's index (from 0) and "
          "the field. Each value is checked as the same column in a delivered file (docs/dataset-format.md).")


def _origin(request) -> str:
    return f"api {request.META.get('REMOTE_ADDR', '')}".strip()


class _DeliveryView(APIView):
    table: Table
    deliver: Callable

    def post(self, request):
        municipality = request.auth.municipality
        serializer = self.item_serializer(data=request.data, many=True, allow_empty=False, max_length=MAX_ITEMS)
        if not serializer.is_valid():
            received = len(request.data) if isinstance(request.data, list) else 0
            refused = DeliveryRefused(_serializer_errors(serializer.errors))
            record_refusal(self.table, received, refused, municipality=municipality, actor=request.user,
                           origin=_origin(request))
            raise refused
        result = type(self).deliver(serializer.validated_data, municipality=municipality, actor=request.user,
                                    origin=_origin(request))
        return Response(DeliveryResultSerializer(asdict(result)).data)


def _serializer_errors(errors) -> list[Problem]:
    """The serializer's errors as item errors: by index for an item ({field: [message]}), or about the body as a
    whole (a list that is not a list, or of a wrong length)."""
    found = []
    for key, detail in (errors.items() if isinstance(errors, dict) else enumerate(errors)):
        if isinstance(key, int):
            found += [Problem(str(message), None if field == api_settings.NON_FIELD_ERRORS_KEY else field, key)
                      for field, messages in detail.items() for message in messages]
        else:
            found += [Problem(str(message)) for message in detail]
    return found


_DELIVERED = OpenApiResponse(DeliveryResultSerializer, "Stored, with the counts.")
_PERSON_ID = OpenApiParameter("person_id", {"type": "string", "pattern": ID_PATTERN, "maxLength": ID_MAX_LENGTH},
                              OpenApiParameter.PATH, description="The municipality's person number (never the BSN).")


@extend_schema_view(post=extend_schema(
    operation_id="deliver_benefit_spells", tags=["deliveries"], request=BenefitSpellItem(many=True),
    responses={200: _DELIVERED, **_ERRORS}, summary="Deliver benefit spells (create, update or end them)",
    description="Adds new benefit spells and updates known ones, matched on person_id and spell_start. To end a "
                "spell, deliver it again with spell_end and end_reason. A person's spells may not overlap, counting "
                "the ones stored already. " + _BATCH))
class BenefitSpellsView(_DeliveryView):
    table = BENEFIT_SPELLS
    item_serializer = BenefitSpellItem
    deliver = delivery.deliver_benefit_spells


@extend_schema_view(post=extend_schema(
    operation_id="deliver_earnings", tags=["deliveries"], request=EarningsItem(many=True),
    responses={200: _DELIVERED, **_ERRORS}, summary="Deliver monthly earnings",
    description="Adds or updates the earnings of a person in a month, matched on person_id and month: net "
                "earnings in euro cents (as on the payslip) and, optionally, the hours worked. " + _BATCH))
class EarningsView(_DeliveryView):
    table = EARNINGS
    item_serializer = EarningsItem
    deliver = delivery.deliver_earnings


@extend_schema_view(get=extend_schema(
    operation_id="read_person", tags=["persons"], parameters=[_PERSON_ID],
    responses={200: PersonDeliveriesSerializer,
               404: OpenApiResponse(ErrorSerializer, "No person with this number in the municipality."), **_ERRORS},
    summary="Read back what is stored for a person",
    description="The person's benefit spells and monthly earnings as stored, oldest first. The person is named by "
                "the municipality's person number; a BSN is never accepted nor returned."))
class PersonView(APIView):
    def get(self, request, person_id: str):
        problems = [p for p in delivery.dataset_checks(BENEFIT_SPELLS, [{"person_id": person_id}])[1]
                    if p.column == "person_id"]
        if problems:  # not a person number: it may even be a BSN, so the path is not logged
            return unlogged(Response(error_body(problems[0].reason), status=status.HTTP_400_BAD_REQUEST))
        municipality = request.auth.municipality
        found = person_deliveries(municipality, person_id)
        if found is None:
            raise NotFound(f"Persoon {person_id} is niet bekend bij {municipality.name}.")
        with transaction.atomic():
            record(actor=request.user, action="api.person_read", object_type="person", object_id=person_id,
                   origin=_origin(request))
        return Response(PersonDeliveriesSerializer(found).data)


@extend_schema(exclude=True)
class SchemaView(SpectacularAPIView):
    """The OpenAPI description, as JSON, for anyone: it describes the API and holds no data."""

    renderer_classes = [OpenApiJsonRenderer]
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = []
