"""The shape of the code (docs/architecture.md): the layers import only downwards, and no project module takes part
in an import circle, counting imports made inside functions too (a late import is how a circle hides)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ('core', 'components', 'pages', 'bench')


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix('').parts
    return '.'.join(parts[:-1] if parts[-1] == '__init__' else parts)


def project_modules() -> dict[str, Path]:
    found = {module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob('*.py')}
    found['main'] = ROOT / 'main.py'
    return found


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Every project module `name` imports, anywhere in the file (top level, functions, TYPE_CHECKING blocks
    excepted: those never run). `from package import module` counts as importing the module."""
    tree = ast.parse(path.read_text(encoding='utf-8'))
    is_package = path.name == '__init__.py'
    skipped = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and 'TYPE_CHECKING' in ast.unparse(node.test)
        for child in node.body
        for n in ast.walk(child)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level:
                anchor = name.split('.') if is_package else name.split('.')[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = '.'.join([*anchor, base] if base else anchor)
            for alias in node.names:
                candidate = f'{base}.{alias.name}'
                found.add(candidate if candidate in known else base)
    return {m for m in found if m in known and m != name}


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    known = set(modules)
    return {name: imports_of(name, path, known) for name, path in modules.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_circles():
    assert circles(import_graph()) == []


def test_the_circle_finder_finds_a_circle():
    assert circles({'a': {'b'}, 'b': {'c'}, 'c': {'a'}, 'd': {'a'}}) == [['a', 'b', 'c']]


def test_the_layers_import_only_downwards():
    """core knows no UI; components know no pages; nothing but main imports bench."""
    graph = import_graph()
    wrong = [
        f'{source} imports {target}'
        for source, targets in graph.items()
        for target in targets
        if (source.startswith('core') and target.split('.')[0] in ('components', 'pages', 'main'))
        or (source.startswith('components') and target.split('.')[0] == 'pages')
        or (target.startswith('bench') and not source.startswith('bench'))
    ]
    assert wrong == []


def screen_to_screen(graph: dict[str, set[str]]) -> list[str]:
    """Page modules that import another screen's module. Allowed: the shared page base and error pages
    (`pages._base`, `pages.errors`), a package's own private pieces (`pages.survey._invites`), and a package's
    `__init__` registering its screens. What several screens show belongs in components/."""

    def shared(target: str) -> bool:
        leaf = target.rsplit('.', 1)[-1]
        return target in ('pages', 'pages._base', 'pages.errors') or leaf.startswith('_')

    return [
        f'{source} imports {target}'
        for source, targets in graph.items()
        if source.startswith('pages.')
        for target in targets
        if target.startswith('pages.')
        and not shared(target)
        and not (target.rsplit('.', 1)[0] == source and project_modules()[source].name == '__init__.py')
    ]


def test_a_screen_imports_no_other_screen():
    assert screen_to_screen(import_graph()) == []


def test_the_screen_check_sees_a_screen_importing_another():
    graph = {'pages.home': {'pages.auth', 'pages._base'}, 'pages.survey': {'pages.survey.rounds'}}
    assert screen_to_screen(graph) == ['pages.home imports pages.auth']


MAX_FUNCTION_LINES = 60  # pages are small controllers (docs/architecture.md): a longer function is split


def long_functions(root: Path = ROOT, packages: tuple[str, ...] = ('pages', 'components')) -> list[str]:
    """Every function or method in `packages` longer than MAX_FUNCTION_LINES, decorators not counted."""
    found = []
    for package in packages:
        for path in sorted((root / package).rglob('*.py')):
            for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    lines = node.end_lineno - node.lineno + 1
                    if lines > MAX_FUNCTION_LINES:
                        found.append(f'{path.relative_to(root).as_posix()}:{node.lineno} {node.name} ({lines} lines)')
    return found


def test_no_function_in_the_pages_or_components_is_longer_than_60_lines():
    assert long_functions() == []


def test_the_length_check_sees_a_long_function(tmp_path):
    body = '\n'.join(f'    x{n} = {n}' for n in range(MAX_FUNCTION_LINES))
    (tmp_path / 'pages').mkdir()
    (tmp_path / 'pages' / 'long.py').write_text(f'def long():\n{body}\n', encoding='utf-8')
    assert long_functions(tmp_path, ('pages',)) == ['pages/long.py:1 long (61 lines)']
