"""The batch engine (numba is imported here, and only here): ``import gjjcalc.batch``.

See :mod:`gjjcalc.amortize.batch` for the functions and their conventions.
"""

from gjjcalc.amortize import batch as _engine
from gjjcalc.amortize.batch import *  # noqa: F403  (the public names, listed once there)

__all__ = _engine.__all__
