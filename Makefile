# Every target installs what it is missing first (scripts/setup.sh), then does its job.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

export PATH := $(CURDIR)/node_modules/.bin:$(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
export FAULTLINE_CHROMIUM ?= /usr/bin/chromium

SETUP := bash scripts/setup.sh
WASM_TARGET := wasm32-unknown-unknown
# The release builds name a dependency's file in a panic message from its crate's folder
# ("yew-0.23.0/src/…"), not from where this machine keeps the registry: the same bytes on any
# machine, and 0.3 KB gzip less. (The folder's name is crates.io's, the same for every cargo.)
RELEASE_FLAGS := RUSTFLAGS="--remap-path-prefix=$${CARGO_HOME:-$$HOME/.cargo}/registry/src/index.crates.io-1949cf8c6b5b557f/="

.PHONY: help setup serve dist test lint test-native test-wasm test-e2e size bench

help:
	@echo "make serve   build and serve the app at http://127.0.0.1:8080 (rebuilds on change)"
	@echo "make test    fmt, clippy, native tests, in-browser wasm tests, end-to-end tests"
	@echo "make dist    release build into dist/, works from any sub-path of a static host"
	@echo "make bench   print benchmark figures as 'name value unit'"

setup:
	$(SETUP) all

# The handouts are written once, before serving (trunk's post-build hook copies them into each
# build: see Trunk.toml); `make dist` writes them fresh into the release.
serve:
	$(SETUP) rust trunk wasm-bindgen node
	cargo run --quiet --example handouts -- target/handouts
	trunk serve

dist:
	$(SETUP) rust trunk wasm-bindgen node
	$(RELEASE_FLAGS) trunk build --release --public-url ./
	node scripts/pack_release.mjs dist
	rm -rf dist/handouts
	cargo run --quiet --example handouts -- dist/handouts
	node scripts/service_worker.mjs dist

test:
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory setup lint test-native test-wasm size test-e2e; \
	echo "make test: all checks passed in $$(( $$(date +%s) - start )) s"

lint:
	cargo fmt --all -- --check
	cargo clippy --all-targets --all-features -- -D warnings

test-native:
	cargo test

test-wasm:
	$(SETUP) rust wasm-bindgen browser
	cargo test --target $(WASM_TARGET) --test 'browser*'

# The release bundle against its budget in bundle-budget.txt (which may only go down).
size: dist
	bash scripts/bundle_budget.sh dist

test-e2e: dist
	$(SETUP) browser
	playwright test

# Figures on stdout as `name value unit`; build chatter goes to stderr.
# The bundle people load is measured as `make dist` builds it; the browser figures use a second
# build with the `bench` feature, whose entry points (`bench_hooks`) the shipped bundle leaves out.
bench:
	@$(MAKE) --no-print-directory dist >&2
	@$(SETUP) browser
	@mkdir -p target
	@bash benches/bundle_size.sh dist
	@node benches/load.mjs dist
	@node benches/idle.mjs dist
	@$(RELEASE_FLAGS) trunk build --release --public-url ./ --features bench --dist dist-bench >&2
	@cargo bench -q --features bench --bench sim | tee target/bench-native.txt
	@cargo bench -q --features bench --bench fuzz
	@node benches/browser.mjs dist-bench | tee target/bench-browser.txt
	@awk '/^sim_events_per_sec_native_5 / { native = $$2 } /^sim_events_per_sec_wasm_5 / { wasm = $$2 } \
	  END { if (native > 0 && wasm > 0) printf "sim_wasm_to_native_ratio_5 %.2f ratio\n", wasm / native }' \
	  target/bench-native.txt target/bench-browser.txt
