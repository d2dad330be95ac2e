"""No page of the workspace shows a raw key, ``None``, ``[…]`` or an English word (Flask's test
client on the demo's data, no browser): every GET route of the url_map is asked for with
every application and every message of the demo, and the text a person meets on the page —
what it shows, and the names a screen reader says (aria-label, title, alt, placeholder) — is
checked by the rule of tests/web/page_checks.py. The browser test of every page
(test_browser_every_page.py) checks the same on a larger mailbox in every state."""

from __future__ import annotations

from html.parser import HTMLParser

from werkzeug.routing import Rule

from .page_checks import raw_words, stored_keys
from .workspace_data import open_store

#: GET routes that answer with a file, an image, a style sheet or JSON
NOT_PAGES = {
    "static",
    "popraw.page",
    "popraw.boxes_css",
    "zgloszenie.download",
    "zgloszenie.preview",
    "lista.download",
    "zgloszenia_xlsx.download",
    "sesja.stan",
}
SAID_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")


class _Said(HTMLParser):
    """The text of a page as a person meets it (no script, no style)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in SAID_ATTRIBUTES and value:
                self.parts.append(value)
        if tag == "input" and dict(attrs).get("type") in ("submit", "button"):
            self.parts.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def said(html: str) -> str:
    parser = _Said()
    parser.feed(html)
    return "\n".join(parser.parts)


def _urls(rule: Rule, refs: list[str], messages: list[int]) -> list[str]:
    args = set(rule.arguments)
    if not args:
        return [rule.rule]
    if args == {"ref"}:
        return [rule.rule.replace("<ref>", r) for r in refs]
    if args == {"message_pk"}:
        return [rule.rule.replace("<int:message_pk>", str(m)) for m in messages]
    return []


def test_no_page_shows_a_raw_key_none_brackets_or_english(coordinator, config, app):
    with open_store(config) as store:
        refs = [str(r[0]) for r in store.db.execute("SELECT reference FROM applications")]
        messages = [int(r[0]) for r in store.db.execute("SELECT id FROM messages")]
    assert len(refs) > 5 and len(messages) > 5
    keys = stored_keys(config.form.keys)
    found: dict[str, list[str]] = {}
    asked = 0
    walked: set[str] = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint in NOT_PAGES:
            continue
        for url in _urls(rule, refs, messages):
            response = coordinator.get(url, follow_redirects=True)
            asked += 1
            assert response.status_code in (200, 404), (url, response.status_code)
            raw = raw_words(said(response.text), keys)
            if raw:
                found[url] = sorted(set(raw))
            walked.add(rule.endpoint)
    pages = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if "GET" in (r.methods or ()) and r.endpoint not in NOT_PAGES
    }
    assert pages - walked == set(), "GET routes with arguments this test cannot fill"
    assert asked > 40, asked
    assert found == {}


def test_the_rule_finds_what_it_must():
    keys = stored_keys(())
    assert raw_words("Grupa robocza [4]", keys) == ["[4]"]
    assert raw_words("Było: None", keys) == ["None"]
    assert "needs_review" in raw_words("needs_review -> not_application", keys)
    assert raw_words("Załatwione: done", keys) == ["done"]
    assert raw_words("plik formularz.docx od a.b@example.pl, PDF", keys) == []
