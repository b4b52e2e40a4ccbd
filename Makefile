# The two commands: `make run` and `make test`. Everything else is a convenience around CMake presets.
PRESET ?= dev
BUILD  := build
DB     ?= var/loa.db
LISTEN ?= 127.0.0.1:8080
CAMPAIGNS := $(wildcard campaigns/*.yaml)

.PHONY: run test deps deps-test build configure import fuzz fuzz-long bench clean

# On first start, creates the user admin and prints its one-time password (or takes it from
# LOA_ADMIN_PASSWORD); later starts say nothing.
run: deps build import
	./$(BUILD)/loa user ensure-admin --db $(DB)
	./$(BUILD)/loa serve --db $(DB) --listen $(LISTEN)

test: deps-test build fuzz
	ctest --preset $(PRESET)

deps:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test

# Reconfigure when the preset changes (CI uses `ci`, people use `dev`; both write build/).
configure:
	@if [ ! -f $(BUILD)/CMakeCache.txt ] || [ "$$(cat $(BUILD)/.loa-preset 2>/dev/null)" != "$(PRESET)" ]; then \
	  cmake --preset $(PRESET) >/dev/null && echo $(PRESET) > $(BUILD)/.loa-preset; fi

build: configure
	cmake --build --preset $(PRESET)

# Creates the database if absent and imports every bundled campaign (idempotent: unchanged files change nothing).
import: build
	@mkdir -p $(dir $(DB))
	./$(BUILD)/loa import --db $(DB) $(CAMPAIGNS)

# A short libFuzzer run of the campaign loader on the seed corpus (part of `make test`).
fuzz:
	@scripts/fuzz.sh 30

# A longer run: make fuzz-long SECONDS=3600
fuzz-long:
	@scripts/fuzz.sh $(or $(SECONDS),600)

bench: build
	@scripts/deps.sh bench
	bench/http/run.sh
	bench/planner/run.sh
	bench/dispatch/run.sh
	bench/feeds/run.sh

clean:
	rm -rf build build-asan build-fuzz
