"""The README's permission matrix is the one the code enforces, row for row."""
from __future__ import annotations

from pathlib import Path

from composer.teams.models import Role
from composer.teams.permissions import MATRIX

README = Path(__file__).resolve().parents[2] / "README.md"
ROLES = [Role.OWNER, Role.EDITOR, Role.APPROVER, Role.VIEWER]


def documented() -> dict[str, set[str]]:
    rows: dict[str, set[str]] = {}
    text = README.read_text()
    section = text[text.index("## Teams and permissions"):]
    section = section[:section.index("\n## ", 1)]
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 5 or cells[0] in ("action", "---"):
            continue
        rows[cells[0]] = {role for role, cell in zip(ROLES, cells[1:5], strict=True) if cell == "yes"}
    return rows


def test_the_documented_matrix_is_the_enforced_one():
    assert documented() == {action: {str(r) for r in roles} for action, roles in MATRIX.items()}
