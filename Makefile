# glossary — Chinese–English terminology manager
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= glossary.db

.PHONY: venv run test test-slow test-all eval eval-align eval-mine bench clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

## make run: the main job on the sample corpus — init, ingest seeds/, mine, stats, then the review TUI
run: $(STAMP)
	$(BIN)/glossary --db $(DB) init
	$(BIN)/glossary --db $(DB) ingest seeds/
	$(BIN)/glossary --db $(DB) mine
	$(BIN)/glossary --db $(DB) stats
	@if [ -t 1 ] && [ -z "$$CI" ]; then $(BIN)/glossary --db $(DB) review; \
	 else echo "(not a terminal: skipping the review TUI; run '$(BIN)/glossary --db $(DB) review')"; fi

## make test: the default suite (fast; slow suites are marked and run by test-slow)
test: $(STAMP)
	$(BIN)/pytest -q -n 2 -m "not slow"

test-slow: $(STAMP)
	$(BIN)/pytest -q -n 2 -m slow

test-all: $(STAMP)
	$(BIN)/pytest -q -n 2

eval: eval-align eval-mine

eval-align: $(STAMP)
	$(PY) -m glossary.evaluation.align

eval-mine: $(STAMP)
	$(PY) -m glossary.evaluation.mine

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache build dist *.egg-info
