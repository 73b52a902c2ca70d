"""Numbers as Dutch readers expect them, for command-line output and reports."""

import math


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
