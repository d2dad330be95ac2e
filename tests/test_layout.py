"""The architecture rule of mailbot/README.md, enforced: who may import whom, no import cycles,
SQL only in mailbot.storage (a ratchet for the modules that still hold some)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# layer -> the layers it may import (a layer always may import itself and the core)
ALLOWED: dict[str, set[str]] = {
    "parsers": set(),
    "mailbot": {"parsers"},  # the core: errors, names, config, models, logs
    "mailbot.storage": {"parsers"},
    "mailbot.mail": {"parsers", "mailbot.storage"},
    "mailbot.pipeline": {"parsers", "mailbot.storage", "mailbot.mail.mime"},
    "mailbot.ops": {"parsers", "mailbot.storage", "mailbot.mail", "mailbot.pipeline"},
    "mailbot.web": {
        "parsers",
        "mailbot.storage",
        "mailbot.mail",
        "mailbot.pipeline",
        "mailbot.ops",
    },
    "mailbot.cli": {"*"},
}
CORE_MAY_IMPORT = {"mailbot.mail.mime"}  # models carry the attached files mime finds


def _modules() -> dict[str, Path]:
    found = {}
    for base in ("mailbot", "parsers"):
        for path in (ROOT / base).rglob("*.py"):
            rel = path.relative_to(ROOT).with_suffix("")
            parts = list(rel.parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _layer(module: str) -> str:
    if module in ("mailbot.cli", "mailbot.__main__") or module.startswith("mailbot.cli_"):
        return "mailbot.cli"
    parts = module.split(".")
    if parts[0] == "parsers":
        return "parsers"
    if len(parts) >= 2 and parts[1] in {"storage", "mail", "pipeline", "ops", "web"}:
        return f"mailbot.{parts[1]}"
    return "mailbot"


def _imports(module: str, path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # "from pkg import mod" imports pkg.mod (resolved up to pkg when it is a name)
            out.update(f"{target}.{a.name}" for a in node.names)
    return {name for name in out if name.split(".")[0] in {"mailbot", "parsers"}}


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        targets = {_resolve(n, modules) for n in _imports(module, path)}
        graph[module] = {t for t in targets if t and t != module}
    return graph


def _allowed(src: str, dst: str) -> bool:
    src_layer, dst_layer = _layer(src), _layer(dst)
    allowed = ALLOWED[src_layer]
    if "*" in allowed or src_layer == dst_layer:
        return True
    if dst_layer == "mailbot" and src_layer != "parsers":
        return True  # everyone in mailbot may use the core
    if src_layer == "mailbot" and dst in CORE_MAY_IMPORT:
        return True
    return any(dst == a or dst.startswith(a + ".") for a in allowed)


def test_every_import_follows_the_layer_rule() -> None:
    graph = _graph()
    wrong = sorted(
        f"{src} imports {dst}"
        for src, dsts in graph.items()
        for dst in dsts
        if not _allowed(src, dst)
    )
    assert wrong == []


def test_no_import_cycles() -> None:
    graph = _graph()
    # package __init__ modules re-export their children: edges into a package are not cycles
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt.startswith(node + "."):
                continue
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert cycles == []


SQL = re.compile(
    r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"
    r"CREATE\s+(TABLE|INDEX)|PRAGMA)\b",
    re.I | re.S,
)


def _sql_statements() -> dict[str, int]:
    found: dict[str, int] = {}
    for module, path in _modules().items():
        if _layer(module) == "mailbot.storage":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and SQL.search(node.value)
            ):
                found[module] = found.get(module, 0) + 1
    return found


def test_only_storage_writes_sql() -> None:
    assert _sql_statements() == {}, "SQL belongs in mailbot.storage"


def test_the_sql_check_finds_sql() -> None:
    """The check above is only as good as its pattern: it must see the statements storage has."""
    found = 0
    for module, path in _modules().items():
        if _layer(module) != "mailbot.storage":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found += bool(SQL.search(node.value))
    assert found > 50


#: the most lines a module of mailbot/ or parsers/ may have
MAX_LINES = 500
#: modules over the limit while they are being split elsewhere (each must still be over it:
#: a module that shrank below the limit is taken off this list)
OVER_LIMIT_FOR_NOW: set[str] = set()


def _line_counts() -> dict[str, int]:
    return {
        module: len(path.read_text(encoding="utf-8").splitlines())
        for module, path in _modules().items()
    }


def test_no_module_is_over_500_lines() -> None:
    counts = _line_counts()
    over = {m: n for m, n in counts.items() if n > MAX_LINES and m not in OVER_LIMIT_FOR_NOW}
    assert over == {}, f"split these modules by concern (at most {MAX_LINES} lines each)"
    stale = {m for m in OVER_LIMIT_FOR_NOW if counts.get(m, 0) <= MAX_LINES}
    assert stale == set(), "these modules are within the limit now: take them off the list"


def test_the_size_check_counts_lines() -> None:
    counts = _line_counts()
    assert len(counts) > 100 and counts["mailbot.config"] > 10
    assert counts["mailbot.ops.review"] > MAX_LINES or "mailbot.ops.review" not in (
        OVER_LIMIT_FOR_NOW
    )


# -- a test file per module --------------------------------------------------------------------
# tests/ mirrors the package (tests/README.md): mailbot/ops/review.py is tested in
# tests/mailbot/ops/test_review.py (or test_review_<aspect>.py beside it), a package's __init__.py
# in tests/<package>/test_<package>.py, parsers/ocr/reading.py in tests/parsers/ocr/test_reading.py.

#: modules that hold only names and data (no function, no class): nothing of their own to test
PURE_DATA: dict[str, str] = {
    "mailbot/web/labels.py": "the workspace's Polish names of stored keys (tests/mailbot/web/)",
}

WEB = "a blueprint: its pages are tested through the Flask client in tests/web/ (test_routes.py)"

#: modules with logic that have no test file at the mirrored place yet, and where they are tested
#: today. The list only shrinks: a module that gets its test file leaves it, a new module is not
#: added to it (write its test file instead).
TESTED_ELSEWHERE: dict[str, str] = {
    "parsers/ocr/blobs.py": "the pen strokes around a box: tests/parsers/ocr/test_ticks.py",
    "mailbot/cli_errors.py": "the English lines of every code: tests/mailbot/test_errors.py",
    "mailbot/mail/imap_session.py": "split out of imap.py: tests/integration/test_imap_errors.py",
    "mailbot/ops/review/attention.py": "from ops/review.py: tests/mailbot/ops/test_review.py",
    "mailbot/ops/review/decisions.py": "from ops/review.py: tests/mailbot/ops/test_review.py",
    "mailbot/ops/review/fields.py": "from ops/review.py: tests/mailbot/ops/test_review.py",
    "mailbot/ops/review/files.py": "split out of ops/review.py: tests/web/test_routes.py (preview)",
    "mailbot/ops/review/labels.py": "split out of ops/review.py: tests/web/test_no_raw_text.py",
    "mailbot/pipeline/relevance/english.py": "test_vocabulary_own_words.py (mail in English)",
    "mailbot/pipeline/relevance/purposes.py": "test_vocabulary_own_words.py, test_signals.py",
    "mailbot/pipeline/relevance/stems.py": "test_signals.py, test_vocabulary_own_words.py",
    "mailbot/cli_review.py": "run in tests/mailbot/ops/test_review.py (review list, show, ...)",
    "mailbot/cli_withdraw.py": "run in tests/mailbot/ops/test_withdrawals.py (review withdraw)",
    "mailbot/mail/history.py": "tested through tests/mailbot/storage/test_learning.py",
    "mailbot/mail/oauth2.py": "tested through tests/mailbot/mail/test_imap.py",
    "mailbot/mail/outbox.py": "tested through tests/integration/test_outbox.py",
    "mailbot/mail/readback.py": "through ops/resync.py",
    "mailbot/mail/sentfolder.py": "tested through tests/mailbot/mail/test_imap.py",
    "mailbot/mail/sources.py": "tested through tests/mailbot/mail/test_imap.py",
    "mailbot/mail/transport.py": "tested through tests/integration/test_outbox.py",
    "mailbot/ops/answers.py": "tested through tests/mailbot/ops/test_review.py",
    "mailbot/ops/check.py": "tested through tests/integration/test_check.py (mailbot check)",
    "mailbot/ops/demo.py": "tested through tests/web/ (every workspace test starts from the demo)",
    "mailbot/ops/export.py": "tested through tests/mailbot/ops/test_jobs.py, tests/integration/",
    "mailbot/ops/learn.py": "tested through tests/mailbot/storage/test_learning.py",
    "mailbot/ops/list_xlsx.py": "through web/zgloszenia_xlsx.py",
    "mailbot/ops/live_mail.py": "through ops/reclassify.py, web/wiadomosc.py",
    "mailbot/ops/ocr_jobs.py": "tested through tests/web/browser/test_browser_scan.py",
    "mailbot/ops/overview.py": "tested through tests/mailbot/test_names.py",
    "mailbot/ops/reclassify.py": "tested through tests/web/test_live_mail.py",
    "mailbot/ops/reprocess.py": "through ops/jobs.py, ops/live_mail.py, ops/reclassify.py",
    "mailbot/ops/resync.py": "through mail/outbox.py, mail/sentfolder.py, ops/backup.py",
    "mailbot/ops/teach.py": "tested through tests/mailbot/ops/test_review.py",
    "mailbot/ops/worker.py": "tested through tests/mailbot/mail/test_imap.py",
    "mailbot/pipeline/context.py": "tested through tests/mailbot/pipeline/test_compose.py",
    "mailbot/pipeline/record.py": "tested through tests/mailbot/pipeline/test_compose.py",
    "mailbot/pipeline/relevance/__init__.py": "tested through tests/relevance_evidence.py",
    "mailbot/pipeline/relevance/evidence.py": "through pipeline/relevance/__init__.py",
    "mailbot/pipeline/relevance/files.py": "through pipeline/relevance/signals.py",
    "mailbot/pipeline/relevance/learned.py": "through pipeline/record.py, pipeline/stages.py",
    "mailbot/pipeline/relevance/rule.py": "through pipeline/relevance/files.py",
    "mailbot/pipeline/replies.py": "tested through tests/letters.py, tests/test_templates.py",
    "mailbot/web/app.py": WEB,
    "mailbot/web/context.py": WEB,
    "mailbot/web/do_zrobienia.py": WEB,
    "mailbot/web/events.py": WEB,
    "mailbot/web/lista.py": WEB,
    "mailbot/web/notatki.py": WEB,
    "mailbot/web/odpowiedz.py": WEB,
    "mailbot/web/pulpit.py": WEB,
    "mailbot/web/wiadomosc.py": WEB,
    "mailbot/web/wiadomosci.py": WEB,
    "mailbot/web/wycofanie.py": WEB,
    "mailbot/web/zalatwione.py": WEB,
    "mailbot/web/zdecyduj.py": WEB,
    "mailbot/web/zgloszenia.py": WEB,
    "mailbot/web/zgloszenie.py": WEB,
    "parsers/ocr/__init__.py": "tested through tests/parsers/ocr/accuracy.py",
    "parsers/ocr/pages.py": "through parsers/ocr/reading.py",
    "parsers/ocr/tesseract.py": "through parsers/ocr/__init__.py, parsers/ocr/pages.py",
    "parsers/ocr/words.py": "tested through tests/parsers/ocr/test_spacing.py",
}


def _mirrored_tests(path: Path) -> list[Path]:
    rel = path.relative_to(ROOT)
    if rel.name == "__init__.py":
        folder, name = ROOT / "tests" / rel.parent, rel.parent.name
    else:
        folder, name = ROOT / "tests" / rel.parent, rel.stem
    aspects = [  # test_zgloszenia_xlsx.py is web/zgloszenia_xlsx.py's, not web/zgloszenia.py's
        test
        for test in folder.glob(f"test_{name}_*.py")
        if not (ROOT / rel.parent / f"{test.stem.removeprefix('test_')}.py").exists()
    ]
    return sorted({*folder.glob(f"test_{name}.py"), *aspects})


def _defines_something(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        for node in tree.body
    )


def _only_imports(path: Path) -> bool:
    """A package's __init__.py with a docstring, imports and __all__ only."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the docstring
        if isinstance(node, ast.Assign) and [getattr(t, "id", "") for t in node.targets] == [
            "__all__"
        ]:
            continue
        return False
    return True


def _needing_a_test() -> dict[str, Path]:
    needing = {}
    for path in sorted(_modules().values()):
        key = path.relative_to(ROOT).as_posix()
        if path.name == "__main__.py" or key in PURE_DATA:
            continue
        if path.name == "__init__.py" and _only_imports(path):
            continue
        needing[key] = path
    return needing


def test_every_module_has_its_test_file() -> None:
    missing = [
        f"{key} -> {_mirrored(path)}"
        for key, path in _needing_a_test().items()
        if not _mirrored_tests(path) and key not in TESTED_ELSEWHERE
    ]
    assert not missing, "modules without a test file at the mirrored place:\n" + "\n".join(missing)


def _mirrored(path: Path) -> str:
    rel = path.relative_to(ROOT)
    name = rel.parent.name if rel.name == "__init__.py" else rel.stem
    return (Path("tests") / rel.parent / f"test_{name}.py").as_posix()


def test_the_lists_of_modules_without_a_test_file_are_current() -> None:
    needing = _needing_a_test()
    stale = [key for key in TESTED_ELSEWHERE if key not in needing]
    tested = [
        key for key, path in needing.items() if key in TESTED_ELSEWHERE and _mirrored_tests(path)
    ]
    data = [key for key in PURE_DATA if _defines_something(ROOT / key)]
    assert not stale, f"TESTED_ELSEWHERE names modules that are gone or need no test: {stale}"
    assert not tested, f"these have their test file now, take them off TESTED_ELSEWHERE: {tested}"
    assert not data, f"PURE_DATA names modules that define functions or classes: {data}"


def test_the_mirror_check_finds_test_files_where_they_belong() -> None:
    classify = ROOT / "mailbot" / "pipeline" / "classify.py"
    assert _mirrored_tests(classify) == [ROOT / "tests/mailbot/pipeline/test_classify.py"]
    assert _mirrored_tests(ROOT / "parsers" / "ocr" / "reading.py")
    # an aspect file, and a file that belongs to another module
    assert ROOT / "tests/mailbot/pipeline/test_validate_codes.py" in _mirrored_tests(
        ROOT / "mailbot" / "pipeline" / "validate.py"
    )
    assert ROOT / "tests/mailbot/web/test_zgloszenia_xlsx.py" not in _mirrored_tests(
        ROOT / "mailbot" / "web" / "zgloszenia.py"
    )
    assert _mirrored(ROOT / "parsers" / "ocr" / "__init__.py") == "tests/parsers/ocr/test_ocr.py"
    assert not _defines_something(ROOT / "mailbot" / "web" / "labels.py")
    assert _only_imports(ROOT / "mailbot" / "web" / "__init__.py")
    assert not _only_imports(ROOT / "parsers" / "__init__.py")
