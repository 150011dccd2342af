# arms — `make help` lists the targets.
#
# The first `make test`, `make report` (or any target that needs the project) creates .venv
# with `python3 -m venv` and installs the project with its test extra; nothing else needs
# setting up. The install stamp carries a hash of pyproject.toml's content, so editing the
# dependencies reinstalls on the next run and an unchanged file skips installation.

.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
LAB_ARGS ?=
REPORT_ARGS ?=
NOTEBOOKS := $(wildcard notebooks/*.ipynb)

PYPROJECT_SHA := $(shell $(PYTHON) -c 'import hashlib; print(hashlib.sha256(open("pyproject.toml", "rb").read()).hexdigest()[:16])' 2>/dev/null)
STAMP := $(VENV)/.installed-$(PYPROJECT_SHA)
RUFF_CHECK := $(BIN)/ruff check .

.PHONY: help install test lint report lab clean-notebooks clean distclean

help: ## list the targets
	@echo "Usage: make TARGET   (the first run creates .venv and installs arms into it)"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo
	@echo "Variables: PYTHON=$(PYTHON) (3.11+, used to create .venv), PYTEST_ARGS, REPORT_ARGS, LAB_ARGS"

install: $(STAMP) ## create .venv and install arms with its test tools (done for you by other targets)

$(STAMP):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "arms needs Python 3.11 or newer; $(PYTHON) is " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "'$(PYTHON) -m venv' failed; on Debian or Ubuntu install the python3-venv package." >&2; \
	  rm -rf $(VENV); exit 1; }
	@echo "Installing arms and its dependencies into $(VENV) (first run or pyproject.toml changed)..."
	$(BIN)/python -m pip install --quiet --progress-bar off --editable '.[test]'
	@# `python3` kernel of this environment, preferred by the venv's Jupyter (make lab, notebook tests)
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name 'Python 3 (arms)' >/dev/null
	@rm -f $(VENV)/.installed-*
	@touch $@

lint: $(STAMP) ## ruff: pyflakes, pycodestyle, isort, bugbear, pyupgrade, numpydoc, pandas-vet
	$(RUFF_CHECK)

# Lint and tests both run, so one run shows every problem; the target fails if either does.
test: $(STAMP) ## lint + the whole test suite (doctests and notebooks included); PYTEST_ARGS=... to narrow
	@status=0; \
	$(RUFF_CHECK) || status=1; \
	$(BIN)/python -m pytest $(PYTEST_ARGS) || { \
	  rc=$$?; status=$$rc; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure here." >&2; fi; }; \
	exit $$status

report: $(STAMP) ## the main job: build the static report from the bundled data into reports/
	$(BIN)/arms report $(REPORT_ARGS)

lab: $(STAMP) ## JupyterLab on notebooks/ with the project kernel
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

clean-notebooks: $(STAMP) ## clear outputs and execution counts of notebooks/*.ipynb (do it before committing)
ifneq ($(NOTEBOOKS),)
	$(BIN)/python -m nbconvert --clear-output --inplace --log-level=WARN $(NOTEBOOKS)
else
	@echo "no notebooks in notebooks/"
endif

clean: ## remove build output and caches (reports/, __pycache__, tool caches); keeps .venv
	rm -rf reports build dist *.egg-info .pytest_cache .ruff_cache .hypothesis benchmarks/out
	find . \( -path ./$(VENV) -o -path ./.git \) -prune -o \
	  \( -name __pycache__ -o -name .ipynb_checkpoints \) -type d -exec rm -rf {} +

distclean: clean ## clean, and remove .venv too (the next run reinstalls)
	rm -rf $(VENV)
