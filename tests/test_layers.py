"""The layers hold: no module imports from a layer above its own.

    model ← io ← store ← analysis ← features/scoring ← evaluation (learn) ← cli/app

Read from the source with :mod:`ast`, so imports inside functions count too.
"""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "chainmap"

#: Each top-level part of the package and its layer (higher may import lower, never the reverse).
LAYER = {
    "model": 0, "_arrays": 0, "_memo": 0,
    "io": 1, "synth": 1,
    "store": 2,
    "analysis": 3, "viz": 3, "i18n": 3,
    "features": 4, "scoring": 4,
    "learn": 5,
    "location": 6, "fitcache": 6, "cli": 6, "app": 6, "testing": 6, "briefs": 6,
}


def _part(path: Path) -> str:
    rel = path.relative_to(PACKAGE).parts
    return rel[0].removesuffix(".py")


def _imports(path: Path):
    """``(line, imported module)`` of every chainmap import in ``path``, relative ones resolved."""
    package = ["chainmap", *path.relative_to(PACKAGE).parts[:-1]]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            mod = ".".join(base + ([node.module] if node.module else []))
            names = [mod] if node.module or not node.level else [f"{mod}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            if name.startswith("chainmap."):
                yield node.lineno, name


def test_every_part_has_a_layer():
    parts = {_part(p) for p in PACKAGE.rglob("*.py")} - {"__init__", "__main__"}
    assert parts <= set(LAYER), f"give these a layer: {sorted(parts - set(LAYER))}"


def _violations():
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = _part(path)
        if here not in LAYER:
            continue
        for line, name in _imports(path):
            there = name.split(".")[1]
            if LAYER.get(there, -1) > LAYER[here]:
                out.append(f"{path.relative_to(PACKAGE.parent)}:{line} ({here}) imports {name}")
    return out


def test_no_import_against_the_direction_of_the_layers():
    assert _violations() == []


def test_the_check_sees_a_violation(tmp_path, monkeypatch):
    """The check can fail: a store module importing the scorer is caught."""
    fake = tmp_path / "chainmap"
    (fake / "store").mkdir(parents=True)
    (fake / "store" / "bad.py").write_text("def f():\n    from ..scoring import TargetScorer\n", encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.PACKAGE", fake)
    assert _violations() == ["chainmap/store/bad.py:2 (store) imports chainmap.scoring"]


@pytest.mark.parametrize("module", ["chainmap.analysis", "chainmap.scoring", "chainmap.store"])
def test_the_core_never_reads_the_environment(module):
    """Environment variables are read at the edge (cli, app, location, fitcache), never in the core."""
    root = PACKAGE / module.split(".")[1]
    hits = [f"{p.name}:{n.lineno}" for p in root.rglob("*.py") for n in ast.walk(ast.parse(p.read_text()))
            if isinstance(n, ast.Attribute) and n.attr == "environ"]
    assert hits == []
