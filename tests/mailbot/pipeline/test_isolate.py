"""mailbot/pipeline/isolate.py: a file read in a child process gives what reading it in
mailbot gives; the child is reused from file to file and started again after it is stopped.
(The hostile files the child's clock and memory cap stop: tests/integration/
test_isolated_parse.py.)"""

from __future__ import annotations

import pytest

import parsers
from mailbot.config import IsolatedLimits
from mailbot.ops import samples
from mailbot.pipeline.isolate import IsolatedReader
from parsers import DEFAULT_FORM


@pytest.fixture
def reader():
    r = IsolatedReader(name="mailbot-parse-test")
    yield r
    r.close()


def test_a_file_read_in_the_child_is_read_as_in_mailbot(reader):
    data = samples.filled_docx(samples.Applicant(full_name="Zofia Wiśniewska", groups=(2, 5)))
    limits = IsolatedLimits()
    isolated = reader.extract(data, DEFAULT_FORM, limits)
    direct = parsers.extract(data, DEFAULT_FORM, limits)
    assert isolated.to_json() == direct.to_json()
    assert isolated.fields["full_name"] == "Zofia Wiśniewska"


def test_the_child_is_reused_and_started_again_after_close(reader):
    limits = IsolatedLimits()
    reader.extract(samples.filled_docx(samples.Applicant()), DEFAULT_FORM, limits)
    first = reader._process
    assert first is not None and first.is_alive()
    not_a_form = reader.extract(b"plain words, no form", DEFAULT_FORM, limits)
    assert not_a_form.reason == "unsupported_format"
    assert reader._process is first  # one child for every file
    reader.close()
    assert not first.is_alive()
    again = reader.extract(samples.filled_docx(samples.Applicant()), DEFAULT_FORM, limits)
    assert again.readable and reader._process is not first


def test_the_spec_reaches_the_child_when_it_changes(reader):
    card = parsers.FormSpec.from_mapping(
        {
            "fields": [
                {"key": "imie_nazwisko", "type": "text", "labels": ["Imię i nazwisko"]},
                {"key": "adres_email", "type": "email", "labels": ["Adres e-mail"]},
            ]
        }
    )
    data = samples.filled_docx(samples.Applicant())
    limits = IsolatedLimits()
    dkres = reader.extract(data, DEFAULT_FORM, limits)
    other = reader.extract(data, card, limits)
    assert set(dkres.fields) == set(DEFAULT_FORM.keys)
    assert set(other.fields) == {"imie_nazwisko", "adres_email"}
    assert other.to_json() == parsers.extract(data, card, limits).to_json()


def _form_of(name: str) -> bytes:
    return samples.filled_docx(samples.Applicant(full_name=name))


def test_a_file_read_ahead_is_read_before_it_is_asked_for(reader):
    limits = IsolatedLimits()
    data = _form_of("Jan Nowak")
    reader.read_ahead(data, DEFAULT_FORM, limits)
    assert reader._conn is not None and reader._conn.poll(30)  # the child answered already
    answer = reader.extract(data, DEFAULT_FORM, limits)
    assert answer.to_json() == parsers.extract(data, DEFAULT_FORM, limits).to_json()
    assert reader._running is None and not reader._conn.poll(0)  # nothing read twice


def test_another_file_asked_for_first_gets_its_own_answer_and_the_read_ahead_one_waits(reader):
    limits = IsolatedLimits()
    ahead, asked = _form_of("Jan Nowak"), _form_of("Zofia Wiśniewska")
    reader.read_ahead(ahead, DEFAULT_FORM, limits)
    assert reader.extract(asked, DEFAULT_FORM, limits).fields["full_name"] == "Zofia Wiśniewska"
    assert reader._running is None  # the file read ahead was answered, its answer kept
    assert reader.extract(ahead, DEFAULT_FORM, limits).fields["full_name"] == "Jan Nowak"


def test_the_next_file_is_handed_over_when_the_child_is_free(reader):
    limits = IsolatedLimits()
    first, second = _form_of("Anna Kowalska"), _form_of("Jan Nowak")
    reader.read_ahead(first, DEFAULT_FORM, limits)
    reader.read_ahead(second, DEFAULT_FORM, limits)  # the child has the first: this one waits
    assert reader._running is not None and reader._running.data == first
    assert reader.extract(first, DEFAULT_FORM, limits).fields["full_name"] == "Anna Kowalska"
    assert reader._running is not None and reader._running.data == second
    assert reader.extract(second, DEFAULT_FORM, limits).fields["full_name"] == "Jan Nowak"


def test_a_file_read_ahead_under_another_spec_is_read_again(reader):
    card = parsers.FormSpec.from_mapping(
        {"fields": [{"key": "imie_nazwisko", "type": "text", "labels": ["Imię i nazwisko"]}]}
    )
    limits = IsolatedLimits()
    data = _form_of("Jan Nowak")
    reader.read_ahead(data, DEFAULT_FORM, limits)
    assert set(reader.extract(data, card, limits).fields) == {"imie_nazwisko"}
