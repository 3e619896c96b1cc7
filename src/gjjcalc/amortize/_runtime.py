"""How the compiled kernels run: the threading layer, fork, concurrent calls and the disk cache.

Numba runs ``parallel=True`` kernels on one of three threading layers (TBB, OpenMP,
workqueue; see numba's documentation, "The Threading Layers"). Only TBB is safe both for
concurrent calls from several threads and for ``fork``; GNU OpenMP is safe for threads but
not for fork, workqueue for fork but not for threads. This module, imported before any
kernel is compiled:

* makes the ``tbb`` wheel's library loadable (it installs ``libtbb`` under ``sys.prefix``,
  where numba does not look), so numba's default order picks TBB wherever it is installed;
* serializes kernel calls while the layer is unknown or is workqueue (concurrent calls
  would abort the process);
* refuses, with :class:`~gjjcalc.errors.RuntimeLayerError`, a kernel call in a child
  forked from a process that ran kernels on OpenMP (the child would be killed);
* picks a cache directory the process can write: the package's ``__pycache__``, numba's
  user-wide cache, or a private directory under the system's temporary directory;
  with none, kernels are compiled in memory only (``CACHE`` is False).

``NUMBA_THREADING_LAYER`` and ``NUMBA_CACHE_DIR`` set by the user are respected.
"""

from __future__ import annotations

import ctypes
import os
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from gjjcalc.errors import RuntimeLayerError

__all__ = ["CACHE", "guarded", "layer"]


def _preload_tbb() -> None:
    """Load the ``tbb`` wheel's ``libtbb`` by path, so that numba's own load finds it."""
    if os.environ.get("NUMBA_THREADING_LAYER", "").lower() not in ("", "default", "safe", "tbb"):
        return
    names = {"linux": "libtbb.so.12", "darwin": "libtbb.12.dylib"}
    name = next((v for k, v in names.items() if sys.platform.startswith(k)), None)
    if name is None:
        return
    for prefix in dict.fromkeys((sys.prefix, sys.base_prefix)):
        path = Path(prefix) / "lib" / name
        if path.exists():
            try:
                ctypes.CDLL(str(path), mode=ctypes.RTLD_GLOBAL)
            except OSError:
                continue
            return


def _writable(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=path).close()
    except OSError:
        return False
    return True


def _user_cache() -> Path | None:
    """numba's user-wide cache directory (XDG_CACHE_HOME or ~/.cache, then numba)."""
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "numba"
    try:
        return Path.home() / ".cache" / "numba"
    except (RuntimeError, KeyError):
        return None


def choose_cache(in_tree: Path, user: Path | None, private: Path) -> Path | None:
    """The first writable of the package's ``__pycache__`` (``in_tree``), numba's user-wide
    cache and a ``private`` directory, or None when none can be written.

    >>> choose_cache(Path("/proc/gjjcalc"), None, Path("/proc/gjjcalc-tmp")) is None
    True
    """
    for path in (in_tree, user, private):
        if path is not None and _writable(path):
            return path
    return None


def _cache() -> bool:
    """Whether kernels are cached on disk; points numba's CACHE_DIR at a private temporary
    directory when only that can be written (a read-only install run by a user with no
    writable home)."""
    from numba.core import config

    given = os.environ.get("NUMBA_CACHE_DIR")
    if given and _writable(Path(given)):
        return True
    uid = os.getuid() if hasattr(os, "getuid") else 0
    private = Path(tempfile.gettempdir()) / f"gjjcalc-numba-{uid}"
    chosen = choose_cache(Path(__file__).parent / "__pycache__", _user_cache(), private)
    if chosen == private:
        config.CACHE_DIR = str(private)  # type: ignore[attr-defined]
    return chosen is not None


_preload_tbb()
CACHE = _cache()
"""Whether the kernels are cached on disk (see the module's documentation)."""

_LOCK = threading.RLock()
_layer: str | None = None
_forked_from_omp = False


def layer() -> str | None:
    """The threading layer the kernels run on, once one has run (else None)."""
    return _layer


def _after_fork_in_child() -> None:
    global _forked_from_omp
    if _layer == "omp":
        _forked_from_omp = True


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


@contextmanager
def guarded() -> Iterator[None]:
    """Run parallel kernels safely: serialized unless the layer is safe for threads, and
    refused in a child forked from a process that ran them on OpenMP."""
    global _layer
    if _forked_from_omp:
        raise RuntimeLayerError(
            "gjjcalc's batch functions ran on the OpenMP threading layer in the parent of this "
            "forked process, where OpenMP cannot run again; start workers with the 'spawn' or "
            "'forkserver' method, or install tbb (pip install tbb), which is safe after fork"
        )
    if _layer in ("tbb", "omp"):
        yield
        return
    with _LOCK:
        yield
        if _layer is None:
            from numba.np.ufunc.parallel import threading_layer

            with suppress(ValueError):  # no parallel kernel has run yet
                _layer = str(threading_layer())  # type: ignore[no-untyped-call]
