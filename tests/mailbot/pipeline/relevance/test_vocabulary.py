"""The call's vocabulary is the same in every process: phrases of equal length and keywords are
ordered by their text, not by Python's hash seed (which differs from run to run), so a message
gets the same findings, in the same words, on every pass."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[4]

SCRIPT = """
from pathlib import Path
from mailbot.config import load_config
from mailbot.pipeline.relevance.vocabulary import call_vocabulary, _keyword_pattern
from mailbot.config import DEFAULT_KEYWORDS
for path in ("config.toml", "examples/youth-council/config.toml"):
    vocab = call_vocabulary(load_config(Path(path)).call)
    print(vocab.name_phrases)
print(_keyword_pattern(DEFAULT_KEYWORDS).pattern)
"""


def _vocabulary_under(seed: int) -> str:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=REPO,
        env={"PYTHONHASHSEED": str(seed), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


def test_the_vocabulary_does_not_depend_on_the_hash_seed():
    seen = {_vocabulary_under(seed) for seed in (0, 1, 2, 3, 4, 5)}
    assert len(seen) == 1, "the call's phrases or keywords come out in another order"
    (text,) = seen
    assert text.count("\n") == 3  # two calls' phrases and the keyword pattern were printed
