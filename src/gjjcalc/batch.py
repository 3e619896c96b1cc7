"""The batch engine (numba is imported here, and only here): ``import gjjcalc.batch``.

See :mod:`gjjcalc.amortize.batch` for the functions and their conventions.
"""

from gjjcalc.account.batch import OffsetPlans, offset_plans
from gjjcalc.amortize import batch as _engine
from gjjcalc.amortize.batch import *  # noqa: F403  (the public names, listed once there)

__all__ = [*_engine.__all__, "OffsetPlans", "offset_plans"]


if __name__ == "__main__":
    # ``python -m gjjcalc.batch --compile``: compile every kernel (or load it from numba's
    # disk cache), e.g. in a container image's build step (``RUN python -m gjjcalc.batch
    # --compile``) so that the compiled kernels ship in the image and no replica compiles
    # at start. Prints the seconds taken and whether the kernels are cached on disk.
    import argparse

    from gjjcalc.amortize import _runtime

    _parser = argparse.ArgumentParser(
        prog="python -m gjjcalc.batch",
        description="The batch engine's kernels, compiled ahead of the first call.")
    _parser.add_argument("--compile", action="store_true",
                         help="compile every kernel now, or load it from numba's disk cache")
    if not _parser.parse_args().compile:
        _parser.print_help()
        raise SystemExit(2)
    _seconds = _engine.warmup()
    _where = "cached on disk" if _runtime.CACHE else "not cached (no writable cache directory)"
    print(f"gjjcalc.batch: kernels compiled or loaded in {_seconds:.3f} s; {_where}")
