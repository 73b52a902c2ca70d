"""Rules that hold for the whole schema, so a new table or column cannot quietly break them."""

import itertools

import polars as pl
import pytest

import vertrouwen.core.dataset
from vertrouwen.core.dataset import schema
from vertrouwen.core.dataset.schema import ID_MAX_LENGTH, TABLES, Kind, Table

_TEXT_KINDS = {Kind.ID, Kind.TEXT, Kind.CODE, Kind.BSN}


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_every_id_column_is_limited_to_the_length_the_register_stores(table):
    for column in table.columns:
        if column.kind is Kind.ID:
            assert column.max_length == ID_MAX_LENGTH, f"{table.name}.{column.name}"
        if column.max_length is not None:
            assert column.kind in _TEXT_KINDS, f"{table.name}.{column.name}"


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_date_order_lists_every_pair_not_only_neighbours(table: Table):
    # With the middle date empty, (a, c) does not follow from (a, b) and (b, c), so it must be listed itself.
    pairs = set(table.date_order)
    for (a, b), (c, d) in itertools.product(pairs, pairs):
        if b == c:
            assert (a, d) in pairs, f"{table.name}: ({a}, {d}) follows from ({a}, {b}) and ({b}, {d})"


def test_enrollments_check_stopped_on_against_allocated_on():
    enrollments = next(t for t in TABLES if t.name == "enrollments")

    assert ("allocated_on", "stopped_on") in enrollments.date_order


def test_every_kind_has_a_polars_type():
    assert {kind: schema.polars_dtype(kind) for kind in Kind}.keys() == set(Kind)


def test_the_typed_tables_are_defined_with_the_format_and_exported_by_the_package():
    for name in ("polars_dtype", "table_schema", "empty_frame"):
        assert getattr(vertrouwen.core.dataset, name) is getattr(schema, name)
    assert schema.empty_frame(TABLES[0]).schema == schema.table_schema(TABLES[0])
    assert schema.table_schema(TABLES[0])["person_id"] == pl.String
