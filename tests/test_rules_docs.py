"""docs/rules.md: its Python examples run, and its example pack file is a valid pack."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

from gjjcalc.rules import load_pack, loan_quota

DOC = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def test_rules_doc_examples_run():
    result = doctest.testfile(
        str(DOC),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert result.attempted > 20
    assert result.failed == 0


def test_rules_doc_example_toml_is_a_valid_pack(tmp_path: Path):
    blocks = re.findall(r"```toml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) == 1
    path = tmp_path / "tianjin.toml"
    path.write_text(blocks[0], encoding="utf-8")
    pack = load_pack(path)
    assert pack.name == "tianjin"
    assert pack.effective is None
    quota = loan_quota(
        pack, area="天津市", balance=30_000, monthly_income=10_000, months=240, second_home=True
    )
    # second home: balance 30,000 × 10 = 300,000 binds before the 700,000 cap and the
    # linear capacity (10,000 × 40%) × 240 = 960,000
    assert [(limit.name, str(limit.value)) for limit in quota.limits] == [
        ("region_cap", "700000.00"),
        ("balance_multiple", "300000.00"),
        ("repayment_capacity", "960000.00"),
    ]
    assert quota.binding == "balance_multiple"
