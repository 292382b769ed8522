"""The computation core stays pure: numpy/scipy (and the HiGHS MILP solver), never Django nor the rest of OASIS."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "oasis" / "core"
ALLOWED = {
    "numpy",
    "scipy",
    "highspy",
    "__future__",
    "math",
    "dataclasses",
    "typing",
    "collections",
    "functools",
    "itertools",
    "oasis",
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_imports_only_numerical_libraries_and_itself():
    files = list(CORE.rglob("*.py"))
    assert files
    for path in files:
        for module in imported_modules(path):
            top = module.split(".")[0]
            assert top in ALLOWED, f"{path.name} imports {module}"
            if top == "oasis":
                assert module.startswith("oasis.core"), f"{path.name} imports {module} outside the core"


WEB_LAYERS = {"www", "api"}


def test_domain_apps_never_import_the_web_layer():
    package = CORE.parent
    for app in sorted(path for path in package.iterdir() if path.is_dir() and path.name not in WEB_LAYERS | {"core"}):
        for path in app.rglob("*.py"):
            for module in imported_modules(path):
                assert not module.startswith(("oasis.www", "oasis.api")), f"{path.relative_to(package)} imports {module}"


def test_the_verdict_sits_above_the_official_references_and_the_model():
    """``oasis.verdicts`` reads both; the references' reading services never reach into the model or the verdict."""
    package = CORE.parent
    verdict_imports = set().union(*(imported_modules(path) for path in (package / "verdicts").rglob("*.py")))
    assert any(module.startswith("oasis.references") for module in verdict_imports)
    assert any(module.startswith("oasis.accessibility") for module in verdict_imports)
    for path in [package / "references" / "services.py", *(package / "accessibility").rglob("*.py")]:
        for module in imported_modules(path):
            assert not module.startswith("oasis.verdicts"), f"{path.relative_to(package)} imports {module}"
    for module in imported_modules(package / "references" / "services.py"):
        assert not module.startswith("oasis.accessibility"), f"references/services.py imports {module}"
