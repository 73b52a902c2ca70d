"""The shapes of the API's requests and answers.

A delivered item has exactly the columns of its dataset table (core.dataset.schema), under the same names. The
serializers here only take each value as the text a CSV file would hold; the dataset format's own checks
(core.dataset.validation, as `vertrouwen validate` and `vertrouwen import` run them) then decide whether it is
valid, so an item is accepted exactly when the same row in a delivered file would be.
"""

from decimal import Decimal

from rest_framework import serializers

from vertrouwen.core.dataset.schema import BENEFIT_SPELLS, EARNINGS, TABLES_BY_NAME, Column, Kind, Table

MAX_ITEMS = 10_000  # per request: about 1 MB of JSON, within Django's upload limit of 2.5 MB

# The JSON types a value of each kind may have; text always, numbers where the column holds one.
_JSON_TYPES: dict[Kind, tuple[type, ...]] = {
    Kind.INT: (str, int, float),  # 1.5 is then refused as the dataset refuses it: not a whole number
    Kind.DECIMAL: (str, int, float, Decimal),
}


class DatasetValueField(serializers.Field):
    """One column of a dataset table: the value as the trimmed text a file would hold, None when empty.

    An empty or missing value passes here even for a required column: the dataset's checks report it, in the
    same words as for a file.
    """

    default_error_messages = {"type": "verwacht {expected}, gevonden: {found}"}

    def __init__(self, table: str, column: str, **kwargs):
        # By name: DRF copies a field with its arguments, and a column's code list cannot be copied.
        self.column: Column = TABLES_BY_NAME[table].column(column)
        # required and allow_null describe the column in the OpenAPI schema; validate_empty_values lets an empty
        # value through regardless, for the dataset's own check.
        super().__init__(required=self.column.required, allow_null=not self.column.required,
                         **kwargs)

    def validate_empty_values(self, data):
        if data is serializers.empty or data is None:
            return True, None
        return False, data

    def to_internal_value(self, data) -> str | None:
        allowed = _JSON_TYPES.get(self.column.kind, (str,))
        if isinstance(data, bool) or not isinstance(data, allowed):
            expected = "tekst of getal" if len(allowed) > 1 else "tekst"
            self.fail("type", expected=expected, found=_json_type(data))
        text = str(data).strip()
        return text or None

    def to_representation(self, value):
        return value


def _json_type(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "getal"
    if isinstance(value, list):
        return "lijst"
    if isinstance(value, dict):
        return "object"
    return "tekst"


class DatasetItemSerializer(serializers.Serializer):
    """One row of `table`; a field the table does not have is an error, as an unknown column in a file is."""

    table: Table

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                allowed = ", ".join(self.table.column_names)
                raise serializers.ValidationError({name: [f"onbekend veld; toegestaan: {allowed}"]
                                                   for name in unknown})
            data = {name: data.get(name) for name in self.fields}  # a missing field is empty, as in a file
        return super().to_internal_value(data)


def _item_serializer(name: str, table: Table, doc: str) -> type[DatasetItemSerializer]:
    fields = {column.name: DatasetValueField(table.name, column.name) for column in table.columns}
    return type(name, (DatasetItemSerializer,), {"__doc__": doc, "table": table, **fields})


BenefitSpellItem = _item_serializer(
    "BenefitSpellItem", BENEFIT_SPELLS,
    "A benefit spell, matched on person_id and spell_start: new ones are added, known ones take the delivered "
    "values. End a spell by delivering it again with spell_end and end_reason.")
EarningsItem = _item_serializer(
    "EarningsItem", EARNINGS,
    "The earnings of one person in one month, matched on person_id and month: new ones are added, known ones take "
    "the delivered values.")


class DeliveryResultSerializer(serializers.Serializer):
    received = serializers.IntegerField(help_text="Items in the delivery.")
    created = serializers.IntegerField(help_text="Items that were new.")
    updated = serializers.IntegerField(help_text="Items that changed what was stored.")
    unchanged = serializers.IntegerField(help_text="Items that were stored already, with the same values.")


class StoredBenefitSpellSerializer(serializers.Serializer):
    spell_start = serializers.DateField()
    spell_end = serializers.DateField(allow_null=True)
    end_reason = serializers.ChoiceField(choices=list(BENEFIT_SPELLS.column("end_reason").code_list),
                                         allow_null=True)


class StoredEarningsSerializer(serializers.Serializer):
    month = serializers.RegexField(r"^[0-9]{4}-(0[1-9]|1[0-2])$", help_text="YYYY-MM")
    earnings_cents = serializers.IntegerField(min_value=0)
    hours = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


class PersonDeliveriesSerializer(serializers.Serializer):
    """What is stored for a person: their benefit spells and monthly earnings. Never a BSN."""

    person_id = serializers.CharField()
    benefit_spells = StoredBenefitSpellSerializer(many=True)
    earnings = StoredEarningsSerializer(many=True)


class ItemErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(allow_null=True, help_text="Position of the item in the delivered list, "
                                                                "from 0; null for the request as a whole.")
    field = serializers.CharField(allow_null=True, help_text="The field; null for the item as a whole.")
    message = serializers.CharField(help_text="What is wrong, in Dutch.")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in Dutch.")
    errors = ItemErrorSerializer(many=True, help_text="Each problem with its place; empty when there is none "
                                                      "to name.")
