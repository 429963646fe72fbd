# The two commands of the README: `make serve` and `make test`. Both set up a fresh Debian machine first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: setup serve build test ingest paragraphs stand-ins bench clean

# Debian packages first: the virtualenv may need python3-venv.
setup:
	@bash tools/setup-debian.sh
	@$(MAKE) --no-print-directory $(VENV)/.installed

# Reinstall only when the pins change.
$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

serve: setup
	$(BIN)/mkdocs serve --strict -a 127.0.0.1:8000

build: setup
	$(BIN)/mkdocs build --strict

test: setup
	$(BIN)/python -m pytest

# Add or refresh a speech: make ingest SRC=path/to/speech.txt (no SRC: re-ingest everything in sources/).
ingest: setup
	$(BIN)/python tools/ingest.py $(SRC)

paragraphs: setup
	$(BIN)/python tools/paragraphs.py $(if $(EN),--en) $(SLUG)

clean:
	rm -rf site .pytest_cache

# After adding Chinese pages: an English "translation pending" counterpart for each.
stand-ins: setup
	$(BIN)/python tools/stand_ins.py

# Figures, not tests: one table of build cost (per hook, and at 10× and 100× the text), search quality,
# page weight, PDF and `mkdocs serve` times, all measured in one run (under 10 minutes on 2 cores).
# make bench QUICK=1 (fewer runs, no 100× corpus); make bench ONLY=search,weight (some parts).
bench: setup
	$(BIN)/python tools/bench.py $(if $(QUICK),--quick) $(if $(ONLY),--only $(ONLY))
