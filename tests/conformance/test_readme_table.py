"""The README compares the three SDKs feature by feature, and every row says yes: a row that
stops saying yes is a gap to close, not a table to edit."""

from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_row_of_the_sdk_table_says_yes():
    section = README.read_text().split("### The three SDKs", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|") and "---" not in line]
    header, rows = rows[0], rows[1:]
    assert [cell.strip() for cell in header.strip("|").split("|")] == ["feature", "Python", "TypeScript", "Go"]
    assert len(rows) >= 12, section
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert len(cells) == 4 and all(cell.startswith("yes") for cell in cells[1:]), row
