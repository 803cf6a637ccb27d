"""The layout rules of DESIGN.md that a test can hold: no library module imports a management
command (commands are thin wrappers over library functions)."""

import ast
from pathlib import Path

BANSHI = Path(__file__).resolve().parents[1] / "banshi"


def _imports(path: Path) -> set[str]:
    """Absolute names of the modules `path` imports (relative imports resolved)."""
    parts = path.relative_to(BANSHI.parent).with_suffix("").parts
    package = parts[:-1]  # a module's package; an __init__'s is its own
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = list(package[:len(package) - node.level + 1]) if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            names |= {module} | {f"{module}.{alias.name}" for alias in node.names}
    return names


def test_no_library_module_imports_a_management_command():
    offenders = []
    for path in sorted(BANSHI.rglob("*.py")):
        if "management" in path.parts:
            continue  # commands may import each other's helpers; the rule is for libraries
        bad = sorted(n for n in _imports(path)
                     if n.startswith("banshi.") and ".management.commands" in n)
        if bad:
            offenders.append(f"{path.relative_to(BANSHI.parent)} imports {bad}")
    assert offenders == []


def test_the_import_walk_sees_a_command_import(tmp_path):
    """The walk above would catch the old problem_detection → commands.detect_problems."""
    module = BANSHI / "appeals" / "_probe_tmp.py"
    module.write_text("from .management.commands.detect_problems import Command\n")
    try:
        assert "banshi.appeals.management.commands.detect_problems" in _imports(module)
    finally:
        module.unlink()
