"""Load ``config.toml`` once into typed, frozen objects.

Every value is checked here; a bad or missing key raises :class:`ConfigError` naming the key
and what is expected, so mailbot fails at start rather than halfway through a pass. Secrets are
never read from the file: only the *names* of environment variables are (``password_env``);
``NAME_FILE`` pointing at a file holding the secret works too.

Sections a command does not need may be absent; :meth:`Config.require_imap` and friends raise a
clear error when a command does need them.

The config is strict: a key or table that no dataclass below knows is an error naming it and
the nearest valid one. The known keys are *derived from the dataclasses* (:func:`known_keys`):
a field is a key of the same name; a :class:`Secret` field ``password`` is the key
``password_env``; a field whose metadata says ``toml=(...)`` is spelt by those keys (none: not
read from the file), and ``flatten=Class`` also accepts that class's fields in the same
table (``prefix=`` before each of their names). Adding a field to a dataclass (and reading it
in its loader) is all a new key needs.

The package, by concern: :mod:`~mailbot.config.model` (the dataclasses),
:mod:`~mailbot.config.keys` (the known keys, derived from them), :mod:`~mailbot.config.tables`
(the typed readers), :mod:`~mailbot.config.sections` (one loader per table) and
:mod:`~mailbot.config.loading` (:func:`load_config`, :func:`parse_config`).
"""

from __future__ import annotations

from mailbot.config.declared import (
    AUTH_MODES,
    DEFAULT_MAX_MEMORY,
    OAUTH2_MECHANISMS,
    SECURITY_MODES,
)
from mailbot.config.keys import check_known, known_keys
from mailbot.config.loading import load_config, parse_config
from mailbot.config.model import (
    DEFAULT_KEYWORDS,
    DKRES_ANNEX,
    OWN_FORM_ANNEX,
    SINCE_DAYS_BEFORE_OPENING,
    CallConfig,
    Config,
    DigestConfig,
    Group,
    ImapConfig,
    IsolatedLimits,
    LimitsConfig,
    OAuth2Config,
    OfficeConfig,
    ResolutionConfig,
    ScheduleConfig,
    Secret,
    SmtpConfig,
    StorageConfig,
    TemplatesConfig,
    WebConfig,
)
from mailbot.errors import ConfigError, UnknownKeyError

__all__ = [
    "AUTH_MODES",
    "DEFAULT_KEYWORDS",
    "DEFAULT_MAX_MEMORY",
    "DKRES_ANNEX",
    "OAUTH2_MECHANISMS",
    "OWN_FORM_ANNEX",
    "SECURITY_MODES",
    "SINCE_DAYS_BEFORE_OPENING",
    "CallConfig",
    "Config",
    "ConfigError",
    "DigestConfig",
    "Group",
    "ImapConfig",
    "IsolatedLimits",
    "LimitsConfig",
    "OAuth2Config",
    "OfficeConfig",
    "ResolutionConfig",
    "ScheduleConfig",
    "Secret",
    "SmtpConfig",
    "StorageConfig",
    "TemplatesConfig",
    "UnknownKeyError",
    "WebConfig",
    "check_known",
    "known_keys",
    "load_config",
    "parse_config",
]
