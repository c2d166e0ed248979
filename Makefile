# Lanyard: the two commands.
#   make run   installs what a fresh Debian machine lacks, builds the server and the console, serves on SQLite with a demo
#   make test  fmt, clippy, the whole suite on SQLite and on PostgreSQL, the console (test-web)
SHELL := /bin/bash
CARGO ?= cargo
# The PostgreSQL server the PostgreSQL suite creates its databases on.
TEST_POSTGRES ?= postgres://postgres@127.0.0.1:5432

.PHONY: run test deps venv build lint test-sqlite test-postgres test-cluster test-web console schema bench fuzz fuzz-seeds

deps:
	@scripts/install-deps.sh

# pysaml2 and python3-saml, the third-party SAML libraries the interop tests use as service
# providers, scim2-client, the SCIM client they provision with, and authlib, the OpenID Connect
# relying party (scripts/install-venv.sh explains the lxml/xmlsec libxml2 pitfall it handles).
VENV_PYTHON := $(CURDIR)/.venv/bin/python
venv: deps
	@scripts/install-venv.sh

build: deps
	$(CARGO) build --bin lanyard

# The admin console (web/dist, served at /console/).
console: deps
	cd web && { [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; } && npm run build

run: build console
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

# Three nodes on PostgreSQL behind nginx under SSO load, through a node kill, a key rollover,
# a PostgreSQL restart, a revocation and a disable (tests/tests/e2e/cluster.rs). It restarts the
# local PostgreSQL server, so it runs alone, after the PostgreSQL suite.
test-cluster: deps
	$(CARGO) build --workspace --bins
	TEST_POSTGRES=$(TEST_POSTGRES) scripts/with-postgres.sh $(CARGO) test -p lanyard-tests --test e2e cluster:: -- --ignored --nocapture

# The console: generated GraphQL types up to date, type check, component tests, build, and the
# browser tests (Debian's Chromium, playwright-core) against the real binary
# ($CARGO_TARGET_DIR/debug/lanyard, else target/debug/lanyard; LANYARD_BIN overrides).
test-web: deps
	cd web && npm ci --no-audit --no-fund
	cd web && npm run codegen:check
	cd web && npm run typecheck
	cd web && npm test
	cd web && npm run build
	$(CARGO) build --bin lanyard
	cd web && npm run e2e

test: lint test-sqlite test-postgres test-cluster test-web

# Every fuzz target for FUZZ_SECONDS each (default 180; FUZZ_TARGETS to choose, FUZZ_JOBS at a
# time), libFuzzer on the stable toolchain with nightly features enabled (scripts/fuzz.sh).
# `make test` replays the stored corpora and regression cases on stable
# (fuzz/harness/tests/replay.rs).
fuzz: deps
	scripts/fuzz.sh

# Rewrites the committed seed corpora from fuzz/seeds.py.
fuzz-seeds:
	python3 fuzz/seeds.py

# IdP-initiated SSO throughput beside the raw signing rate (release build; see api/benches/sso.rs).
bench: deps
	$(CARGO) bench -p lanyard --bench sso

# Regenerates schema.graphql from the code (a test fails when it is stale).
schema:
	$(CARGO) run -q --bin lanyard -- export-schema -o schema.graphql
