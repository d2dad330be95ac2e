from pathlib import Path

import pytest

from mailbot.config import load_config, parse_config
from mailbot.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]


def minimal(**overrides: object) -> dict:
    from datetime import datetime, timedelta, timezone

    tz = timezone(timedelta(hours=2))
    data: dict = {
        "call": {
            "name": "Nabór",
            "opens_at": datetime(2024, 5, 6, tzinfo=tz),
            "closes_at": datetime(2024, 5, 24, 23, 59, 59, tzinfo=tz),
            "timezone": "Europe/Warsaw",
            "address": "nabor@example.org",
            "groups": [{"number": 1, "name": "Jedna"}, {"number": 2, "name": "Dwie"}],
        },
    }
    for key, value in overrides.items():
        section, _, name = key.partition("__")
        data.setdefault(section, {})[name] = value
    return data


def test_shipped_config_is_the_real_call():
    config = load_config(REPO / "config.toml")
    assert config.call.address == "d.butryn@dops.wroc.pl"
    assert [g.number for g in config.call.groups] == [1, 2, 3, 4, 5]
    assert config.call.timezone.key == "Europe/Warsaw"
    assert config.call.opens_at.isoformat() == "2024-05-06T00:00:00+02:00"
    assert config.imap is not None and config.imap.security == "ssl"
    assert config.imap.folder == "INBOX"
    assert config.digest.at.strftime("%H:%M") == "07:30"
    assert config.schedule.poll_minutes == 5
    # relative storage paths resolve against the config file's folder
    assert config.storage.database == REPO / "data" / "mailbot.db"


def test_defaults_when_sections_are_absent(tmp_path):
    config = parse_config(minimal(), base=tmp_path)
    assert config.imap is None and config.smtp is None
    assert config.storage.files == tmp_path / "data" / "files"
    with pytest.raises(ConfigError, match=r"\[imap\]"):
        config.require_imap()


@pytest.mark.parametrize(
    "overrides, key",
    [
        (
            {
                "imap__host": "h",
                "imap__username": "u",
                "imap__password_env": "X",
                "imap__security": "tls",
            },
            "imap.security",
        ),
        (
            {
                "imap__host": "h",
                "imap__username": "u",
                "imap__password_env": "X",
                "imap__port": "993",
            },
            "imap.port",
        ),
        ({"imap__host": "h", "imap__password_env": "X"}, "imap.username"),
        ({"digest__at": "7.30"}, "digest.at"),
        ({"schedule__poll_minutes": 0}, "schedule.poll_minutes"),
        ({"call__timezone": "Europe/Wroclaw"}, "call.timezone"),
        ({"call__opens_at": "2024-05-06"}, "call.opens_at"),
        ({"smtp__port": 25}, "smtp.host"),
        # a table where an array of tables belongs ([call.groups] for [[call.groups]])
        ({"call__groups": {"first": "x"}}, "call.groups"),
        ({"call__groups": {"number": 1, "name": "Jedna"}}, "call.groups"),
    ],
)
def test_bad_keys_are_named(tmp_path, overrides, key):
    with pytest.raises(ConfigError) as info:
        parse_config(minimal(**overrides), base=tmp_path)
    assert info.value.key == key
    assert "expected" in str(info.value) or "missing" in str(info.value)


def test_missing_call_section(tmp_path):
    with pytest.raises(ConfigError, match=r"\[call\]"):
        parse_config({}, base=tmp_path)


def test_missing_file_and_bad_toml(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[call\nname=", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)


def test_secrets_come_from_the_environment(tmp_path, monkeypatch):
    config = parse_config(
        minimal(imap__host="h", imap__username="u", imap__password_env="MB_TEST_PW"), base=tmp_path
    )
    assert config.imap is not None
    monkeypatch.delenv("MB_TEST_PW", raising=False)
    monkeypatch.delenv("MB_TEST_PW_FILE", raising=False)
    with pytest.raises(ConfigError, match="MB_TEST_PW"):
        config.imap.password.resolve("imap.password_env")
    secret = tmp_path / "pw"
    secret.write_text("from-file\n", encoding="utf-8")
    monkeypatch.setenv("MB_TEST_PW_FILE", str(secret))
    assert config.imap.password.resolve("imap.password_env") == "from-file"
    monkeypatch.setenv("MB_TEST_PW", "from-env")
    assert config.imap.password.resolve("imap.password_env") == "from-env"


# --- strict: every typo stops mailbot with the key and the nearest valid one ----------------

SHIPPED = (REPO / "config.toml").read_text(encoding="utf-8")


def _with(tmp_path: Path, old: str, new: str) -> Path:
    assert old in SHIPPED
    path = tmp_path / "config.toml"
    path.write_text(SHIPPED.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            'security = "ssl"',
            'securty = "ssl"',
            "`imap.securty`: unknown key; did you mean `security`?",
        ),
        (
            'folder = "INBOX"',
            'folder = "INBOX"\narchiv_folder = "Nabor"',
            "`imap.archiv_folder`: unknown key; did you mean `archive_folder`?",
        ),
        ("[schedule]", "[shedule]", "`shedule`: unknown table; did you mean `schedule`?"),
        (
            "poll_minutes = 5",
            "poll_minute = 5",
            "`schedule.poll_minute`: unknown key; did you mean `poll_minutes`?",
        ),
        (
            'short_name = "Nabór',
            'shortname = "Nabór',
            "`call.shortname`: unknown key; did you mean `short_name`?",
        ),
        (
            'person = "D. Butryn"',
            'persn = "D. Butryn"',
            "`call.office.persn`: unknown key; did you mean `person`?",
        ),
        (
            "number = 5\n",
            "number = 5\nnmae = 'x'\n",
            "`call.groups[4].nmae`: unknown key; did you mean `name`?",
        ),
    ],
)
def test_typos_stop_mailbot_naming_the_key(tmp_path, old, new, message):
    path = _with(tmp_path, old, new)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value) == f"{path}: {message}"
    assert info.value.exit_code == 78


def test_a_typo_in_the_form_table_is_named(tmp_path):
    with pytest.raises(ConfigError) as info:
        parse_config(dict(minimal(), form={"titel": "x"}), base=tmp_path)
    assert info.value.key == "form.titel"
    assert str(info.value) == "`form.titel`: unknown key; did you mean `title`?"


def test_known_keys_come_from_the_dataclasses():
    """A field added to a config dataclass is a known key with no other change."""
    from dataclasses import dataclass, field

    from mailbot import config as cfg

    keys = cfg.known_keys(cfg.ImapConfig)
    assert "password_env" in keys and "password" not in keys
    assert set(cfg.known_keys(cfg.LimitsConfig)) >= {
        "max_pdf_pages",
        "max_parse_seconds",
        "max_attachment_bytes",
    }
    assert "path" not in cfg.known_keys(cfg.Config) and "form" in cfg.known_keys(cfg.Config)
    assert "max_zip_members" in cfg.known_keys(cfg.LimitsConfig)  # a ParseLimits field

    @dataclass(frozen=True)
    class Web:
        host: str = "127.0.0.1"
        port: int = 8080

    @dataclass(frozen=True)
    class Extended(cfg.Config):
        web: Web | None = None
        extra: tuple[int, ...] = field(default=())

    cfg.check_known({"web": {"host": "h", "port": 1}, "extra": [1]}, Extended, "", None)
    with pytest.raises(ConfigError, match=r"`web.hots`: unknown key; did you mean `host`\?"):
        cfg.check_known({"web": {"hots": "h"}}, Extended, "", None)


# --- date-times and the call's time zone ------------------------------------------------------


def test_datetimes_without_offset_are_read_in_the_call_timezone(tmp_path):
    from datetime import datetime

    winter = minimal()
    winter["call"]["opens_at"] = datetime(2024, 1, 8, 8, 0)
    winter["call"]["closes_at"] = datetime(2024, 1, 31, 15, 30)
    config = parse_config(winter, base=tmp_path)
    assert config.call.opens_at.isoformat() == "2024-01-08T08:00:00+01:00"
    assert config.call.closes_at.isoformat() == "2024-01-31T15:30:00+01:00"


def test_an_offset_that_disagrees_with_the_zone_is_an_error(tmp_path):
    from datetime import datetime, timedelta, timezone

    winter = minimal()
    winter["call"]["opens_at"] = datetime(2024, 1, 8, tzinfo=timezone(timedelta(hours=1)))
    winter["call"]["closes_at"] = datetime(2024, 1, 31, 23, 59, tzinfo=timezone(timedelta(hours=2)))
    with pytest.raises(ConfigError) as info:
        parse_config(winter, base=tmp_path)
    assert info.value.key == "call.closes_at"
    assert "Europe/Warsaw is +01:00 on 2024-01-31" in str(info.value)


def test_call_groups_must_be_printed_on_the_form(tmp_path):
    data = minimal()
    data["call"]["groups"].append({"number": 9, "name": "Dziewiąta"})
    with pytest.raises(ConfigError) as info:
        parse_config(data, base=tmp_path)
    assert info.value.key == "call.groups[2].number"
    assert "the form's options: 1, 2, 3, 4, 5" in str(info.value)


def test_short_group_names_do_not_break_reading_the_ticks(tmp_path):
    """Display names ("G1") are the call's; the form's printed texts still find the ticks."""
    data = minimal()
    data["call"]["groups"] = [{"number": 1, "name": "G1"}, {"number": 2, "name": "G2"}]
    config = parse_config(data, base=tmp_path)
    printed = [o.name for o in config.form.groups_field.options]
    assert printed[0].startswith("Grupa robocza ds. rozwoju usług społecznych")
    assert [g.name for g in config.call.groups] == ["G1", "G2"]


def test_templates_dir_must_exist(tmp_path):
    with pytest.raises(ConfigError) as info:
        parse_config(dict(minimal(), templates={"dir": "nope"}), base=tmp_path)
    assert info.value.key == "templates.dir"


def test_call_resolution_words_and_fields(tmp_path):
    """[call.resolution]: strict keys, fields of the form's one-line fields, defaults by form."""
    import tomllib

    from callcard import CARD_TOML, card_config

    card = card_config(tmp_path).call.annex()
    assert (card.title, card.heading, card.everyone) == (
        "Załącznik",
        "Lista przyjętych zgłoszeń",
        "Wszystkie przyjęte zgłoszenia",
    )
    given = card_config(
        tmp_path, '\n[call.resolution]\ntitle = ""\nfields = ["osiedle", "imie_nazwisko"]\n'
    ).call.annex()
    assert given.title == "" and given.fields == ("osiedle", "imie_nazwisko")
    assert given.heading == "Lista przyjętych zgłoszeń"
    for extra, key in (
        ('\n[call.resolution]\ntitel = "x"\n', "call.resolution.titel"),
        ('\n[call.resolution]\nfields = ["komisja"]\n', "call.resolution.fields"),
        ('\n[call.resolution]\nfields = ["uzasadnienie"]\n', "call.resolution.fields"),
        ('\n[call.resolution]\nfields = ["nikt"]\n', "call.resolution.fields"),
        ('\n[call.resolution]\nfields = ["osiedle", "osiedle"]\n', "call.resolution.fields"),
        ("\n[call.resolution]\nfields = []\n", "call.resolution.fields"),
        ("\n[call.resolution]\nheading = 3\n", "call.resolution.heading"),
    ):
        with pytest.raises(ConfigError) as caught:
            card_config(tmp_path, extra)
        assert key in str(caught.value), str(caught.value)
    # the built-in form: today's DKRES wording
    dkres = tomllib.loads(CARD_TOML.split("[form]")[0])
    dkres["call"]["groups"] = [{"number": 1, "name": "Grupa robocza ds. promocji"}]
    words = parse_config(dkres, base=tmp_path).call.annex()
    assert (words.title, words.heading) == ("Załącznik do uchwały Komitetu", "Skład grup roboczych")
