"""parsers/__init__.py: the package's public names, each imported from its module when first
used, so that `import parsers` loads no reader."""

from __future__ import annotations

import subprocess
import sys

import pytest

import parsers


def test_every_public_name_resolves_to_its_modules_object():
    from parsers import core, model, spec

    for name in parsers.__all__:
        assert getattr(parsers, name) is not None, name
    assert parsers.extract is core.extract
    assert parsers.Extraction is model.Extraction
    assert parsers.FormSpec is spec.FormSpec
    assert set(parsers.__all__) <= set(dir(parsers))


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'extrakt'"):
        parsers.extrakt  # noqa: B018


def test_importing_the_package_loads_no_reader():
    code = (
        "import sys, parsers\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('parsers.', 'pypdf', 'docx')))\n"
        "print(' '.join(loaded))\n"
        "parsers.extract\n"
        "print('parsers.core' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    first, second = done.stdout.splitlines()
    assert "parsers.core" not in first.split() and "pypdf" not in first.split()
    assert second == "True"
