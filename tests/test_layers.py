"""Dependencies run one way. From top to bottom, each layer imports only itself and the layers
below it, and the apps of one layer do not import each other:

1. the project's wiring: pulsehr/settings.py, urls.py, asgi.py, wsgi.py, celery.py;
2. pages that combine features: dashboard, developers, bench, scores;
3. the features: statuslog, kudos, workload, leave, collab;
4. employees;
5. webhooks;
6. the core: the rest of pulsehr/ (api, tenancy, …).

Every module of the product is read (not imported) and each `import`, `from … import` (at the top
or inside a function, relative ones resolved) and `include("app.urls")` is checked. A lower layer
that needs a higher one owns a registry the higher one fills from its AppConfig.ready()."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIRING = {"pulsehr.settings", "pulsehr.urls", "pulsehr.asgi", "pulsehr.wsgi", "pulsehr.celery"}
LAYER_OF_APP = {
    "dashboard": 2,
    "developers": 2,
    "bench": 2,
    "scores": 2,
    "statuslog": 3,
    "kudos": 3,
    "workload": 3,
    "leave": 3,
    "collab": 3,
    "employees": 4,
    "webhooks": 5,
    "pulsehr": 6,
}
# Deliberate: Celery's documented wiring loads the app with the package; the bench's floor is a
# project of its own, whose settings start from the product's.
ALLOWED = {("pulsehr", "pulsehr.celery"), ("bench.floor.settings", "pulsehr.settings")}


def layer(module: str) -> int | None:
    if module in WIRING or any(module.startswith(f"{name}.") for name in WIRING):
        return 1
    return LAYER_OF_APP.get(module.split(".")[0])


def product_modules():
    for app in LAYER_OF_APP:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts or "tests" in parts:
                continue
            yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def imported(module: str, path: Path, source: str | None = None) -> set[str]:
    """The project modules `module` names: imports anywhere in it, and include("…") strings."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(source if source is not None else path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            names.add(target)
            # `from pkg import module` names the module too
            names.update(f"{target}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "include" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
    return {name for name in names if layer(name) is not None}


def violations(module: str, names: set[str]) -> list[str]:
    found = []
    mine = layer(module)
    for name in sorted(names):
        theirs = layer(name)
        if mine == 1 or any(module == src and (name == dst or name.startswith(f"{dst}.")) for src, dst in ALLOWED):
            continue
        other_app = name.split(".")[0] != module.split(".")[0]
        if theirs < mine or (theirs == mine and other_app and mine in (2, 3)):
            found.append(f"{module} (layer {mine}) -> {name} (layer {theirs})")
    return found


def test_every_module_imports_only_its_own_layer_and_those_below():
    found = []
    for module, path in product_modules():
        found += violations(module, imported(module, path))
    assert found == [], "\n".join(found)


def test_the_walk_reads_the_whole_product():
    modules = dict(product_modules())
    assert {"pulsehr.tenancy.portability", "employees.services", "collab.api.views.base", "dashboard.workspace"} <= set(
        modules
    )
    assert len(modules) > 150


def check(module: str, source: str) -> list[str]:
    path = ROOT / (module.replace(".", "/") + ".py")
    return violations(module, imported(module, path, source))


def test_a_planted_upward_import_is_caught():
    """The checks themselves, on planted sources: each kind of upward import is found."""
    assert check("pulsehr.tenancy.portability", "from collab.models import Room") != []
    assert check("pulsehr.api.urls", 'urlpatterns = [path("", include("employees.api.urls"))]') != []
    assert check("employees.services", "def f():\n    from leave.models import Leave") != []
    assert check("leave.services", "from kudos import services") != []
    assert check("kudos.admin", "from dashboard.profile import employee_profile") != []
    assert check("webhooks.outbox", "from employees.models import Employee") != []
    assert check("webhooks.delivery", "from pulsehr.celery import app") != []
    assert check("dashboard.workspace", "from ..developers import views") != []
    # and the allowed directions pass
    assert (
        check("dashboard.workspace", "from leave.models import Leave\nfrom pulsehr.tenancy.context import Tenant") == []
    )
    assert check("leave.services", "from employees.models import Employee\nfrom .models import Leave") == []
    assert check("pulsehr.urls", 'include("collab.api.urls")') == []
