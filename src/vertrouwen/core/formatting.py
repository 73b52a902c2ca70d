"""Numbers as Dutch readers expect them, for command-line output and reports."""


def dutch_number(number: int) -> str:
    """A whole number with a point between thousands: 1600 -> '1.600'."""
    return f"{number:,}".replace(",", ".")
