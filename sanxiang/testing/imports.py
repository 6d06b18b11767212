"""Reads every import of the project's apps and checks it against the one order of apps (docs/architecture.md).

An app may import only the apps before it in the order. An import is a Python `import` / `from … import`, or a
string naming a module of the project ("sanxiang.evidence.services.case_file_pack") — which is how
`import_string`, `import_module`, `include` and `mock.patch` reach a module without an import statement.

Outside the rule: the project's root modules (settings, urls, wsgi, cli, env), which assemble every app; the tests
(each app's tests/ and this testing package), which exercise the assembled project; and the allow-list below.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "sanxiang"
ROOT = Path(__file__).resolve().parent.parent
ARCHITECTURE = ROOT.parent / "docs" / "architecture.md"
MODULE_NAME = re.compile(rf"{PACKAGE}(\.\w+)+")
ORDER_LINE = re.compile(r"^\s*(\w+(?: → \w+)+)\s*$")

# (importing file, imported module) → why this import against the order is right. Keep it short.
ALLOWED: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Import:
    source: str  # the importing file, relative to the package: "cases/services/base.py"
    line: int
    target: str  # the module imported: "sanxiang.review.selectors"

    def __str__(self) -> str:
        return f"{self.source}:{self.line} imports {self.target}"


def documented_order(path: Path = ARCHITECTURE) -> list[str]:
    """The order of apps as docs/architecture.md states it: the first line of the form `core → ledger → …`."""
    for line in path.read_text(encoding="utf-8").splitlines():
        match = ORDER_LINE.match(line)
        if match:
            return match.group(1).split(" → ")
    raise ValueError(f"{path} states no order of apps (a line like `core → ledger → …`)")


def apps_in(root: Path = ROOT) -> list[str]:
    """The project's apps: the packages with an apps.py."""
    return sorted(folder.name for folder in root.iterdir() if (folder / "apps.py").exists())


def _module_of(relative: Path) -> str:
    parts = list(relative.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join([PACKAGE, *parts])


def _imports_in(source: str, relative: Path) -> Iterable[tuple[int, str]]:
    module = _module_of(relative)
    package = module if relative.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source, filename=str(relative))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == PACKAGE:  # `from sanxiang import review` imports the module sanxiang.review
                yield from ((node.lineno, f"{target}.{alias.name}") for alias in node.names)
            else:
                yield node.lineno, target
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and MODULE_NAME.fullmatch(node.value):
            yield node.lineno, node.value


def scan(root: Path = ROOT) -> list[Import]:
    """Every import of the project in every module under `root`."""
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        for line, target in _imports_in(path.read_text(encoding="utf-8"), relative):
            if target.startswith(PACKAGE + "."):
                found.append(Import(relative.as_posix(), line, target))
    return found


def _app_of_file(source: str, apps: set[str]) -> str | None:
    """The app a file belongs to, or None for the root modules and the tests, which the order does not bind."""
    parts = source.split("/")
    if len(parts) == 1 or parts[0] not in apps or "tests" in parts[1:-1]:
        return None
    return parts[0]


def _app_of_module(target: str) -> str:
    """The app a module belongs to, or the name of the root module or package ("settings", "testing")."""
    return target.split(".")[1]


def edges(imports: Iterable[Import], apps: set[str]) -> dict[tuple[str, str], list[Import]]:
    """App → app dependencies, with the imports behind each (within an app, and from files outside the rule,
    nothing)."""
    found: dict[tuple[str, str], list[Import]] = {}
    for item in imports:
        source = _app_of_file(item.source, apps)
        target = _app_of_module(item.target)
        if source is not None and target != source:
            found.setdefault((source, target), []).append(item)
    return found


def violations(imports: Iterable[Import], order: list[str], apps: set[str], allowed: dict = ALLOWED) -> list[Import]:
    """The imports against the order: of a later app, of an app the order does not place, or of the project's
    root modules or its test helpers from an app."""
    rank = {app: index for index, app in enumerate(order)}
    wrong = []
    for (source, target), items in edges(imports, apps).items():
        if target in rank and source in rank and rank[target] < rank[source]:
            continue
        wrong += [item for item in items if (item.source, item.target) not in allowed]
    return sorted(wrong, key=lambda item: (item.source, item.line))


def loops(imports: Iterable[Import], apps: set[str]) -> list[list[str]]:
    """The groups of apps that depend on each other in a circle (strongly connected, more than one app)."""
    graph: dict[str, set[str]] = {}
    for source, target in edges(imports, apps):
        graph.setdefault(source, set()).add(target)
        graph.setdefault(target, set())
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node: str) -> None:  # Tarjan's algorithm
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for neighbour in sorted(graph[node]):
            if neighbour not in index:
                visit(neighbour)
                low[node] = min(low[node], low[neighbour])
            elif neighbour in on_stack:
                low[node] = min(low[node], index[neighbour])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)
