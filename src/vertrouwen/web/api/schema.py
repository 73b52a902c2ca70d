"""OpenAPI extensions (drf-spectacular): the token's security scheme, and each dataset column's JSON schema taken
from its definition in core.dataset.schema, so the description states the same rules that the checks apply."""

from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerExtension,
    OpenApiSerializerFieldExtension,
)

from vertrouwen.core.dataset.schema import ID_PATTERN, Column, Kind

_DATE = "Date as YYYY-MM-DD (DD-MM-YYYY is read too)."


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "vertrouwen.web.api.access.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema) -> dict:
        return {"type": "http", "scheme": "bearer",
                "description": "The system account's API token: `Authorization: Bearer vtw_...`. The beheerder "
                               "issues it with `vertrouwen manage issue_api_token`."}


class DatasetValueFieldSchema(OpenApiSerializerFieldExtension):
    target_class = "vertrouwen.web.api.serializers.DatasetValueField"

    def map_serializer_field(self, auto_schema, direction) -> dict:
        return column_schema(self.target.column)


class DatasetItemSchema(OpenApiSerializerExtension):
    """An item has only its table's columns: any other field is refused, as an unknown column in a file is."""

    target_class = "vertrouwen.web.api.serializers.DatasetItemSerializer"
    match_subclasses = True

    def map_serializer(self, auto_schema, direction) -> dict:
        return auto_schema._map_basic_serializer(self.target, direction) | {"additionalProperties": False}


def batch_limits(result: dict, **kwargs) -> dict:
    """Postprocessing hook: a delivery's list holds 1 to MAX_ITEMS items."""
    from vertrouwen.web.api.serializers import MAX_ITEMS

    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            if body.get("type") == "array":
                body |= {"minItems": 1, "maxItems": MAX_ITEMS}
    return result


def column_schema(column: Column) -> dict:
    """The JSON schema of a column's value in a delivered item."""
    schema = {"description": column.description}
    match column.kind:
        case Kind.ID:
            schema |= {"type": "string", "pattern": ID_PATTERN, "maxLength": column.max_length}
        case Kind.DATE:
            schema |= {"type": "string", "format": "date", "description": f"{column.description} {_DATE}"}
        case Kind.MONTH:
            schema |= {"type": "string", "pattern": r"^[0-9]{4}-(0[1-9]|1[0-2])$",
                       "description": f"{column.description} Month as YYYY-MM."}
        case Kind.INT:
            schema |= {"type": "integer"} | _limits(column)
        case Kind.DECIMAL:
            schema |= {"type": "number"} | _limits(column)
            schema["description"] += " At most two decimals; also accepted as text, e.g. \"12.50\" or \"12,5\"."
        case Kind.CODE:
            schema |= {"type": "string", "enum": list(column.code_list)}
        case _:
            schema |= {"type": "string"}
    if not column.required:
        schema["nullable"] = True
        if "enum" in schema:
            schema["enum"].append(None)  # OpenAPI 3.0: a nullable enum lists null among its values
    return schema


def _limits(column: Column) -> dict:
    limits = {}
    if column.minimum is not None:
        limits["minimum"] = column.minimum
    if column.maximum is not None:
        limits["maximum"] = column.maximum
    return limits
