"""Hostile input and hostile output for the command line: exit 2 with one line on stderr and
no traceback; a closed pipe ends quietly (issue 11: "Untyped errors", "Hangs")."""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gjjcalc.cli import main

PAYOFF = ["payoff", "--balance", "1000", "--rate", "3.25%", "--on", "2018-01-10"]
SCHEDULE = ["schedule", "100000", "3.25%", "12"]


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run the CLI in-process: exit 2, nothing on stdout, one line on stderr (returned)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.endswith("\n")
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    for word in ("SPEC", "DOMAIN", "seed 0"):
        assert word not in err
    return err.strip()


def cli(*argv: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run ``python -m gjjcalc`` in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "gjjcalc", *argv],
        capture_output="stdout" not in kwargs,
        text=True,
        timeout=60,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )


def shell(command: str) -> subprocess.CompletedProcess[str]:
    """Run a shell line with ``gjjcalc`` meaning this interpreter's ``-m gjjcalc``."""
    line = command.replace("gjjcalc", f"'{sys.executable}' -m gjjcalc")
    return subprocess.run(
        ["sh", "-c", line], capture_output=True, text=True, timeout=60, check=False
    )


def one_line(stderr: str) -> str:
    assert stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr
    return stderr.strip()


# --- hostile arguments ---------------------------------------------------------------------------


@pytest.mark.parametrize("days", ["99999999999", "9" * 5000, "800000", "736704"])
def test_days_beyond_year_1_exit_2(capsys: pytest.CaptureFixture[str], days: str):
    err = refused(capsys, *PAYOFF, "--days", days)
    assert err.startswith("gjjcalc payoff: error: --days=")


def test_days_up_to_year_1_are_computed(capsys: pytest.CaptureFixture[str]):
    assert main([*PAYOFF, "--days", "736703", "--json"]) == 0  # accrual from 0001-01-01
    out, err = capsys.readouterr()
    assert (err, '"days": 736703' in out) == ("", True)


@pytest.mark.parametrize("days", ["1.5", "-1", "١٢", "1_0", "0x10", "+-1"])
def test_days_that_are_not_plain_whole_numbers_exit_2(capsys: pytest.CaptureFixture[str], days: str):
    assert "days=" in refused(capsys, *PAYOFF, "--days", days)


@pytest.mark.parametrize(
    ("argv", "name"),
    [
        ([*SCHEDULE, "--first-due", "9999-12-01"], "--first-due"),
        (["schedule", "1e999999999", "3.25%", "12"], "principal"),
        (["schedule", "1e-999999999", "3.25%", "12"], "principal"),
        (["schedule", "100000", "1e-999999999", "12"], "rate"),
        (["schedule", "100000", "1e999999999%", "12"], "rate"),
        (["schedule", "690000,50", "3.25%", "12"], "principal"),
        (["schedule", "100000", "3.25%", "9" * 5000], "months"),
        (["schedule", "100000", "3.25%", "١٢"], "months"),
        (["quota", "liangshan", "--area", "西昌市", "--house-price", "1e999999999"], "--house-price"),
        (["quota", "liangshan", "--area", "西昌市", "--house-price", "1,000,00"], "--house-price"),
        (["quota", "liangshan", "--area", "西昌市", "--house-price", "700000", "--months", "9" * 100], "months"),
        (["rate", "0001-01-01"], "DATE"),
        (["rate", "99999-01-01"], "DATE"),
        (["rate", "2020-01-01", "--months", "True"], "months"),
        (["rate", "9999-12-31", "--months", "1e999999999"], "months"),
        ([*PAYOFF, "--days", "12", "--balance", "1e999999999"], "balance"),
    ],
)
def test_hostile_numbers_and_dates_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], name: str | None):
    err = refused(capsys, *argv)
    assert err.startswith(f"gjjcalc {argv[0]}: error: ")
    if name is not None:
        assert f"{name}=" in err


def test_pack_files_that_cannot_be_read_exit_2_naming_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    missing = tmp_path / "missing.toml"
    err = refused(capsys, "quota", str(missing))
    assert str(missing) in err
    assert "not found" in err
    assert "out of range" not in err
    assert "is a directory" in refused(capsys, "quota", str(tmp_path))
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 100_000)
    assert str(deep) in refused(capsys, "quota", str(deep))
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'[pack]\nname = "caf\xe9"\n')
    assert "not UTF-8" in refused(capsys, "quota", str(latin))
    long_name = tmp_path / ("a" * 256 + ".toml")
    assert "cannot be read" in refused(capsys, "quota", str(long_name))


# --- hostile output ------------------------------------------------------------------------------


class _Full(io.StringIO):
    """A stdout whose writes fail like /dev/full's."""

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_stdout_exits_2_with_one_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    with capsys.disabled():
        err = io.StringIO()
        monkeypatch.setattr(sys, "stdout", _Full())
        monkeypatch.setattr(sys, "stderr", err)
        assert main(SCHEDULE) == 2
        assert main(["--help"]) == 2
    assert err.getvalue().splitlines() == [
        "gjjcalc schedule: error: cannot write the output: No space left on device",
        "gjjcalc: error: cannot write the output: No space left on device",
    ]


def test_a_closed_stdout_exits_2_with_one_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    with capsys.disabled():
        err = io.StringIO()
        monkeypatch.setattr(sys, "stdout", None)
        monkeypatch.setattr(sys, "stderr", err)
        assert main(SCHEDULE) == 2
    assert err.getvalue() == "gjjcalc schedule: error: cannot write the output: stdout is closed\n"


def test_an_encoding_that_cannot_show_the_output_exits_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    with capsys.disabled():
        err = io.StringIO()
        monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="ascii"))
        monkeypatch.setattr(sys, "stderr", err)
        assert main(SCHEDULE) == 2  # the table has Chinese labels
    assert "cannot write the output" in one_line(err.getvalue())


def test_a_closed_stderr_does_not_turn_an_error_into_a_traceback(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    with capsys.disabled():
        monkeypatch.setattr(sys, "stderr", None)
        assert main(["schedule", "100000", "3.25%", "0"]) == 2
        monkeypatch.setattr(sys, "stderr", _Full())
        assert main(["schedule", "100000", "3.25%", "0"]) == 2


def test_writing_to_dev_full_exits_2_with_one_line():
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    for argv in (SCHEDULE, ["schedule", "100000", "3.25%", "600", "--json"], ["--help"], ["--version"], ["rate", "--help"]):
        with open("/dev/full", "w") as full:
            done = cli(*argv, stdout=full, stderr=subprocess.PIPE)
        assert done.returncode == 2, (argv, done.stderr)
        assert "cannot write the output: No space left on device" in one_line(done.stderr)


def test_a_closed_pipe_ends_quietly():
    read, write = os.pipe()
    os.close(read)  # the reader is gone before anything is written
    try:
        done = cli(*SCHEDULE, stdout=write, stderr=subprocess.PIPE)
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (1, "")


def test_head_closing_the_pipe_ends_quietly():
    done = shell("gjjcalc schedule 100000 3.25% 600 --json | head -c1 >/dev/null")
    assert (done.returncode, done.stderr) == (0, "")  # the shell reports head's status
    done = shell("gjjcalc schedule 100000 3.25% 600 --json | head -c1 >/dev/null; exit 0")
    assert done.stderr == ""
    done = shell("(gjjcalc schedule 100000 3.25% 600 --json; echo \"rc=$?\" >&2) | head -c1 >/dev/null")
    assert done.stderr.strip() in ("rc=0", "rc=1")


def test_a_stdout_closed_by_the_shell_exits_2():
    done = shell("gjjcalc schedule 100000 3.25% 12 >&-")
    assert done.returncode == 2
    assert one_line(done.stderr) == "gjjcalc schedule: error: cannot write the output: stdout is closed"


def test_hostile_arguments_in_a_subprocess_show_no_traceback():
    for argv in (
        [*PAYOFF, "--days", "99999999999"],
        [*SCHEDULE, "--first-due", "9999-12-01"],
        ["quota", "liangshan", "--house-price", "1e999999999", "--area", "西昌市"],
        ["schedule", "1e999999999", "3.25%", "12"],
    ):
        done = cli(*argv)
        assert (done.returncode, done.stdout) == (2, ""), argv
        assert one_line(done.stderr).startswith(f"gjjcalc {argv[0]}: error: ")
