# Two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo-output

.PHONY: demo test lint typecheck pytest venv system-deps assets web-assets bench clean docs spark-cluster-start spark-cluster-stop fuzz mutation

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
# Pango for WeasyPrint, PostgreSQL for the store tests (a throw-away cluster). Installed only when missing (apt needs root, as here).
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	command -v java >/dev/null 2>&1 || missing="$$missing openjdk-17-jre-headless"; \
	ldconfig -p | grep -q libpango-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	fc-list 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# The web app's front-end libraries, from the npm registry at exact versions, copied into
# the folder the app serves (never a CDN; no lock file kept). plotly.js comes from the
# installed Python plotly package, the same build the reports embed.
WEB_VENDOR := src/cartera/web/static/vendor
HTMX_VERSION := 2.0.11
web-assets: $(WEB_VENDOR)/htmx.min.js

$(WEB_VENDOR)/htmx.min.js:
	mkdir -p build/npm $(WEB_VENDOR)
	cd build/npm && npm install --no-save --no-package-lock --ignore-scripts --no-audit \
	  --no-fund htmx.org@$(HTMX_VERSION)
	cp build/npm/node_modules/htmx.org/dist/htmx.min.js $(WEB_VENDOR)/htmx.min.js

demo: $(STAMP) system-deps assets web-assets
	$(BIN)/cartera demo $(DEMO_DIR)/data --settings-out $(DEMO_DIR)/settings.toml
	$(BIN)/cartera import $(DEMO_DIR)/data --into $(DEMO_DIR)/workspace
	$(BIN)/cartera analyze $(DEMO_DIR)/workspace --settings $(DEMO_DIR)/settings.toml
	$(BIN)/cartera analyze $(DEMO_DIR)/workspace --settings $(DEMO_DIR)/settings.toml --format json > $(DEMO_DIR)/analysis.json
	@echo ""
	@echo "Demo data:      $(DEMO_DIR)/data"
	@echo "Workspace:      $(DEMO_DIR)/workspace"
	@echo "Analysis JSON:  $(DEMO_DIR)/analysis.json"
	@echo "Reports:"
	@$(BIN)/cartera report $(DEMO_DIR)/workspace --settings $(DEMO_DIR)/settings.toml --format all --out $(DEMO_DIR)/reports
	@rm -rf $(DEMO_DIR)/web
	@pw=$$($(PY) -c "import secrets; print(secrets.token_urlsafe(12))"); \
	CARTERA_PASSWORD=$$pw CARTERA_DATABASE_URL= $(BIN)/cartera user add owner@demo.example \
	  --firm "Demo" --role owner --data $(DEMO_DIR)/web >/dev/null && \
	CARTERA_DATABASE_URL= $(BIN)/cartera firm import Demo $(DEMO_DIR)/data/*.csv \
	  --settings $(DEMO_DIR)/settings.toml --data $(DEMO_DIR)/web \
	  --prospects $(DEMO_DIR)/data/prospects/prospects.csv \
	  --do-not-call $(DEMO_DIR)/data/prospects/robinson.csv >/dev/null && \
	echo "" && echo "Web app on the demo firm (its files already imported):" && \
	echo "  $(BIN)/cartera serve --data $(DEMO_DIR)/web" && \
	echo "  then open http://127.0.0.1:8000/ and log in as owner@demo.example, password $$pw"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy src

# The slow tests run too: Spark parity, and a real standalone cluster (a master and two
# workers started on 127.0.0.1 by scripts/spark-cluster.py for the session, then stopped).
pytest: $(STAMP) system-deps assets web-assets
	$(BIN)/pytest -q

test: lint typecheck pytest

# The fuzzing harness at length (tests/fuzz; `make test` runs a bounded, repeatable part):
# random examples through import and inspect, and more kill -9 runs. Counts: docs/quality.md.
FUZZ_EXAMPLES ?= 1500
fuzz: $(STAMP)
	CARTERA_FUZZ_PROFILE=fuzz CARTERA_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) CARTERA_FAULT_KILLS=10 \
	  $(BIN)/pytest -q -s -p no:cacheprovider tests/fuzz

# Benchmarks (minutes each; not part of the tests). Results: benchmarks/results/*.md,
# gathered into benchmarks/RESULTS.md.
bench: $(STAMP)
	$(PY) benchmarks/bench_import.py --lines 1000000 --clients 90000 --repeat 3 --write
	$(PY) benchmarks/bench_analysis.py --sizes 1m,10m --repeat 3
	$(PY) benchmarks/bench_stress.py --scenarios 100000 --clients 10000 --repeat 5
	$(PY) benchmarks/bench_demo.py --lines 10000000 --clients 200000
	$(PY) benchmarks/bench_commands.py --clients 100000 --lines 2000000 --repeat 3 --fresh
	$(PY) benchmarks/bench_commands.py --clients 500000 --lines 10000000 --repeat 2 --cluster
	$(PY) benchmarks/bench_json.py --repeat 3 \
	  --workspace $${TMPDIR:-/tmp}/cartera-bench/500000-10000000/ws
	$(PY) benchmarks/bench_whatif.py --clients 10000 --lines 110000 --repeat 30 --write
	$(PY) benchmarks/bench_whatif.py --clients 500000 --lines 5500000 --repeat 20 \
		--out benchmarks/results/web_whatif_500k.md --write
	$(PY) benchmarks/bench_web.py --clients 100000 --lines 1100000 --users 50 --seconds 60 --write
	$(PY) benchmarks/bench_import_scale.py --clients 500000 --lines 10000000 --repeat 2 --profile
	$(PY) benchmarks/bench_reports.py --repeat 2 --profile \
	  --workspace $${TMPDIR:-/tmp}/cartera-bench/500000-10000000/ws
	$(PY) benchmarks/bench_cluster.py --clients 500000 --lines 10000000 --scales 1,10 --repeat 2
	$(PY) benchmarks/gather.py

# A Spark standalone cluster on this machine (master spark://127.0.0.1:7077, two workers).
spark-cluster-start: $(STAMP) system-deps
	$(PY) scripts/spark-cluster.py start

spark-cluster-stop: $(STAMP)
	$(PY) scripts/spark-cluster.py stop

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache

# Mutation testing of the rules and the import's core (not part of `make test`; hours:
# one worker at low priority). A run without MUTANTS resumes where the last one stopped,
# on this checkout or, through the committed docs/mutation-verdicts.json, on any other;
# MUTANTS="cartera.segments*" re-runs just those mutants; MUTATION_CHILDREN=2 uses two
# workers. Prints the per-module summary (fails below 90 % or with mutants not run).
# The fork server imports polars and pyarrow once (scripts/mutmut_preload.txt); these
# variables keep out of it the threads their allocators and OpenBLAS start on import
# (polars' idle spill cleaner is the one left). Results: docs/quality.md.
MUTANTS ?=
MUTATION_CHILDREN ?= 1
MUTATION_ENV = PATH=$(CURDIR)/$(BIN):$$PATH OPENBLAS_NUM_THREADS=1 _RJEM_MALLOC_CONF=background_thread:false \
	JE_ARROW_MALLOC_CONF=background_thread:false
mutation: $(STAMP)
	$(BIN)/pip install -q -e '.[mutation]'
	@# mutmut regenerates changed .py files but keeps its first copy of the tests and of
	@# the package's other files (catalogs, templates): refresh them before resuming.
	@if [ -d mutants/src ]; then \
	  rm -rf mutants/tests && cp -r tests mutants/tests && \
	  (cd src && find cartera -type f ! -name '*.py' ! -path '*/__pycache__/*' \
	    ! -path '*/node_modules/*' -exec cp --parents {} ../mutants/src/ \;); fi
	@# Verdicts of earlier runs (any checkout) for functions unchanged since: docs/mutation-verdicts.json.
	$(PY) scripts/mutation_state.py restore
	$(MUTATION_ENV) nice -n 15 $(BIN)/mutmut run --max-children $(MUTATION_CHILDREN) $(MUTANTS); \
	  status=$$?; $(PY) scripts/mutation_state.py save; exit $$status
	$(PY) scripts/mutation_summary.py --min 90
