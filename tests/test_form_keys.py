"""No module outside ``parsers/forms/dkres.toml`` names a field of the DKRES form.

Every output — the lists for the resolution, the digest, the workspace, the exports — and the
pipeline take a form's fields from its spec (``[form]``, :mod:`mailbot.form_roles`): a call
with another form must never come out blank because code picked ``full_name`` out of its
values. This greps ``mailbot/`` (Python string literals, docstrings aside) and ``templates/``
(quoted names, attributes and items) for the DKRES form's keys.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: the DKRES form's keys that are not also an ordinary word of the code (e-mail, phone and
#: address are kinds of field and words of mail, not one form's fields)
DKRES_KEYS = (
    "full_name",
    "organisation",
    "organisation_type",
    "position",
    "groups",
    "experience",
    "accepts_rules",
    "consents_gdpr",
    "place_and_date",
)
#: keys found anywhere in a string (nothing else is spelt so)
DISTINCT = tuple(k for k in DKRES_KEYS if "_" in k)
#: the same words meaning something else, each with why
ALLOWED: dict[tuple[str, str], str] = {
    ("mailbot/config/model.py", "groups"): "the call's [[call.groups]] table",
    ("mailbot/config/model.py", "position"): "[call.office] position: the signing employee's",
    ("mailbot/config/sections.py", "groups"): "the call's [[call.groups]] table",
    ("mailbot/config/sections.py", "position"): "[call.office] position: the signing employee's",
    ("mailbot/pipeline/replies.py", "groups"): "the letters' call.groups: the call's groups",
}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _reading_type(tree: ast.AST) -> set[int]:
    """``f.type == "groups"``: the older name of the choice *type*, not a field's key."""
    found = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Compare)
            and isinstance(node.left, ast.Attribute)
            and node.left.attr == "type"
        ):
            found.update(id(c) for c in node.comparators if isinstance(c, ast.Constant))
    return found


def python_hits(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree) | _reading_type(tree)
    rel = path.relative_to(root).as_posix()
    hits: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if id(node) in skip:
            continue
        text = node.value
        named = {k for k in DKRES_KEYS if text == k}
        named |= {k for k in DISTINCT if re.search(rf"(?<![a-z0-9_]){k}(?![a-z0-9_])", text)}
        hits += [(node.lineno, k) for k in sorted(named) if (rel, k) not in ALLOWED]
    return [f"{rel}:{line}: {k!r}" for line, k in sorted(hits)]


def template_hits(path: Path, root: Path = ROOT) -> list[str]:
    rel = path.relative_to(root).as_posix()
    hits = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for key in DKRES_KEYS:
            quoted = rf"""["']{key}["']"""
            attribute = rf"\.{key}(?![\w])"
            if re.search(f"{quoted}|{attribute}", line):
                hits.append(f"{rel}:{number}: {key!r}")
    return hits


def test_the_dkres_keys_are_the_built_in_forms() -> None:
    """The list above is the DKRES form's own (it must not drift from dkres.toml)."""
    form = tomllib.loads((ROOT / "parsers/forms/dkres.toml").read_text(encoding="utf-8"))
    keys = {f["key"] for f in form["form"]["fields"]}
    assert set(DKRES_KEYS) <= keys


def test_no_module_names_a_dkres_field() -> None:
    hits = [h for p in sorted((ROOT / "mailbot").rglob("*.py")) for h in python_hits(p)]
    assert hits == [], "a DKRES field named outside parsers/forms/dkres.toml"


def test_no_template_names_a_dkres_field() -> None:
    templates = sorted(p for p in (ROOT / "templates").rglob("*") if p.suffix in (".j2", ".html"))
    hits = [h for p in templates for h in template_hits(p)]
    assert hits == [], "a DKRES field named in a template"


def test_the_check_finds_what_it_looks_for(tmp_path: Path) -> None:
    """The checks above are only as good as their patterns."""
    module = tmp_path / "probe.py"
    module.write_text(
        '"""full_name in a docstring is prose."""\n'
        'NAME = fields.get("full_name")\n'
        "PATH = \"json_extract(summary, '$.consents_gdpr')\"\n"
        'CHOICE = f.type == "groups"\n'
        'CODE = "missing_consents_gdpr_x"\n',
        encoding="utf-8",
    )
    template = tmp_path / "probe.j2"
    template.write_text("{{ m.organisation }} {{ a.fields['experience'] }}\n", encoding="utf-8")
    found = python_hits(module, tmp_path)
    assert [h.rsplit(": ", 1)[1] for h in found] == ["'full_name'", "'consents_gdpr'"]
    assert [h.rsplit(": ", 1)[1] for h in template_hits(template, tmp_path)] == [
        "'organisation'",
        "'experience'",
    ]
