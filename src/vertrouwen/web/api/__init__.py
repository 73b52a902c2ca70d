"""The REST API through which the municipality's benefit administration delivers benefit spells and earnings.

docs/api.md describes it for the people who build the link; /api/v1/schema/ is its OpenAPI description.
"""
