PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest pytest-nojit docs bench perf clean mutation

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(PY) -m gjjcalc.demo

lint: $(STAMP)
	$(PY) -m ruff check src tests $(wildcard benchmarks)

typecheck: $(STAMP)
	$(PY) -m mypy --strict src
	$(PY) -m mypy --strict --warn-unused-ignores tests/typing

pytest: $(STAMP)
	$(PY) -m pytest -q

pytest-nojit: $(STAMP)
	NUMBA_DISABLE_JIT=1 $(PY) -m pytest -q -m "not jit_only" tests src/gjjcalc/amortize/batch.py

docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict --site-dir site

test: lint typecheck pytest pytest-nojit docs

bench: $(STAMP)
	mkdir -p .benchmarks
	$(PY) -m pytest benchmarks --benchmark-enable --benchmark-only --benchmark-json=.benchmarks/latest.json
	$(PY) benchmarks/report.py .benchmarks/latest.json > docs/performance.md

# Mutation testing of amortize/schedule.py, _exact.py and prepay.py ([tool.mutmut] in
# pyproject.toml; score in docs/testing.md). mutmut is installed on demand; mutants/ is
# rebuilt from the current src/ on every run (git-ignored). MUTMUT_CHILDREN=2 to go faster.
MUTMUT_CHILDREN ?= 1
mutation: $(STAMP)
	test -x $(VENV)/bin/mutmut || $(PY) -m pip install --quiet 'mutmut>=3.8,<4'
	rm -rf mutants
	NUMBA_DISABLE_JIT=1 $(VENV)/bin/mutmut run --max-children $(MUTMUT_CHILDREN)
	$(VENV)/bin/mutmut results

clean:
	rm -rf $(VENV) dist build site
