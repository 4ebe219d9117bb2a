# Two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo-output

.PHONY: demo test lint typecheck pytest venv system-deps assets bench clean docs

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[spark,pdf,dev,bench]'
	touch $(STAMP)

venv: $(STAMP)

# Front-end code the HTML report embeds (Plotly's basic bundle), from the npm package
# pinned in src/cartera/report/vendor/package-lock.json; installed locally, never a CDN.
REPORT_VENDOR := src/cartera/report/vendor
$(REPORT_VENDOR)/node_modules/.package-lock.json: $(REPORT_VENDOR)/package-lock.json
	npm ci --prefix $(REPORT_VENDOR) --no-audit --no-fund --ignore-scripts

assets: $(REPORT_VENDOR)/node_modules/.package-lock.json

# Debian packages the tests need: Chromium for the browser test, Java for Spark,
# Pango for WeasyPrint. Installed only when missing (apt needs root, as here).
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	command -v java >/dev/null 2>&1 || missing="$$missing openjdk-17-jre-headless"; \
	ldconfig -p | grep -q libpango-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	fc-list 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

demo: $(STAMP) system-deps assets
	$(BIN)/cartera demo $(DEMO_DIR)/data
	$(BIN)/cartera import $(DEMO_DIR)/data --into $(DEMO_DIR)/workspace
	$(BIN)/cartera analyze $(DEMO_DIR)/workspace
	$(BIN)/cartera analyze $(DEMO_DIR)/workspace --format json > $(DEMO_DIR)/analysis.json
	@echo ""
	@echo "Demo data:      $(DEMO_DIR)/data"
	@echo "Workspace:      $(DEMO_DIR)/workspace"
	@echo "Analysis JSON:  $(DEMO_DIR)/analysis.json"
	@echo "Reports:"
	@$(BIN)/cartera report $(DEMO_DIR)/workspace --format all --out $(DEMO_DIR)/reports

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy src

pytest: $(STAMP) system-deps assets
	$(BIN)/pytest -q

test: lint typecheck pytest

# Benchmarks (minutes each; not part of the tests). Results: benchmarks/results/*.md,
# gathered into benchmarks/RESULTS.md.
bench: $(STAMP)
	$(PY) benchmarks/bench_import.py --lines 1000000 --clients 90000 --repeat 3 --write
	$(PY) benchmarks/bench_analysis.py --sizes 1m,10m --repeat 3
	$(PY) benchmarks/bench_stress.py --scenarios 100000 --clients 10000 --repeat 5
	$(PY) benchmarks/bench_demo.py --lines 10000000 --clients 200000
	$(PY) benchmarks/gather.py

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache
