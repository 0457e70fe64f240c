"""Cells of a file people open in a spreadsheet. A cell that starts with `=`, `+`, `-`, `@`, a
tab or a carriage return is read as a formula by Excel, LibreOffice and Google Sheets, so a
`full_name` of `=HYPERLINK(…)` would run on the HR person's machine. OWASP's rule for CSV
injection: prefix such a cell with a single quote, which spreadsheets show as text.

django-import-export has IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT, but (4.4) it only drops a
leading `=` and leaves the other five, so every export goes through `spreadsheet_cell` instead."""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain number (-3, +1.5, -2e3) is not a formula and stays a number in the spreadsheet.
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_cell(value):
    """`value` as it may be written to a CSV cell: text that a spreadsheet would run as a
    formula gets a leading `'`; anything else is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value
