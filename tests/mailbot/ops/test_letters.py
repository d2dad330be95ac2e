"""Letters a person writes in the workspace (notices, answers): built by the one letter builder."""

from __future__ import annotations

import email
import email.policy

from letters import dkres_config

from mailbot.ops.letters import compose_letter
from mailbot.storage.store import Store


def test_a_unicode_domain_goes_out_in_its_idna_form_as_automatic_replies_do(tmp_path):
    config = dkres_config()
    with Store(tmp_path / "mailbot.db", tmp_path / "files") as store:
        letter = compose_letter(
            config, store, 1, "anna@żółw.pl", "Odpowiedź", "Treść.", "answer", thread=False
        )
    assert letter.to == "anna@xn--w-uga1v8h.pl"
    msg = email.message_from_bytes(letter.raw, policy=email.policy.default)
    assert msg["To"] == "anna@xn--w-uga1v8h.pl"
    assert "In-Reply-To" not in msg
