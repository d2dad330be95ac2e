"""How parsers' modules import each other: no cycle, nothing from mailbot, and the readers'
libraries only when a file needs them."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

from parsers_testlib import REPO

PACKAGE = REPO / "parsers"


def imports_of(path) -> set[str]:
    """The parsers/mailbot modules a file imports anywhere (inside functions too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "parsers":
                found |= {
                    f"parsers.{a.name}" for a in node.names if (PACKAGE / f"{a.name}.py").exists()
                }
            else:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return {m for m in found if m.split(".")[0] in ("parsers", "mailbot")}


GRAPH = {
    f"parsers.{p.stem}": imports_of(p) - {f"parsers.{p.stem}"}
    for p in PACKAGE.glob("*.py")
    if p.stem != "__init__"
}


def test_parsers_import_nothing_from_mailbot() -> None:
    assert {m: sorted(d) for m, d in GRAPH.items() if any(x.startswith("mailbot") for x in d)} == {}


def test_no_import_cycle_inside_parsers() -> None:
    def reachable(start: str) -> set[str]:
        seen: set[str] = set()
        todo = [start]
        while todo:
            for dep in GRAPH.get(todo.pop(), ()):
                if dep not in seen:
                    seen.add(dep)
                    todo.append(dep)
        return seen

    assert [m for m in GRAPH if m in reachable(m)] == []


def loaded_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return set(json.loads(out.stdout.splitlines()[-1]))


READERS = {"lxml", "pypdf", "rapidfuzz", "zipfile", "difflib", "parsers.core", "parsers.text"}


def test_import_parsers_loads_no_reader() -> None:
    assert loaded_after("import parsers") & READERS == set()
    assert (
        loaded_after("from parsers import FormSpec, ParseLimits, Extraction, FIELD_KEYS, sniff")
        & READERS
        == set()
    )


def test_readers_load_on_first_use() -> None:
    docx = (REPO / "mailbot" / "assets" / "formularz-zgloszeniowy.docx").as_posix()
    loaded = loaded_after(f"import parsers\nparsers.extract(open({docx!r}, 'rb').read())")
    assert {"lxml", "rapidfuzz", "parsers.docx"} <= loaded
    assert not {"pypdf", "parsers.pdf"} & loaded
