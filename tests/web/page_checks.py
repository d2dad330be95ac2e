"""What every page of the workspace must pass, as a person (and a screen reader) meets it:

- axe-core finds no violation of WCAG 2.1 A/AA, nor of the best-practice rules the call's
  audit named (unique landmarks, one main landmark, content in landmarks, a skip link that
  works, one first-level heading);
- no raw key, ``None``, ``[…]`` or English status, event or reason in what it shows or says
  (the visible text, and the names and descriptions a screen reader reads);
- a long word does not widen the page (nothing scrolls sideways at 1366 px) nor squeeze a
  table's other columns to a few letters;
- a right-to-left override in a name or any text a person sent is isolated (``<bdi>`` or
  ``dir="auto"`` around that value alone);
- every error said on a page with fields is tied to a field (``aria-describedby``), and every
  field marked ``aria-invalid`` is described.

Used by the browser tests and (the text rule) by the test-client tests."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path

import pytest

AXE_JS = Path(
    os.environ.get("MAILBOT_AXE_JS") or "/opt/mailbot-axe/node_modules/axe-core/axe.min.js"
)
WCAG_TAGS = {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}
#: best-practice rules beyond the WCAG tags that the workspace must pass too
EXTRA_RULES = {
    "landmark-unique",
    "landmark-one-main",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-no-duplicate-main",
    "landmark-banner-is-top-level",
    "landmark-contentinfo-is-top-level",
    "landmark-main-is-top-level",
    "region",
    "skip-link",
    "page-has-heading-one",
    "heading-order",
    "scrollable-region-focusable",
    "aria-allowed-role",
    "empty-heading",
    "empty-table-header",
}
CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def axe(driver) -> tuple[list[dict], list[dict]]:
    """(violations that count, every other violation axe reports) on the page shown."""
    if not AXE_JS.is_file():
        message = f"axe-core not found at {AXE_JS} (npm install --prefix /opt/mailbot-axe axe-core)"
        if CI:
            pytest.fail(message)
        pytest.skip(message)
    if not driver.execute_script("return typeof window.axe !== 'undefined'"):
        driver.execute_script(AXE_JS.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(r.violations)).catch(e => done([{id: 'axe-error', help: String(e),"
        " tags: ['wcag2a'], nodes: []}]));"
    )
    counted, other = [], []
    for v in result:
        shown = {
            "id": v["id"],
            "impact": v.get("impact"),
            "help": v.get("help"),
            "nodes": [n.get("html", "")[:300] for n in v.get("nodes", [])][:5],
        }
        if WCAG_TAGS & set(v.get("tags", ())) or v["id"] in EXTRA_RULES:
            counted.append(shown)
        else:
            other.append(shown)
    return counted, other


# --- no raw text -----------------------------------------------------------------------------

#: Python and English that must never reach the coordinator
ENGLISH = {
    "None",
    "True",
    "False",
    "null",
    "undefined",
    "NaN",
    "Traceback",
    "Exception",
    "Internal",
    "Server",
    "Error",
    "Not",
    "Found",
    "Method",
    "Allowed",
    "Bad",
    "Request",
    "Forbidden",
    "Unauthorized",
    "Entity",
    "Large",
    "error",
    "email",
    "groups",
    "reason",
    "detail",
    "signal",
    "weight",
    "message",
    "application",
    "reply",
    "handled",
    "pending",
    "unknown",
    "missing",
    "yes",
    "no",
}
#: English-looking words a page may show: formats, programs, the product's name
ALLOWED = {
    "PDF",
    "DOCX",
    "XLSX",
    "CSV",
    "ODT",
    "DOC",
    "OCR",
    "SVG",
    "Excel",
    "Word",
    "LibreOffice",
    "Tesseract",
    "mailbot",
    "DKRES",
    "KB",
    "MB",
    "RRRR",
    "MM",
    "DD",
    "Re",
    "Fw",
    "Fwd",
    "status",
    "Status",
}
_ADDRESS = re.compile(r"[\w.+\-\u202e]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)
_URL = re.compile(r"https?://\S+")
_FILE = re.compile(r"[\w\-.]+\.(?:pdf|docx?|odt|rtf|xlsx|csv|jpe?g|png|heic|eml|txt)\b", re.I)
_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BRACKETS = re.compile(r"\[[^\]]*\]|\{[^}]*\}|->")


def stored_keys(form_keys: Iterable[str] = ()) -> set[str]:
    """Every key mailbot stores or names in code: the values of :mod:`mailbot.names`, the keys
    of the workspace's label tables, the form's field keys."""
    from mailbot import names
    from mailbot.ops import prefill, review
    from mailbot.web import errors, labels

    keys: set[str] = set(form_keys)
    for value in vars(names).values():
        if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum:
            keys |= {m.value for m in value}
    for table in (
        labels.EVENT_LABELS,
        labels.REPLY_STATE_LABELS,
        labels.HANDLED_LABELS,
        labels.DISPOSITION_LABELS,
        review.ATTENTION_LABELS,
        review.STATUS_LABELS,
        review.PROBLEM_TEXTS,
        prefill.REASON_TEXT_PL,
        errors.REFUSALS,
    ):
        keys |= set(table)
    return {k for k in keys if k not in ALLOWED}


def raw_words(text: str, keys: set[str], data: Iterable[str] = ()) -> list[str]:
    """The raw keys, Python values, brackets and English words in a page's text (``data``:
    strings a sender wrote that the page rightly shows as written)."""
    for piece in sorted(data, key=len, reverse=True):
        text = text.replace(piece, " ")
    text = _URL.sub(" ", text)
    text = _ADDRESS.sub(" ", text)
    text = _FILE.sub(" ", text)
    found = [m.group(0) for m in _BRACKETS.finditer(text)]
    for token in _TOKEN.findall(text):
        if token in ALLOWED:
            continue
        if token in keys or token in ENGLISH or ("_" in token.strip("_") and token.islower()):
            found.append(token)
    return found


#: the text a person meets on the page: what is shown, and what a screen reader says
SAID_JS = """
const parts = [document.title, document.body.innerText];
for (const el of document.querySelectorAll('[aria-label], [title], [alt], [placeholder]')) {
  for (const a of ['aria-label', 'title', 'alt', 'placeholder']) {
    const v = el.getAttribute(a);
    if (v) parts.push(v);
  }
}
for (const el of document.querySelectorAll('option')) parts.push(el.textContent);
for (const el of document.querySelectorAll('input[type=submit], input[type=button]')) {
  parts.push(el.value);
}
return parts.join('\\n');
"""


def said(driver) -> str:
    return str(driver.execute_script(SAID_JS))


# --- long words and right-to-left text --------------------------------------------------------

WIDTH_JS = """
const root = document.documentElement;
const wide = [];
if (root.scrollWidth > root.clientWidth + 1) {
  for (const el of document.querySelectorAll('main *, header *, footer *')) {
    const r = el.getBoundingClientRect();
    if (r.right > root.clientWidth + 1 && r.width > 0) {
      wide.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
        + ' ' + Math.round(r.width) + 'px');
      if (wide.length > 5) break;
    }
  }
}
// a column squeezed to a few letters by a neighbour's long word: its header stands tall
const squeezed = [];
for (const th of document.querySelectorAll('main thead th')) {
  const r = th.getBoundingClientRect();
  if (r.height > 150) squeezed.push('squeezed column: ' + th.textContent.trim().slice(0, 40)
    + ' ' + Math.round(r.width) + 'x' + Math.round(r.height) + 'px');
}
return [root.scrollWidth, root.clientWidth, wide, squeezed];
"""


def too_wide(driver) -> list[str]:
    """What makes the page scroll sideways (nothing, when a long word wraps)."""
    scroll, client, wide, squeezed = driver.execute_script(WIDTH_JS)
    found = [f"page {scroll}px > window {client}px", *wide] if scroll > client + 1 else []
    return found + list(squeezed)


ISOLATION_JS = """
const mark = arguments[0];
const bad = [];
let count = 0;
const isolating = el => el.tagName === 'BDI' || el.getAttribute('dir') === 'auto';
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const node = walker.currentNode;
  if (!node.nodeValue.includes(mark)) continue;
  count += 1;
  let el = node.parentElement;
  while (el && el !== document.body && !isolating(el)) el = el.parentElement;
  if (!el || el === document.body) {
    bad.push('not isolated: ' + node.parentElement.outerHTML.slice(0, 160));
    continue;
  }
  // the isolating element holds this value alone: nothing of the page's own text with it
  const rest = el.textContent.replace(node.nodeValue, '').trim();
  if (rest) bad.push('isolated with other text: ' + el.outerHTML.slice(0, 160));
}
for (const el of document.querySelectorAll('input, textarea')) {
  if ((el.value || '').includes(mark)) {
    count += 1;
    if (el.getAttribute('dir') !== 'auto') bad.push('field without dir=auto: ' + el.id);
  }
}
return [count, bad];
"""


def isolation(driver, mark: str) -> tuple[int, list[str]]:
    """(how many values carry ``mark``, those not isolated on their own)."""
    count, bad = driver.execute_script(ISOLATION_JS, mark)
    return int(count), list(bad)


# --- errors tied to their fields ------------------------------------------------------------

TIES_JS = """
const bad = [];
const described = new Set();
for (const el of document.querySelectorAll('[aria-describedby]')) {
  for (const id of el.getAttribute('aria-describedby').split(/\\s+/)) {
    if (!id) continue;
    const target = document.getElementById(id);
    if (!target || !target.textContent.trim()) {
      bad.push('described by a missing or empty element: ' + id);
    }
    described.add(id);
  }
}
for (const el of document.querySelectorAll('[aria-invalid=true]')) {
  if (!el.getAttribute('aria-describedby')) {
    bad.push('invalid without a description: ' + (el.id || el.name || el.tagName));
  }
}
const invalid = document.querySelectorAll('[aria-invalid=true]').length;
const fields = [...document.querySelectorAll('main input, main select, main textarea')]
  .filter(el => el.type !== 'hidden').length;
for (const el of document.querySelectorAll('.field-error, main .error')) {
  if (el.closest('[hidden]')) continue;
  if (el.id && described.has(el.id)) continue;
  if (el.classList.contains('error') && (invalid || !fields)) continue;  // a summary; no field
  bad.push('error not tied to a field: ' + el.outerHTML.slice(0, 120));
}
return bad;
"""


def untied_errors(driver) -> list[str]:
    """Errors said on the page that no field (or button) is described by, and fields marked
    invalid without a description."""
    return list(driver.execute_script(TIES_JS))
