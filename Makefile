# The two commands of the README: `make serve` and `make test`. Both set up a fresh Debian machine first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: setup serve build test ingest paragraphs suggest stand-ins bench clean publish rollback release gaps

# Publishing needs to know where: checked before anything is set up or built.
ifneq ($(filter publish rollback,$(MAKECMDGOALS)),)
ifndef DEST
$(error DEST is required, e.g. `make $(filter publish rollback,$(MAKECMDGOALS)) DEST=/srv/handbook` (nginx serves DEST/live))
endif
endif

# Debian packages first: the virtualenv may need python3-venv.
setup:
	@bash tools/setup-debian.sh
	@$(MAKE) --no-print-directory $(VENV)/.installed

ifneq ($(filter serve,$(MAKECMDGOALS)),)
ifeq ($(filter $(or $(EDITION),zh),zh en),)
$(error EDITION is zh (the default) or en, e.g. `make serve EDITION=en`)
endif
endif

# Reinstall only when the pins change.
$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# The Chinese edition alone, at the root; EDITION=en builds both languages and previews the English pages under
# /en/ (static-i18n's build_only_locale=en would render the Chinese files: with the suffix structure, unsuffixed
# files belong to the default language, which it makes English). After a save of a page of the edition, only the
# pages the edit affects are rendered again, with their checks (README, "Previewing: make serve").
# --livereload: since click 8.2.2 mkdocs' default is off, and serve would watch no file (mkdocs #4032).
EDITION ?= zh
serve: setup
	HANDBOOK_SERVE_REBUILD=affected $(if $(filter zh,$(EDITION)),BUILD_ONLY_LOCALE=zh) \
		$(BIN)/mkdocs serve --strict --livereload -a 127.0.0.1:8000

build: setup
	$(BIN)/mkdocs build --strict

# The whole release: the site, the PDFs of both languages (full and 新人入职) and the offline zip.
RELEASE ?= release
release: setup
	$(BIN)/python tools/release.py $(RELEASE)

test: setup
	$(BIN)/python -m pytest

# Add or refresh a speech: make ingest SRC=path/to/讲话.docx (or .txt; no SRC: re-ingest everything in sources/).
ingest: setup
	$(BIN)/python tools/ingest.py $(if $(SRC),"$(SRC)")

paragraphs: setup
	$(BIN)/python tools/paragraphs.py $(if $(EN),--en) $(SLUG)

# For each paragraph of a speech no clause cites yet: the existing clauses it most likely supports, with citation
# lines to paste (README, "Benchmark"). make suggest SLUG=<slug> [AS_NEW=1: as if the speech were new].
suggest: setup
	$(BIN)/python tools/suggest.py $(if $(AS_NEW),--as-new) $(if $(EN),--en) $(SLUG)

clean:
	rm -rf site release .pytest_cache

# After adding Chinese pages: an English "translation pending" counterpart for each.
stand-ins: setup
	$(BIN)/python tools/stand_ins.py

# Figures, not tests: one table of build cost (per hook, and at 10× and 100× the text), search quality,
# page weight, PDF and `mkdocs serve` times, all measured in one run (under 10 minutes on 2 cores).
# make bench QUICK=1 (fewer runs, no 100× corpus); make bench ONLY=search,weight (some parts).
bench: setup
	$(BIN)/python tools/bench.py $(if $(QUICK),--quick) $(if $(ONLY),--only $(ONLY))

# Build and check a release into DEST/releases, then switch DEST/live to it (README, "Publishing on the intranet").
publish: setup
	$(BIN)/python tools/publish.py publish $(DEST) $(if $(KEEP),--keep $(KEEP))

# The questions readers marked 没有找到答案 (no clause answers them), most asked first, personal data masked:
# make gaps LOG=/var/log/nginx/handbook-gaps.log [SITE=DEST/live: what that site answers each with now]
# (README, "Publishing on the intranet").
LOG ?= /var/log/nginx/handbook-gaps.log
gaps: setup
	$(BIN)/python tools/gaps.py $(LOG) $(if $(SITE),--site $(SITE))

# Point DEST/live back at the previous release (or TO=<release name>).
rollback: setup
	$(BIN)/python tools/publish.py rollback $(DEST) $(if $(TO),--to $(TO))
