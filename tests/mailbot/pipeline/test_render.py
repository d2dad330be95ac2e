"""mailbot/pipeline/render.py: the letters' wrapping (Polish typesetting) and rendering a
template into its subject and body, with an office's own templates searched first."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from mailbot.pipeline.render import render, templates_dir, wrap_line, wrap_text


def test_lines_wrap_at_spaces_never_inside_a_word_or_an_address():
    text = "Prosimy o kontakt pod adresem " + "bardzo.dlugi.adres.pocztowy@example.pl" + " dziś."
    lines = wrap_line(text, 30)
    assert all(len(line) <= 30 or " " not in line for line in lines)
    assert "bardzo.dlugi.adres.pocztowy@example.pl" in lines
    assert " ".join(lines) == text


def test_a_one_letter_word_is_never_left_at_a_line_end_and_the_year_keeps_its_r():
    text = "Zgłoszenie przyjęliśmy w dniu 14 maja 2024 r. i potwierdzamy to w tym liście."
    for width in range(20, 60):
        lines = wrap_line(text, width)
        assert not any(line.endswith((" w", " i", " z", " o", " a", " u")) for line in lines)
        assert not any(line.endswith("2024") for line in lines), (width, lines)
        assert " ".join(lines) == text  # nothing lost, no hard spaces left in the letter


def test_paragraphs_are_rewrapped_separately_and_end_with_one_newline():
    text = "Pierwszy   akapit\nciągnie się dalej.\n\n\n  Drugi akapit.  "
    assert wrap_text(text, 70) == "Pierwszy akapit ciągnie się dalej.\n\nDrugi akapit.\n"
    assert wrap_text("   ", 70) == ""


def test_a_template_gives_a_one_line_subject_and_its_body(tmp_path):
    own = tmp_path / "templates"
    (own / "reply").mkdir(parents=True)
    (own / "reply" / "test_only.txt.j2").write_text(
        "{% set subject %}Potwierdzenie\n{{ ref }}{% endset %}Dzień dobry, {{ name }}.\n",
        encoding="utf-8",
    )
    subject, body = render("reply/test_only.txt.j2", {"ref": "R-1", "name": "<Anna>"}, own)
    assert subject == "Potwierdzenie R-1"
    assert body == "Dzień dobry, <Anna>.\n"  # plain text: nothing escaped


def test_an_html_template_escapes_what_applicants_wrote(tmp_path):
    own = tmp_path / "templates"
    (own / "digest").mkdir(parents=True)
    (own / "digest" / "test_only.html.j2").write_text("<p>{{ text }}</p>", encoding="utf-8")
    _subject, body = render("digest/test_only.html.j2", {"text": "<script>x</script>"}, own)
    assert body == "<p>&lt;script&gt;x&lt;/script&gt;</p>"


def test_a_missing_variable_is_an_error_not_an_empty_place(tmp_path):
    own = tmp_path / "templates"
    (own / "reply").mkdir(parents=True)
    (own / "reply" / "test_only.txt.j2").write_text("{{ missing }}", encoding="utf-8")
    with pytest.raises(jinja2.UndefinedError):
        render("reply/test_only.txt.j2", {}, own)


def test_the_built_in_templates_are_found():
    folder = templates_dir()
    assert (folder / "reply" / "accepted.txt.j2").is_file()
    assert isinstance(folder, Path)
