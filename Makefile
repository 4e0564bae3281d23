# The README's commands. Every target is idempotent and works on a fresh machine.
#
#   make setup      .venv with the package (editable) + dev extras and the generated Python SDK
#                   (sdk/python, editable); the Pulumi CLI and pulumi-language-yaml built from Go
#                   modules into ~/.cache/cartesia-pulumi/ (only if missing)
#   make test       setup, then the whole pytest suite (unit, emulator and real-engine tests)
#   make lint       ruff + mypy (the package strictly; tests, examples, benchmarks, tools too)
#   make pulumi-bin print the directory that holds `pulumi` (one line)
#   make demo       the quickstart offline (emulator + pulumi up); DEMO_PORT=N: emulator port
#   make demo-down  destroy the demo stack, stop the demo's emulator, remove .demo/
#   make bench      benchmarks vs. a no-op floor, brownfield discover, dynamic vs plugin, timing tests
#   make bench-native  only the dynamic resources vs the cartesia plugin: S(200), +150 ms, three engine configs
#   make dist       sdist + wheel into dist/ (python -m build), then the wheel's name and file count
#   make sdk        regenerate sdk/python and sdk/nodejs from plugin/schema.json (needs Go)
#   make sdk-check  fail when the committed sdk/ differs from what plugin/schema.json generates
#   make sdk-ts-check  compile sdk/nodejs with tsc (npm packages cached outside the repo)
#
# Already have the official Pulumi CLI? `export CARTESIA_PULUMI_BIN=$(dirname $(command -v pulumi))`
# and the from-source build is skipped everywhere.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(abspath $(VENV))/bin/python
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: help setup pulumi-cli pulumi-bin test lint fmt

help:
	@sed -n 's/^#   make /make /p' $(MAKEFILE_LIST)

# sdk/python is installed too, so programs and tests in this checkout can `import pulumi_cartesia`
# (the generated package reads its version from installed metadata, so a PYTHONPATH is not enough).
$(STAMP): pyproject.toml sdk/python/pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]' -e sdk/python
	@touch $@

setup: $(STAMP) pulumi-cli

# Skipped when CARTESIA_PULUMI_BIN points at an existing CLI.
pulumi-cli: $(STAMP)
	@if [ -n "$$CARTESIA_PULUMI_BIN" ]; then \
	    "$$CARTESIA_PULUMI_BIN/pulumi" version >/dev/null || { echo "CARTESIA_PULUMI_BIN=$$CARTESIA_PULUMI_BIN has no working pulumi" >&2; exit 1; }; \
	else \
	    tools/build-pulumi.sh >/dev/null; \
	fi

pulumi-bin:
	@if [ -n "$$CARTESIA_PULUMI_BIN" ]; then cd "$$CARTESIA_PULUMI_BIN" && pwd; \
	else echo "$$(tools/build-pulumi.sh --prefix)/bin"; fi

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check cartesia_pulumi tests examples benchmarks tools
	$(VENV)/bin/mypy
	$(VENV)/bin/mypy --explicit-package-bases tests benchmarks examples tools

fmt: $(STAMP)
	$(VENV)/bin/ruff check --fix cartesia_pulumi tests examples benchmarks tools

.PHONY: demo demo-down
# make demo       the quickstart, offline: emulator + `pulumi up` of the root project.
#                 DEMO_PORT=N runs the demo's emulator on port N (default 8787); the demo only
#                 ever talks to an emulator it started itself.
DEMO_ENV = $(if $(DEMO_PORT),CARTESIA_DEMO_PORT=$(DEMO_PORT))
demo: setup
	@$(DEMO_ENV) $(PY) tools/demo.py up

# make demo-down  destroy the demo stack and stop the emulator
demo-down: $(STAMP)
	@$(DEMO_ENV) $(PY) tools/demo.py down

.PHONY: bench
# make bench      benchmarks: our resources vs. a no-op floor through the same engine, brownfield
#                 discover, dynamic vs the plugin, timing tests (~23 min on 2 cores)
NATIVE_BENCH = $(PY) benchmarks/native.py --n 200 --latency-ms 150 --repeat 3 --out benchmarks/results/native.json
bench: setup
	$(PY) benchmarks/run.py --sizes 10,50,200 --repeat 5 --out benchmarks/results/latest.json
	$(PY) benchmarks/discover.py --numbers 500 --out benchmarks/results/discover.json
	$(NATIVE_BENCH)
	$(VENV)/bin/pytest -q -m perf tests

.PHONY: bench-native
# make bench-native  dynamic resources vs the cartesia plugin: S(200) with +150 ms on every API
#                    route, at the default --parallel, -p 64, and -p 64 without checkpoints (~13 min)
bench-native: setup
	$(NATIVE_BENCH)

.PHONY: dist
# make dist       sdist + wheel into dist/ (python -m build)
dist: $(STAMP)
	@rm -rf dist
	$(PY) -m build --outdir dist .
	@$(PY) -c 'import pathlib, sys, zipfile; [print(f"{w.name}: {len(zipfile.ZipFile(w).namelist())} files") for w in sorted(pathlib.Path("dist").glob("*.whl"))]'

.PHONY: sdk sdk-check sdk-ts-check
# make sdk        the SDKs from the plugin's schema (tools/sdkgen: Pulumi's code generators)
sdk:
	@tools/gen-sdk.sh

# make sdk-check  committed SDKs == regenerated ones (also a test in tests/e2e/test_native_sdk.py)
sdk-check:
	@tools/gen-sdk.sh --check

# make sdk-ts-check  tsc on a copy of sdk/nodejs (also a test in tests/e2e/test_native_sdk.py)
sdk-ts-check:
	@tools/check-ts-sdk.sh
