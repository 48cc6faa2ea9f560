"""The suite's own layout: shared helpers live in tests/support, and no test module or conftest is imported by
another module (a test module imported elsewhere runs its tests twice and hides where a helper lives)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every absolute `tests.…` module a file imports, with its line (including imports inside functions)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.level:
            found.append((node.lineno, "." * node.level + (node.module or "")))
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return [(line, name) for line, name in found if name == "tests" or name.startswith(("tests.", "."))]


def test_test_modules_import_only_the_support_package():
    wrong = []
    for path in sorted(TESTS.rglob("*.py")):
        for line, module in imported_modules(path):
            if module == "tests.support" or module.startswith("tests.support."):
                continue
            wrong.append(f"{path.relative_to(TESTS.parent)}:{line} imports {module}")
    assert not wrong, "import shared helpers from tests.support instead:\n" + "\n".join(wrong)


EMBEDDED_IMPORT = re.compile(r"\b(?:from|import)\s+(tests\.\w+(?:\.\w+)*)")


def test_code_run_elsewhere_imports_only_the_support_package():
    """Benches, and scripts that tests hand to a child process as text, reach test helpers the same way."""
    wrong = []
    for path in sorted([*TESTS.rglob("*.py"), *(TESTS.parent / "bench").rglob("*.py")]):
        for match in EMBEDDED_IMPORT.finditer(path.read_text()):
            module = match.group(1)
            if module != "tests.support" and not module.startswith("tests.support."):
                line = path.read_text().count("\n", 0, match.start()) + 1
                wrong.append(f"{path.relative_to(TESTS.parent)}:{line} imports {module}")
    assert not wrong, "import shared helpers from tests.support instead:\n" + "\n".join(wrong)


def test_the_support_package_holds_no_tests_or_fixtures():
    wrong = []
    for path in sorted((TESTS / "support").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.FunctionDef):
                if node.name.startswith("test_"):
                    wrong.append(f"{path.name}:{node.lineno} defines the test {node.name}")
                if any("fixture" in ast.unparse(decorator) for decorator in node.decorator_list):
                    wrong.append(f"{path.name}:{node.lineno} defines the fixture {node.name} (fixtures go in a conftest)")
    assert not wrong, "\n".join(wrong)
