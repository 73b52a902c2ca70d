"""The canonical dataset format, version 1: which files, which columns, which values.

This module is the single definition of the format. The reader, the validator, the writer, the generator,
the database import and docs/dataset-format.md all follow it.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType

import polars as pl

from vertrouwen.core import codes
from vertrouwen.core.rules.policy import MAX_EARNINGS_CENTS

FORMAT_VERSION = "1"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Limits:
    """What one file of a dataset may hold, checked before it is parsed, so that no input can make the reader take
    memory out of proportion (docs/dataset-format.md, "Limits"). Size L's largest file is about 300 MB and
    10 million rows; its widest line a few hundred bytes."""

    file_bytes: int = 1 << 30  # 1 GiB a CSV file
    manifest_bytes: int = 1 << 20  # 1 MiB
    header_columns: int = 100  # the widest table has 10 columns; room for those another system adds
    line_bytes: int = 64 << 10  # 64 KiB a physical line
    rows: int = 20_000_000
    cells: int = 60_000_000  # lines times header columns: what the parsed file holds (size L: about 56 million)
    json_depth: int = 32  # nesting of the manifest's objects and lists
    problems_per_check: int = 100  # listed rows per check and file; the rest are counted


LIMITS = Limits()
# Every date and month in a dataset lies within these (docs/dataset-format.md, "Limits"): a birth date before
# 1900 or a spell ending in 9999 is a typing error or a placeholder, and the settlement has no rules for it.
DATE_RANGE = (dt.date(1900, 1, 1), dt.date(2100, 12, 31))
ID_MAX_LENGTH = 64  # the longest id the register stores: person_id, arm, instrument, item, experiment and arm codes
ID_PATTERN = r"^[A-Za-z0-9._-]+$"  # letters, digits, '.', '_' and '-'


class Kind(Enum):
    """How a column's text is read."""

    TEXT = "text"  # free text, trimmed
    ID = "id"  # an identifier: letters, digits, '-', '_' and '.'
    INT = "int"  # whole number
    DECIMAL = "decimal"  # decimal number; point or comma as decimal separator
    DATE = "date"  # YYYY-MM-DD (also read: DD-MM-YYYY)
    MONTH = "month"  # YYYY-MM, a calendar month
    BOOL = "bool"  # ja/nee (also read: j/n, 1/0, true/false)
    CODE = "code"  # one value of a code list
    BSN = "bsn"  # Dutch citizen service number, 9 digits, passes the 11-proef


# The type of each kind's values in a typed table (what read_dataset returns and write_dataset takes).
_DTYPES: Mapping[Kind, pl.DataType] = MappingProxyType({
    Kind.TEXT: pl.String(),
    Kind.ID: pl.String(),
    Kind.CODE: pl.String(),
    Kind.BSN: pl.String(),
    Kind.INT: pl.Int64(),
    Kind.DECIMAL: pl.Decimal(scale=2),
    Kind.DATE: pl.Date(),
    Kind.MONTH: pl.Date(),  # the first day of the month
    Kind.BOOL: pl.Boolean(),
})


def polars_dtype(kind: Kind) -> pl.DataType:
    """The polars type of a column of this kind in a typed table."""
    return _DTYPES[kind]


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    description: str
    required: bool = True
    code_list: MappingProxyType | None = None
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None  # in characters, for kinds read as text; every ID column has ID_MAX_LENGTH
    # Columns added to format version 1 later are written only when a row has a value, so that a file without
    # them is written back byte for byte and keeps its hash.
    written_when_empty: bool = True


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # natural key: unique within the file, used to match rows on import
    # (earlier, later) pairs, checked when both are given. List every pair, not only neighbours: with the middle
    # date empty, (a, c) is not implied by (a, b) and (b, c). A later date before several earlier ones is
    # reported once, against the first failing pair in this order.
    date_order: tuple[tuple[str, str], ...] = field(default=())

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


PERSON_ID = Column("person_id", Kind.ID, "The municipality's identifier of the person in this dataset.",
                   max_length=ID_MAX_LENGTH)

PERSONS = Table(
    "persons",
    "Everyone in the experiment's population: participants and, without an enrollment, the reference group.",
    (
        PERSON_ID,
        Column("bsn", Kind.BSN, "Burgerservicenummer; optional. Encrypted at rest, never exported.", required=False),
        Column("birth_date", Kind.DATE, "Date of birth; give this or birth_year.", required=False),
        Column("birth_year", Kind.INT, "Year of birth; give this or birth_date.", required=False,
               minimum=1900, maximum=2100),
        Column("sex", Kind.CODE, "Sex.", code_list=codes.SEX),
        Column("household_type", Kind.CODE, "Household type as used for the benefit norm.",
               code_list=codes.HOUSEHOLD_TYPES),
        Column("refugee_status_holder", Kind.BOOL, "Statushouder."),
        Column("limitation", Kind.CODE, "Limitation profile.", code_list=codes.LIMITATIONS),
        Column("education", Kind.CODE, "Highest level of education.", code_list=codes.EDUCATION_LEVELS),
    ),
    key=("person_id",),
)

BENEFIT_SPELLS = Table(
    "benefit_spells",
    "Periods on benefit. A new spell after an end is a re-entry (herinstroom).",
    (
        PERSON_ID,
        Column("spell_start", Kind.DATE, "First day on benefit."),
        Column("spell_end", Kind.DATE, "Day the benefit ended; empty while it runs.", required=False),
        Column("end_reason", Kind.CODE, "Beeindigingsreden; required when spell_end is given.", required=False,
               code_list=codes.END_REASONS),
    ),
    key=("person_id", "spell_start"),
    date_order=(("spell_start", "spell_end"),),
)

ENROLLMENTS = Table(
    "enrollments",
    "Participants: the arm the lottery allocated and whether they took part.",
    (
        PERSON_ID,
        Column("arm", Kind.ID, "Code of the arm, one of the manifest's arms.", max_length=ID_MAX_LENGTH),
        Column("allocated_on", Kind.DATE, "Date of the lottery draw that allocated the arm."),
        Column("consented_on", Kind.DATE, "Date the person signed the arm's rules; empty if they declined.",
               required=False),
        Column("stopped_on", Kind.DATE, "Date the person stopped taking part while on benefit; only after "
               "consented_on.", required=False),
        Column("stop_reason", Kind.CODE, "Why they stopped; required when stopped_on is given.", required=False,
               code_list=codes.STOP_REASONS),
        Column("draw", Kind.ID, "The lottery draw that allocated the person (its number or date); with method, "
               "block and block_size it lets the evaluation re-draw exactly this lottery.", required=False,
               max_length=ID_MAX_LENGTH, written_when_empty=False),
        Column("method", Kind.CODE, "How the draw dealt the arms.", required=False, code_list=codes.LOTTERY_METHODS,
               written_when_empty=False),
        Column("block", Kind.INT, "The block of the draw the person was dealt in (0 for complete randomization).",
               required=False, minimum=0, written_when_empty=False),
        Column("block_size", Kind.INT, "Persons in a full block: the arms' ratios summed, times the block "
               "multiplier.", required=False, minimum=2, written_when_empty=False),
    ),
    key=("person_id",),
    date_order=(("allocated_on", "consented_on"), ("consented_on", "stopped_on"), ("allocated_on", "stopped_on")),
)

GOALS = Table(
    "goals",
    "Personal goals, one row per goal; a person can have several at one occasion.",
    (
        PERSON_ID,
        Column("recorded_on", Kind.DATE, "Date the goal was recorded."),
        Column("occasion", Kind.CODE, "When it was recorded.", code_list=codes.OCCASIONS),
        Column("goal", Kind.CODE, "The goal.", code_list=codes.GOALS),
    ),
    key=("person_id", "recorded_on", "occasion", "goal"),
)

ASSESSMENTS = Table(
    "assessments",
    "The case manager's assessment at an occasion.",
    (
        PERSON_ID,
        Column("recorded_on", Kind.DATE, "Date of the assessment."),
        Column("occasion", Kind.CODE, "When it was made.", code_list=codes.OCCASIONS),
        Column("good_prospects", Kind.BOOL, "Kansrijk uitstroom: good prospects of exit, in the case manager's view."),
        Column("ladder_rung", Kind.INT, "Rung on the participatieladder, 1 to 6.", minimum=1, maximum=6),
    ),
    key=("person_id", "recorded_on", "occasion"),
)

EARNINGS = Table(
    "earnings",
    "Earnings from work offset against the benefit, one row per person and month with earnings.",
    (
        PERSON_ID,
        Column("month", Kind.MONTH, "The benefit month the earnings were offset in."),
        Column("earnings_cents", Kind.INT, "Net earnings in euro cents, as on the payslip: what the Participatiewet "
               "offsets (art. 31 and 32 Pw); at most EUR 20,000 a month, as everywhere in vertrouwen.", minimum=0,
               maximum=MAX_EARNINGS_CENTS),
        Column("hours", Kind.DECIMAL, "Hours worked in the month.", required=False, minimum=0, maximum=744),
    ),
    key=("person_id", "month"),
)

CONTACTS = Table(
    "contacts",
    "Contacts between case manager and person.",
    (
        PERSON_ID,
        Column("contact_on", Kind.DATE, "Date of the contact."),
        Column("channel", Kind.CODE, "How.", code_list=codes.CHANNELS),
        Column("minutes", Kind.INT, "Duration in minutes.", minimum=0, maximum=1440),
        Column("initiated_by", Kind.CODE, "Who took the initiative.", code_list=codes.INITIATORS),
    ),
    key=("person_id", "contact_on", "channel", "initiated_by"),
)

SURVEY_RESPONSES = Table(
    "survey_responses",
    "Questionnaire answers, one row per item.",
    (
        PERSON_ID,
        # At most 99: far more waves than any experiment has, so a larger number is a mistake (a year, a
        # date); the register keeps the wave in a small integer column.
        Column("wave", Kind.INT, "Wave number, 0 for the baseline, at most 99.", minimum=0, maximum=99),
        Column("instrument", Kind.ID, "Code of the questionnaire.", max_length=ID_MAX_LENGTH),
        Column("item", Kind.ID, "Code of the question.", max_length=ID_MAX_LENGTH),
        Column("value", Kind.TEXT, "The answer as given.", required=False),
        Column("mode", Kind.CODE, "How the questionnaire was answered.", code_list=codes.SURVEY_MODES),
    ),
    key=("person_id", "wave", "instrument", "item"),
)

TABLES: tuple[Table, ...] = (
    PERSONS, BENEFIT_SPELLS, ENROLLMENTS, GOALS, ASSESSMENTS, EARNINGS, CONTACTS, SURVEY_RESPONSES,
)
TABLES_BY_NAME = MappingProxyType({t.name: t for t in TABLES})


def table_schema(table: Table) -> pl.Schema:
    """Column names and polars types of a typed table, in the format's column order."""
    return pl.Schema({c.name: polars_dtype(c.kind) for c in table.columns})


def empty_frame(table: Table) -> pl.DataFrame:
    """A typed table without rows."""
    return pl.DataFrame(schema=table_schema(table))
