"""The layout rules of DESIGN.md that a test can hold: no library module imports a management
command (commands are thin wrappers over library functions)."""

import ast
from pathlib import Path

import pytest

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


# Run in a fresh interpreter: set Django up, then import each module of the package as the
# very first one of its kind, in a forked child, so an import cycle that only bites from one
# entry point (a management command, a worker task) shows.
FIRST_IMPORTS = r"""
import os, sys, importlib, django
django.setup()
failed = []
for name in sys.argv[1:]:
    pid = os.fork()
    if pid == 0:
        try:
            importlib.import_module(name)
        except Exception as exc:
            print(f"{name}: {type(exc).__name__}: {exc}", flush=True)
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    if status:
        failed.append(name)
sys.exit(1 if failed else 0)
"""


def _modules() -> list[str]:
    names = []
    for path in sorted(BANSHI.rglob("*.py")):
        if "migrations" in path.parts or path.name in {"manage.py", "wsgi.py"}:
            continue
        parts = path.relative_to(BANSHI.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


@pytest.mark.slow
def test_every_module_can_be_imported_first(tmp_path):
    import os
    import subprocess
    import sys

    env = os.environ | {"DJANGO_SETTINGS_MODULE": "banshi.settings",
                        "BANSHI_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", FIRST_IMPORTS, *_modules()],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
