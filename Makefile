# Diplomatic Wire: `make html` builds the site, `make test` runs the tests.
# Both create .venv from requirements.txt on first use.

PY ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
PELICAN ?= $(BIN)/pelican
# Pelican's options: PELICANOPTS adds to them (of two, the later wins), so
# that each rejected file stays one log line whatever a user adds.
PELICANBASE = --log-handler plain
PELICANOPTS ?=

BASEDIR = $(CURDIR)
INPUTDIR = $(BASEDIR)/content
SEEDDIR ?= seeds
OUTPUTDIR ?= output
PORT ?= 8000
# Empty: the address `make serve` serves on (pelicanconf.py), so the local site
# and its feeds work as they are.
SITEURL ?=
STRICT ?=
CONFFILE = $(BASEDIR)/pelicanconf.py
PUBLISHCONF = $(BASEDIR)/publishconf.py
GITHUB_PAGES_BRANCH ?= gh-pages

# Make variables reach pelicanconf.py as environment variables: no quoting issues.
WIRE_ENV = WIRE_SEEDDIR="$(SEEDDIR)" WIRE_SITEURL="$(SITEURL)" WIRE_PORT="$(PORT)" WIRE_STRICT="$(STRICT)"

ifeq ($(DEBUG), 1)
	PELICANBASE += -D
endif

.PHONY: help html check clean regenerate serve devserver publish github test screenshots bench

help:
	@echo 'Usage: make [target] [VARIABLE=value ...]'
	@echo ''
	@echo 'Targets:'
	@echo '  html        build the site into OUTPUTDIR'
	@echo '  check       html, failing when any wire file was rejected (STRICT=1)'
	@echo '  clean       remove OUTPUTDIR, its spare copy (.OUTPUTDIR.spare) and the Pelican cache'
	@echo '  regenerate  rebuild on every change to content, seeds or theme'
	@echo '  serve       serve OUTPUTDIR at http://localhost:PORT'
	@echo '  devserver   regenerate and serve together'
	@echo '  publish     build with publishconf.py (production SITEURL); refuses'
	@echo '              rejected files unless STRICT=0'
	@echo '  github      publish, then push OUTPUTDIR to the $(GITHUB_PAGES_BRANCH) branch'
	@echo '  test        run the test suite'
	@echo '  bench       benchmark full and incremental builds (BENCHOPTS="--quick", "--large", ...)'
	@echo '  screenshots PNGs of the main pages at phone and desktop widths into docs/screenshots'
	@echo ''
	@echo 'Variables: SEEDDIR=$(SEEDDIR) OUTPUTDIR=$(OUTPUTDIR) SITEURL=$(SITEURL)'
	@echo '           PORT=$(PORT) STRICT=1 (fail when a wire file is rejected) DEBUG=1'

$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# Runs Pelican unless the last build's record shows nothing changed (it then
# answers without waiting for Pelican's import, and otherwise runs it in the
# same process: plugins/diplomatic_wire/uptodate.py).
UPTODATE = PYTHONPATH="$(BASEDIR)/plugins$${PYTHONPATH:+:$$PYTHONPATH}" $(BIN)/python -m diplomatic_wire.uptodate

html: $(BIN)/.installed
	$(WIRE_ENV) $(UPTODATE) $(PELICAN) "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" $(PELICANBASE) $(PELICANOPTS)

check:
	$(MAKE) html STRICT=1

clean:
	rm -rf "$(OUTPUTDIR)" "$(dir $(OUTPUTDIR)).$(notdir $(OUTPUTDIR)).spare" "$(BASEDIR)/cache"

regenerate: $(BIN)/.installed
	$(WIRE_ENV) $(PELICAN) -r "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" $(PELICANBASE) $(PELICANOPTS)

serve: $(BIN)/.installed
	$(PELICAN) -l "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" -p $(PORT) $(PELICANBASE) $(PELICANOPTS)

devserver: $(BIN)/.installed
	$(WIRE_ENV) $(PELICAN) -lr "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" -p $(PORT) $(PELICANBASE) $(PELICANOPTS)

# Publishing refuses a build with rejected files unless STRICT=0 (publishconf.py).
publish: $(BIN)/.installed
	$(WIRE_ENV) $(PELICAN) "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(PUBLISHCONF)" $(PELICANBASE) $(PELICANOPTS)

github: publish
	$(BIN)/ghp-import -m "Generate Pelican site" -b $(GITHUB_PAGES_BRANCH) "$(OUTPUTDIR)"
	git push origin $(GITHUB_PAGES_BRANCH)

test: $(BIN)/.installed
	$(BIN)/python -m pytest -q $(PYTEST_OPTS)

screenshots: $(BIN)/.installed
	$(BIN)/python tests/browser_support.py --out docs/screenshots

bench: $(BIN)/.installed
	$(BIN)/python bench/run.py $(BENCHOPTS)
