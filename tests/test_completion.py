"""``callrail-async completion bash``: run the generated script in a real bash and ask it
what it completes, the way bash's ``complete -F`` would."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from callrail_async.cli import build_parser

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


@pytest.fixture(scope="module")
def script() -> str:
    command = [sys.executable, "-m", "callrail_async.cli", "completion", "bash"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def complete(script: str, words: list[str], cwd: Path | None = None) -> list[str]:
    """What the script offers for the last word of ``words``."""
    line = " ".join(shlex.quote(w) for w in words)
    code = (
        f"{script}\nCOMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; "
        "_callrail_async; printf '%s\\n' \"${COMPREPLY[@]}\""
    )
    run = subprocess.run(
        ["bash", "--norc", "-c", code], capture_output=True, text=True, cwd=cwd, timeout=60
    )
    assert run.returncode == 0, run.stderr
    return sorted(filter(None, run.stdout.splitlines()))


def test_subcommands_resources_and_option_values(script: str) -> None:
    assert complete(script, ["callrail-async", "ex"]) == ["export"]
    assert complete(script, ["callrail-async", "export", "ca"]) == ["caller_ids", "calls"]
    assert complete(script, ["callrail-async", "export", "calls", "--for"]) == ["--format"]
    formats = complete(script, ["callrail-async", "export", "calls", "--format", ""])
    assert formats == ["csv", "jsonl", "parquet"]
    assert complete(script, ["callrail-async", "completion", ""]) == ["bash", "zsh"]


def test_file_names_where_a_path_goes(script: str, tmp_path: Path) -> None:
    (tmp_path / "calls-2026.jsonl").write_text("")
    words = ["callrail-async", "export", "calls", "--out", "calls-"]
    assert complete(script, words, cwd=tmp_path) == ["calls-2026.jsonl"]


def test_every_option_of_every_subcommand_completes(script: str) -> None:
    subcommands = next(
        a.choices for a in build_parser()._actions if hasattr(a, "choices") and a.choices
    )
    assert subcommands is not None
    for name, sub in dict(subcommands).items():
        flags = {f for action in sub._actions for f in action.option_strings if f[:2] == "--"}
        assert set(complete(script, ["callrail-async", name, "--"])) == flags, name


def test_zsh_loads_the_script_and_registers_the_function(tmp_path: Path) -> None:
    if shutil.which("zsh") is None:
        pytest.skip("zsh is not installed")
    generate = f"{shlex.quote(sys.executable)} -m callrail_async.cli completion zsh"
    code = f'eval "$({generate})"; print -r -- "${{_comps[callrail-async]}}"'
    env = {**os.environ, "HOME": str(tmp_path)}  # compinit writes its cache there
    loaded = subprocess.run(
        ["zsh", "-f", "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert loaded.returncode == 0, loaded.stderr
    assert "_callrail_async" in loaded.stdout
