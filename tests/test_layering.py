"""Imports run only downward: config → {public, staff, api, seeding} → notices → followup → activities → promises.

Every module of the portal is read with ``ast`` (no import runs), and each import of a portal module is checked
against the importer's layer: a module may import its own app and the layers below it, never a layer above, and
never a sibling site (public, staff, api and seeding know nothing of each other). Imports inside functions count
too: an import put off until it runs is still a dependency. ``ops/`` (the drills and the benchmark) sits above
everything and nothing may import it.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

LAYERS = {
    "promises": 1,
    "activities": 2,
    "followup": 3,
    # Notices and reminders to staff and citizens: built on the follow-up, used by the sites.
    "notices": 4,
    "public": 5,
    "staff": 5,
    "api": 5,
    "seeding": 5,
    "config": 6,
    "ops": 7,
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, *, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in ``source``, relative ones resolved against ``module``."""
    found = []
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module
            found.append((node.lineno, name))
            if node.module is None:
                # "from . import views" imports the module views: count it by its full name.
                found += [(node.lineno, f"{name}.{alias.name}") for alias in node.names]
    return found


def violations_in(path: Path, source: str | None = None) -> list[str]:
    """Every import in the file at ``path`` that runs upward or sideways, as "file:line imports module"."""
    module = _module_name(path)
    own = module.split(".")[0]
    source = path.read_text() if source is None else source
    problems = []
    for line, name in imported_modules(source, module, is_package=path.name == "__init__.py"):
        target = name.split(".")[0]
        if target == own or target not in LAYERS:
            continue
        if LAYERS[target] >= LAYERS[own]:
            problems.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return sorted(set(problems))


def portal_modules():
    for app in LAYERS:
        yield from sorted((ROOT / app).rglob("*.py"))


def test_every_import_runs_downward():
    problems = [problem for path in portal_modules() for problem in violations_in(path)]
    assert problems == []


def _import_graph():
    """{module: the portal modules it imports}, each name resolved to a module that exists."""
    modules = {_module_name(path): path for path in portal_modules()}
    graph = {}
    for module, path in modules.items():
        targets = set()
        for _line, name in imported_modules(path.read_text(), module, is_package=path.name == "__init__.py"):
            # "from x.y import z" names the module x.y.z when there is one, else the module x.y.
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.add(name)
        graph[module] = targets
    return graph


def test_no_two_modules_import_each_other():
    graph = _import_graph()
    cycles = []
    state = {}

    def visit(module, trail):
        state[module] = "open"
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                cycles.append(" → ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_every_app_is_given_a_layer():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")} | {"config", "ops"}
    assert apps <= set(LAYERS), "an app without a layer: add it to LAYERS"


@pytest.mark.parametrize(
    ("path", "source"),
    [
        # The upward imports the layout issue found, as they were written.
        ("promises/selectors.py", "from activities.models import Activity, PlannedEvent\n"),
        ("promises/apps.py", "def ready(self):\n    from config import security_log\n"),
        ("activities/models.py", "def is_locked(self):\n    from followup.models import TertialReport\n"),
        ("promises/urls.py", "from activities import calendar\n"),
        ("followup/feeds.py", "from public import selectors\n"),
        # And sideways between the sites.
        ("staff/views/x.py", "from public.page_cache import cached_public_page\n"),
        ("api/views.py", "from staff import access\n"),
        ("followup/services.py", "from notices import services\n"),
        ("public/views.py", "from ..staff import access\n"),
    ],
)
def test_the_check_catches_an_upward_or_sideways_import(path, source):
    assert violations_in(ROOT / path, source), f"{path} should be refused"


def test_the_check_lets_downward_and_own_imports_pass():
    source = "from promises.models import Promise\nfrom . import selectors\nfrom .models import Activity\n"
    assert violations_in(ROOT / "activities/forms.py", source) == []
    assert violations_in(ROOT / "config/urls.py", "from staff.urls import activities_urls\n") == []
