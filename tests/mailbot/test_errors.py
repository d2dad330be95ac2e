"""Every error code mailbot raises is said by both interfaces: the command line in English
(:mod:`mailbot.cli_errors`), the workspace in Polish (:mod:`mailbot.web.errors`)."""

from __future__ import annotations

import pytest

from mailbot import cli_errors, errors
from mailbot.errors import ActionRefused, MailbotError, UserError, WithdrawalError
from mailbot.web import errors as web_errors


def _classes(cls: type[MailbotError]) -> list[type[MailbotError]]:
    found = [cls]
    for sub in cls.__subclasses__():
        found += _classes(sub)
    return found


def _codes() -> set[str]:
    own = {c.code for c in _classes(MailbotError) if "code" in c.__dict__}
    return own | set(errors.REFUSALS)


def test_every_error_class_lives_in_errors_py_and_names_its_code():
    for cls in _classes(MailbotError):
        assert cls.__module__ == "mailbot.errors", cls
    assert "failed" in _codes() and "message_gone" in _codes() and "not_live" in _codes()


def test_every_code_has_a_polish_and_an_english_text():
    codes = _codes()
    assert codes - set(web_errors.POLISH) == set()
    assert codes - set(cli_errors.ENGLISH) == set()
    assert set(web_errors.POLISH) - codes == set()  # no text for a code nobody raises
    assert set(cli_errors.ENGLISH) - codes == set()
    for code in errors.REFUSALS:
        if code != "review":
            assert cli_errors.ENGLISH[code], code  # a refusal has its own English line


@pytest.mark.parametrize("code", sorted(errors.REFUSALS))
def test_each_refusal_is_phrased_with_its_parameters(code):
    params = {name: f"<{name}>" for name in errors.REFUSALS[code]}
    if "status" in params:
        params["status"] = "accepted"
    exc = ActionRefused(code, **params)
    polish = web_errors.phrase(exc)
    english = cli_errors.phrase(exc)
    assert polish and "{" not in polish and "--" not in polish  # no command-line flag
    assert english and "{" not in english
    for name, value in params.items():
        template = web_errors.POLISH[code]
        if "{" + name + "}" in template:
            assert value in polish
    if "status" in params and "{status_text}" in web_errors.POLISH[code]:
        assert "przyjęte" in polish.lower() or "accepted" not in polish


def test_the_command_line_keeps_a_refusal_s_own_line_and_exit_code():
    exc = errors.ReviewError("rejected: give the reason (--note)", "reason_missing")
    assert cli_errors.phrase(exc) == "rejected: give the reason (--note)"
    assert "--note" not in web_errors.phrase(exc)
    assert exc.exit_code == 65
    user = UserError("user_exists", login="anna")
    assert cli_errors.phrase(user) == (
        "user anna exists already (mailbot user passwd anna sets a new password)"
    )
    assert web_errors.phrase(user) == "Login anna już istnieje."
    withdrawal = WithdrawalError("not_withdrawable", reference="DKRES-1", status="accepted")
    assert cli_errors.phrase(withdrawal) == "DKRES-1 is accepted: it cannot be withdrawn"


def test_a_failure_keeps_its_own_line_on_the_command_line():
    exc = errors.FolderError("folder `Nabór` does not exist: create it or set mail.folder")
    assert cli_errors.phrase(exc) == str(exc)
    assert web_errors.phrase(exc).endswith("Nic nie zmieniono.")
    assert exc.exit_code == 81
