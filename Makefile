# Lanyard: the two commands.
#   make run   installs what a fresh Debian machine lacks, builds, serves on SQLite with a demo
#   make test  fmt, clippy, the whole suite on SQLite and on PostgreSQL
SHELL := /bin/bash
CARGO ?= cargo
# The PostgreSQL server the PostgreSQL suite creates its databases on.
TEST_POSTGRES ?= postgres://postgres@127.0.0.1:5432

.PHONY: run test deps venv build lint test-sqlite test-postgres schema

deps:
	@scripts/install-deps.sh

# pysaml2, the third-party SAML library the interop tests load Lanyard's metadata with.
VENV_PYTHON := $(CURDIR)/.venv/bin/python
venv: deps
	@[ -x $(VENV_PYTHON) ] || python3 -m venv .venv
	@$(VENV_PYTHON) -c 'import saml2' 2>/dev/null || .venv/bin/pip install -q pysaml2

build: deps
	$(CARGO) build --bin lanyard

run: build
	$(CARGO) run --bin lanyard -- serve --demo

lint: deps
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

# The end-to-end tests run the real binary too (kill -9, --demo): build it first.
test-sqlite: deps venv
	$(CARGO) build --workspace --bins
	LANYARD_TEST_PYTHON=$(VENV_PYTHON) $(CARGO) test --workspace

test-postgres: deps venv
	$(CARGO) build --workspace --bins
	LANYARD_TEST_PYTHON=$(VENV_PYTHON) TEST_POSTGRES=$(TEST_POSTGRES) scripts/with-postgres.sh $(CARGO) test -p lanyard-tests

test: lint test-sqlite test-postgres

# Regenerates schema.graphql from the code (a test fails when it is stale).
schema:
	$(CARGO) run -q --bin lanyard -- export-schema -o schema.graphql
