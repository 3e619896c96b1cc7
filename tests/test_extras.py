"""Without an optional extra, every entry point that needs it names the ``pip install
'gjjcalc[...]'`` to run, in this process: the missing module is simulated by a ``None`` in
``sys.modules`` (module-level imports) or an ``__import__`` that refuses it (imports inside a
function). The same in a fresh interpreter is in tests/test_display.py."""

from __future__ import annotations

import builtins
import importlib
import subprocess
import sys

import pytest

import gjjcalc


def _block_modules(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    """``import name`` (and its submodules) fails as when the package is not installed."""
    for loaded in list(sys.modules):
        if any(loaded == n or loaded.startswith(n + ".") for n in names):
            monkeypatch.delitem(sys.modules, loaded)
    for name in names:
        monkeypatch.setitem(sys.modules, name, None)


def _block_imports(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    """An ``__import__`` that raises ModuleNotFoundError for ``names``, as a missing package does."""
    real = builtins.__import__

    def refusing(name: str, *args: object, **kwargs: object) -> object:
        if any(name == n or name.startswith(n + ".") for n in names):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refusing)


def _fresh_import(monkeypatch: pytest.MonkeyPatch, module: str) -> object:
    monkeypatch.delitem(sys.modules, module, raising=False)
    return importlib.import_module(module)


@pytest.mark.parametrize(
    ("module", "missing", "extra"),
    [
        ("gjjcalc.plot", ("matplotlib",), "plot"),
        ("gjjcalc.testing", ("hypothesis",), "testing"),
        ("gjjcalc.dask", ("dask",), "dask"),
        ("gjjcalc.dask", ("pandas",), "dask"),
    ],
)
def test_importing_a_module_without_its_extra_names_the_extra(monkeypatch, module, missing, extra):
    _block_modules(monkeypatch, *missing)
    with pytest.raises(ModuleNotFoundError, match=rf"pip install 'gjjcalc\[{extra}\]'") as caught:
        _fresh_import(monkeypatch, module)
    assert caught.value.name.split(".")[0] == missing[0]  # what is missing (dask.dataframe: dask)
    assert isinstance(caught.value, ImportError)  # an `except ImportError` still catches it


def test_the_message_says_what_is_missing(monkeypatch):
    _block_modules(monkeypatch, "hypothesis")
    with pytest.raises(ModuleNotFoundError) as caught:
        _fresh_import(monkeypatch, "gjjcalc.testing")
    assert "hypothesis" in str(caught.value)


def test_the_modules_import_when_the_extras_are_there(monkeypatch):
    for module in ("gjjcalc.plot", "gjjcalc.testing", "gjjcalc.dask"):
        pytest.importorskip(module.replace("gjjcalc.plot", "matplotlib")
                            .replace("gjjcalc.testing", "hypothesis").replace("gjjcalc.dask", "dask"))
        assert _fresh_import(monkeypatch, module).__name__ == module


def test_to_frame_without_pandas_names_the_pandas_extra(monkeypatch):
    s = gjjcalc.equal_installment(690000, "3.25%", 300)
    quote = gjjcalc.payoff(balance=646609.84, annual_rate=0.0325, on="2018-01-10", interest_from="2017-12-29")
    from gjjcalc.rules import loan_quota

    quota = loan_quota("liangshan", area="西昌市", house_price=5_000_000)
    _block_imports(monkeypatch, "pandas")
    for call in (s.to_frame, lambda: s.to_frame(labels="zh"), quote.to_frame, quota.to_frame):
        with pytest.raises(ImportError, match=r"pip install 'gjjcalc\[pandas\]'"):
            call()
    # what needs no pandas still works
    assert "3,362.48" in s._repr_html_()
    assert quote.to_dict()["total"] == "647310.33"


def test_batch_to_frame_without_pandas_names_the_pandas_extra(monkeypatch):
    result = gjjcalc.batch.payoff([646609.84], 0.0325, days=12)
    _block_imports(monkeypatch, "pandas")
    with pytest.raises(ImportError, match=r"pip install 'gjjcalc\[pandas\]'"):
        result.to_frame()
    assert result.to_dict()["total"] == ["647310.33"]


def test_progress_without_tqdm_names_the_progress_extra(monkeypatch):
    _block_imports(monkeypatch, "tqdm")
    with pytest.raises(ImportError, match=r"pip install 'gjjcalc\[progress\]'"):
        gjjcalc.batch.payments([1000.0], 0.03, 12, progress=True)
    assert gjjcalc.batch.payments([1000.0], 0.03, 12).tolist() == [84.69]


def test_import_gjjcalc_needs_no_extra():
    # in a fresh interpreter: re-importing gjjcalc here would leave copies of its classes behind
    code = (
        "import sys\n"
        "for name in ('pandas', 'matplotlib', 'hypothesis', 'dask', 'tqdm'):\n"
        "    sys.modules[name] = None\n"
        "import gjjcalc\n"
        "print(gjjcalc.payment(690000, '3.25%', 300), gjjcalc.to_json(gjjcalc.equal_installment(1000, '3.1%', 1))[:9])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["3362.48", '{"method"']
