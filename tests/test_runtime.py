"""The batch engine in real runtimes: threads under every threading layer, fork, a read-only cache.

Each scenario runs in a fresh interpreter (a crash there would otherwise take the test run
with it); the child prints what it saw and the test reads it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from gjjcalc.amortize import _runtime

pytestmark = pytest.mark.jit_only


def layer_available(name: str) -> bool:
    probe = """
        import numpy as np, gjjcalc.batch as b
        from numba.np.ufunc.parallel import threading_layer
        b.payments(np.full(100, 1000.0), 0.03, 12)
        print(threading_layer())
    """
    done = run(probe, NUMBA_THREADING_LAYER=name, check=False)
    return done.returncode == 0 and done.stdout.strip().endswith(name)


def run(code: str, *, check: bool = True, **env: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=600, env={**os.environ, **env}, check=False)
    if check:
        assert done.returncode == 0, done.stderr[-2000:]
    return done


THREADS = """
    import threading
    import numpy as np
    import gjjcalc.batch as b
    principal = np.full(100_000, 690000.0)
    expected = b.summaries(690000.0, 0.0325, 300).total_interest[0]
    bad = []
    def work():
        for _ in range(3):
            s = b.summaries(principal, 0.0325, 300)
            bad.extend([] if (s.total_interest == expected).all() else ["mismatch"])
    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    from numba.np.ufunc.parallel import threading_layer
    print(threading_layer(), len(bad))
"""


@pytest.mark.parametrize("layer", ["default", "tbb", "omp", "workqueue"])
def test_four_threads_calling_the_batch_at_once_do_not_crash(layer: str) -> None:
    if layer != "default" and not layer_available(layer):
        pytest.skip(f"numba's {layer} threading layer is not available here")
    done = run(THREADS, NUMBA_THREADING_LAYER=layer)
    name, mismatches = done.stdout.split()
    assert mismatches == "0"
    if layer != "default":
        assert name == layer


def test_the_tbb_wheel_is_picked_by_default_where_it_is_installed() -> None:
    if not layer_available("tbb"):
        pytest.skip("tbb is not installed for this platform")
    done = run(THREADS, NUMBA_THREADING_LAYER="default")
    assert done.stdout.split()[0] == "tbb"


FORK = """
    import multiprocessing as mp
    import numpy as np
    import gjjcalc.batch as b

    def child(q):
        try:
            q.put(("ok", float(b.summaries(np.full(10_000, 1000.0), 0.03, 12).total_interest[0])))
        except Exception as e:
            q.put((type(e).__name__, str(e)))

    if __name__ == "__main__":
        b.summaries(np.full(10_000, 1000.0), 0.03, 12)
        ctx = mp.get_context("fork")
        q = ctx.Queue()
        p = ctx.Process(target=child, args=(q,))
        p.start()
        p.join(120)
        print(p.exitcode, *q.get(timeout=10))
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
@pytest.mark.parametrize("layer", ["default", "tbb", "omp", "workqueue"])
def test_a_child_forked_after_a_batch_call_computes_or_gets_a_typed_error(layer: str, tmp_path: Path) -> None:
    if layer != "default" and not layer_available(layer):
        pytest.skip(f"numba's {layer} threading layer is not available here")
    script = tmp_path / "fork_child.py"
    script.write_text(textwrap.dedent(FORK), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NUMBA_THREADING_LAYER": layer}, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    exitcode, kind, *rest = done.stdout.split(maxsplit=2)
    assert exitcode == "0"  # the worker is never killed
    if layer == "omp":  # GNU OpenMP cannot run after fork: refused with a typed error
        assert kind == "RuntimeLayerError"
        assert "spawn" in rest[0]
    else:
        assert (kind, rest[0].strip()) == ("ok", "16.33")


def test_the_cache_falls_back_to_a_private_directory_then_to_memory(tmp_path: Path) -> None:
    # /proc cannot be written, even by root: it stands for a read-only site-packages and home
    unwritable = Path("/proc/gjjcalc-test")
    if not Path("/proc").is_dir():
        pytest.skip("no /proc here")
    private = tmp_path / "private"
    assert _runtime.choose_cache(unwritable, unwritable, private) == private
    assert private.is_dir()
    assert _runtime.choose_cache(unwritable, None, unwritable) is None
    assert _runtime.choose_cache(tmp_path, unwritable, private) == tmp_path


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="needs root to drop to another user")
def test_a_read_only_install_imports_and_computes_as_a_user_with_no_home() -> None:
    # run the library as 'nobody': the package's __pycache__ and /nonexistent are not writable
    python = sys.executable
    probe = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                            str(python), "-c", "import gjjcalc"], capture_output=True, text=True,
                           check=False)
    if probe.returncode != 0:
        pytest.skip("the interpreter is not usable by another user here")
    code = ("import gjjcalc.batch as b; from gjjcalc.amortize import _runtime; "
            "print(_runtime.CACHE, b.payments(1000, 0.03, 12).tolist())")
    shared = Path(tempfile.mkdtemp(prefix="gjjcalc-ro-"))  # pytest's tmp_path is private to root
    try:
        shared.chmod(0o777)
        done = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                               python, "-c", code], capture_output=True, text=True, timeout=600,
                              check=False, env={**os.environ, "HOME": "/nonexistent", "TMPDIR": str(shared)})
        assert done.returncode == 0, done.stderr[-2000:]
        cached, payments = done.stdout.split(maxsplit=1)
        assert (cached, payments.strip()) == ("True", "[84.69]")
        assert any(shared.glob("gjjcalc-numba-65534/**/*.nbi"))  # cached in the private directory
    finally:
        shutil.rmtree(shared, ignore_errors=True)
