"""``python -m gjjcalc``: the command line of :mod:`gjjcalc.cli`.

>>> from gjjcalc.cli import main
>>> main(["rate", "2018-01-01", "--months", "300", "--csv"])
on,effective,months,second_home,rate
2018-01-01,2015-10-24,300,false,0.0325
0
"""

from __future__ import annotations

import sys

from gjjcalc.cli import main

if __name__ == "__main__":
    sys.exit(main())
