"""Numbers as Dutch readers expect them, for command-line output and reports, and amounts as people type them."""

import math
import re
from datetime import date
from decimal import Decimal

MONTH_NAMES = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
               "november", "december")


def long_date(day: date) -> str:
    """A date as a Dutch reader writes it: 1 april 2017."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def dutch_number(number: int) -> str:
    """A whole number with a point between thousands: 1600 -> '1.600'."""
    return f"{number:,}".replace(",", ".")


def dutch_decimal(value: float, digits: int) -> str:
    """Decimal comma and a point between thousands: 1234.5 -> '1.234,5'; not a number -> 'n.b.'."""
    if math.isnan(value):
        return "n.b."
    if math.isinf(value):
        return "oneindig" if value > 0 else "-oneindig"
    return f"{value:,.{digits}f}".translate(str.maketrans(",.", ".,"))


def euro(cents: int, space: str = " ") -> str:
    """Dutch money from integer cents: 1234567 -> '€ 12.345,67' (a page passes a non-breaking space)."""
    whole, rest = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}€{space}{dutch_number(whole)},{rest:02d}"


def basis_points(points: int) -> str:
    """Basis points as a percentage without trailing zeros: 2500 -> '25', 1250 -> '12,5'."""
    whole, rest = divmod(points, 100)
    return f"{whole}" if not rest else f"{whole},{rest:02d}".rstrip("0")


def dutch_percentage(share: float, digits: int = 1) -> str:
    """A share (0 to 1) as a percentage: 0.107 -> '10,7%'."""
    return f"{dutch_decimal(100 * share, digits)}%"


def aligned_table(lines: list[list[str]], left: int = 1) -> list[str]:
    """Rows of text cells padded to the widest cell of each column: the first `left` columns left-aligned,
    the others right-aligned (numbers)."""
    widths = [max(len(line[j]) for line in lines) for j in range(len(lines[0]))]
    return ["  ".join(cell.ljust(w) if j < left else cell.rjust(w)
                      for j, (cell, w) in enumerate(zip(line, widths, strict=True))).rstrip()
            for line in lines]


_GROUPED = re.compile(r"\d{1,3}(\.\d{3})+")  # 1.000 or 12.345.678: thousands points
_EUROS = re.compile(r"(\d+|\d{1,3}(\.\d{3})+)(,\d{1,2})?|\d+\.\d{1,2}")


def parse_euros(text: str) -> int:
    """An amount in euros as people type it, as integer cents: '612,50', '1.000,00', '612.50', '€ 1000'. A point
    followed by three digits and nothing else ('1.000') is refused: it may mean a thousand euros or one."""
    typed = text.strip().removeprefix("€").strip().replace(" ", "")
    if typed.startswith("-"):
        raise ValueError(f"{text!r}: een bedrag kan niet negatief zijn")
    if _GROUPED.fullmatch(typed):
        whole = typed.replace(".", "")
        raise ValueError(f"{text!r} is dubbelzinnig: schrijf {whole} voor {dutch_number(int(whole))} euro, of een "
                         f"komma voor de centen (bijvoorbeeld {typed.split('.')[0]},00)")
    if not _EUROS.fullmatch(typed):
        raise ValueError(f"{text!r} is geen bedrag in euro; schrijf bijvoorbeeld 612,50")
    whole, _, cents = typed.replace(".", "").replace(",", ".").partition(".") if "," in typed else \
        typed.partition(".")
    return int(whole) * 100 + int((cents + "00")[:2])


def parse_percentage(text: str) -> int:
    """A percentage as people type it ('25', '12,5', '12,5 %') as basis points (2500, 1250); 0 to 100%."""
    typed = text.strip().removesuffix("%").strip().replace(",", ".")
    if not re.fullmatch(r"\d{1,3}(\.\d{1,2})?", typed):
        raise ValueError(f"{text!r} is geen percentage; schrijf bijvoorbeeld 25 of 12,5")
    points = int(Decimal(typed) * 100)
    if points > 10_000:
        raise ValueError(f"{text!r}: meer dan 100%")
    return points
