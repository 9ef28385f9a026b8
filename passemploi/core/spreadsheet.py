"""Cells written to CSV or XLSX exports."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """A text a spreadsheet would run as a formula is quoted (CSV injection)."""
    value = "" if value is None else str(value)
    return f"'{value}" if value[:1] in FORMULA_STARTS else value
