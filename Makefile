# Every target bootstraps .venv idempotently: the stamp is rebuilt only when
# pyproject.toml or constraints.txt change.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export LMSCHOOL_HOME ?= $(CURDIR)/var

.PHONY: run demo screenshots test bench bench-lm mutants lint install clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The web platform, in the foreground until Ctrl-C (docs/web.md).
run: $(STAMP)
	LMSCHOOL_DAEMON=0 $(BIN)/lmschool serve

# The terminal demo: grade the reference solutions as a demo learner.
demo: $(STAMP)
	$(BIN)/lmschool demo

# The web pages' screenshots in docs/screenshots, from the browser test (docs/web.md).
screenshots: $(STAMP)
	LMSCHOOL_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest -q -p no:xdist tests/test_web_browser.py

test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadgroup -q --durations=25

bench: $(STAMP)
	$(BIN)/python bench/grading.py
	$(BIN)/python bench/hardening.py
	$(BIN)/python bench/planning.py
	$(BIN)/python bench/cli.py
	$(BIN)/python bench/web.py

# Module 3's model-training benchmarks: hours on two cores (bench/lm.py says which is which).
bench-lm: $(STAMP)
	$(BIN)/python bench/lm.py --run all

# Mutation testing of the checks of modules 1 and 2: hours on two cores (the labs are sampled).
mutants: $(STAMP)
	$(BIN)/python bench/mutants.py

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
