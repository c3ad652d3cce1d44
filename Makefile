# lockcheck: one non-recursive Makefile, no configure step.
#
#   make          build preload/liblockcheck.so and tools/lockcheck
#   make demo     install missing packages, build, run the AB-BA demo under the shim
#   make test     install missing packages, build, run the whole suite
#   make stress   build, run the stress tests at their long size (~4 min)
#   make bench-suite  time `lockcheck report` over 1,000 generated logs (100 MB)
#   make deps     apt-get install what is missing (nothing when all is present);
#                 make build-deps: only what building needs
#   make fuzz     build the libFuzzer targets (tests/fuzz/) and fuzz each for
#                 FUZZ_SECONDS (default 300), then print per-target figures
#
# Sources are found by wildcard: a new file in lib/, preload/ or tools/ is built
# without touching this file. lib/ objects are compiled once, position
# independent, and linked into the shim, the unit tests and (the pure report
# pieces) the CLI.

CC      ?= cc
CXX     ?= c++
PREFIX  ?= /usr/local
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Wno-unused-parameter
PKGS_SHIM := libunwind
PKGS_TOOLS := jansson
# The CLI's symboliser (tools/symbolize.c) alone needs libdw, and libstdc++
# for __cxa_demangle; tests/expect_check links the reader only, without them.
PKGS_SYM   := libdw
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS_SHIM) $(PKGS_TOOLS) $(PKGS_SYM) 2>/dev/null)
# libiberty (no pkg-config file): the shim's demangler (lib/demangle.c),
# cplus_demangle_v3_callback, which allocates nothing. Linked statically (its
# archive is built PIC), so the shim needs no libiberty at run time; the
# version script keeps its symbols out of the program's sight.
LIBIBERTY  := $(firstword $(wildcard /usr/lib/$(shell $(CC) -print-multiarch 2>/dev/null)/libiberty.a /usr/lib/libiberty.a) -liberty)
SHIM_LIBS  := $(shell pkg-config --libs $(PKGS_SHIM) 2>/dev/null || echo -lunwind) $(LIBIBERTY)
TOOLS_LIBS := $(shell pkg-config --libs $(PKGS_TOOLS) 2>/dev/null || echo -ljansson)
SYM_LIBS   := $(shell pkg-config --libs $(PKGS_SYM) 2>/dev/null || echo -ldw -lelf) -lstdc++
ALL_CFLAGS := -std=gnu11 -fPIC -fvisibility=hidden -pthread $(WARN) $(PKG_CFLAGS) $(CFLAGS) -Ilib

# Debian packages needed to build and test (package:file-that-proves-it).
# Debian packages: what building needs, and what the tests need on top
# (a real program under the shim, the HTML page in a browser, Graphviz).
BUILD_DEPS := libunwind-dev libjansson-dev libdw-dev libiberty-dev pkg-config gcc g++ make
# clang and its runtime (libclang-rt-14-dev: libFuzzer, ASan, UBSan) build
# the fuzz targets that tests/real/fuzz.sh runs; python3-jsonschema validates
# every SARIF the tests write against the official schema (tests/cli/).
# libglib2.0-dev builds the GLib scenarios; gstreamer1.0-tools runs a real
# GLib-based pipeline under the shim (tests/real/gst_pipeline.sh);
# libglib2.0-tests: GLib's own lock tests under it (glib_own_tests.sh).
TEST_DEPS := xz-utils chromium graphviz python3 python3-jsonschema time clang libclang-rt-14-dev strace memcached libglib2.0-dev libglib2.0-tests gstreamer1.0-tools

LIB_SRC     := $(wildcard lib/*.c)
PRELOAD_SRC := $(wildcard preload/*.c)
TOOLS_SRC   := $(wildcard tools/*.c)
# The pieces of lib/ that hold no process state: what the CLI links.
LIB_PURE    := lib/buf.c lib/finding.c lib/render_text.c lib/json_write.c

LIB_OBJ     := $(LIB_SRC:%.c=build/%.o)
PRELOAD_OBJ := $(PRELOAD_SRC:%.c=build/%.o)
TOOLS_OBJ   := $(TOOLS_SRC:%.c=build/%.o) $(LIB_PURE:%.c=build/%.o)

SHIM  := preload/liblockcheck.so
CLI   := tools/lockcheck

UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:%.c=build/%)
SCEN_C    := $(wildcard tests/scenarios/*.c)
SCEN_CXX  := $(wildcard tests/scenarios/*.cc)
SCEN_BIN  := $(SCEN_C:%.c=build/%) $(SCEN_CXX:%.cc=build/%)
EXAMPLES  := $(patsubst %.c,build/%,$(wildcard examples/*.c))
TEST_TOOLS := build/tests/expect_check build/tests/sarif_check

.PHONY: all deps build-deps install-missing demo test test-build stress bench bench-suite clean install fuzz fuzz-build
all: $(SHIM) $(CLI)

build/%.o: %.c $(wildcard lib/*.h preload/*.h tools/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(SHIM): $(PRELOAD_OBJ) $(LIB_OBJ) preload/exports.map
	$(CC) -shared -Wl,--version-script=preload/exports.map -Wl,-z,defs -o $@ \
		$(PRELOAD_OBJ) $(LIB_OBJ) $(SHIM_LIBS) -ldl -pthread

$(CLI): $(TOOLS_OBJ)
	$(CC) -o $@ $(TOOLS_OBJ) $(TOOLS_LIBS) $(SYM_LIBS) -lm

# Unit tests link the core directly (no interposition).
build/tests/unit/%: tests/unit/%.c $(LIB_OBJ) tests/unit/check.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit $< -o $@ $(LIB_OBJ) $(SHIM_LIBS) -ldl

# Scenario programs: ordinary programs, built as a user would (no -rdynamic,
# no link against the shim).
build/tests/scenarios/%: tests/scenarios/%.c lib/lockcheck.h
	@mkdir -p $(dir $@)
	$(CC) -O1 -g -pthread -Ilib -o $@ $<
# GLib's (glib_*.c): the same, with GLib's flags from pkg-config.
build/tests/scenarios/glib_%: tests/scenarios/glib_%.c lib/lockcheck.h
	@mkdir -p $(dir $@)
	$(CC) -O1 -g -pthread -Ilib $$(pkg-config --cflags glib-2.0) -o $@ $< \
		$$(pkg-config --libs glib-2.0)
build/tests/scenarios/%: tests/scenarios/%.cc lib/lockcheck.h
	@mkdir -p $(dir $@)
	$(CXX) -std=c++17 -O1 -g -pthread -Ilib -o $@ $<
build/examples/%: examples/%.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -g -pthread -o $@ $<

build/tests/expect_check: tests/expect_check.c build/tools/read.o $(LIB_PURE:%.c=build/%.o)
	$(CC) $(ALL_CFLAGS) -Itools $^ -o $@ $(TOOLS_LIBS)

# Checks `lockcheck report --format sarif` output (tests/cli/sarif_schema.sh).
build/tests/sarif_check: tests/sarif_check.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $< -o $@ $(TOOLS_LIBS)

# Self-check: the core (as the unit tests link it) and the CLI built again
# with AddressSanitizer and UndefinedBehaviorSanitizer, into build/asan/;
# tests/run runs the unit and CLI tests against these too (asan/...). Any
# report fails the test (-fno-sanitize-recover). The sanitized CLI finds
# the ordinary shim through build/asan/preload, a link, as it would
# installed.
SAN_FLAGS  := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	      -fno-omit-frame-pointer
SAN_CFLAGS := $(ALL_CFLAGS) -O1 $(SAN_FLAGS)
SAN_LIB_OBJ := $(LIB_SRC:%.c=build/asan/%.o)
SAN_UNIT_BIN := $(UNIT_SRC:%.c=build/asan/%)
SAN_CLI    := build/asan/tools/lockcheck
SAN_BUILD  := $(SAN_UNIT_BIN) $(SAN_CLI) build/asan/preload/liblockcheck.so

build/asan/%.o: %.c $(wildcard lib/*.h preload/*.h tools/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(SAN_CFLAGS) -c $< -o $@
build/asan/tests/unit/%: tests/unit/%.c $(SAN_LIB_OBJ) tests/unit/check.h
	@mkdir -p $(dir $@)
	$(CC) $(SAN_CFLAGS) -Itests/unit $< -o $@ $(SAN_LIB_OBJ) $(SHIM_LIBS) -ldl
$(SAN_CLI): $(TOOLS_OBJ:build/%=build/asan/%)
	$(CC) $(SAN_FLAGS) -o $@ $^ $(TOOLS_LIBS) $(SYM_LIBS) -lm
build/asan/preload/liblockcheck.so: $(SHIM)
	@mkdir -p $(dir $@)
	ln -sf ../../../$(SHIM) $@

test-build: all $(UNIT_BIN) $(SCEN_BIN) $(EXAMPLES) $(TEST_TOOLS) $(SAN_BUILD)

# --- Fuzzing (tests/fuzz/) -------------------------------------------------
# Each tests/fuzz/fuzz_NAME.c is a libFuzzer target, build/fuzz/fuzz_NAME.
# The lib/ and tools/ sources it needs are compiled again with the
# sanitizers into build/fuzz/obj/, so the normal build is untouched. lib/'s
# warn.c is replaced by tests/fuzz/fuzz_warn.c (a sink that checks and
# counts messages); the report target links the CLI without its main.
# FUZZ_SECONDS: how long `make fuzz` runs each target.
FUZZ_CC      ?= clang
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS  := -std=gnu11 -g -O1 -pthread -fno-omit-frame-pointer $(FUZZ_SAN) \
	$(WARN) $(PKG_CFLAGS) -Ilib -Itools -Itests/fuzz
FUZZ_SECONDS ?= 300
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGETS := $(filter-out fuzz_warn,$(FUZZ_TARGETS))
FUZZ_BIN     := $(FUZZ_TARGETS:%=build/fuzz/%)
FUZZ_LIB_OBJ := $(patsubst %.c,build/fuzz/obj/%.o,$(filter-out lib/warn.c,$(LIB_SRC)))
FUZZ_CLI_OBJ := $(patsubst %.c,build/fuzz/obj/%.o,$(filter-out tools/main.c,$(TOOLS_SRC)) $(LIB_PURE))
FUZZ_WARN_OBJ := build/fuzz/obj/tests/fuzz/fuzz_warn.o

build/fuzz/obj/%.o: %.c $(wildcard lib/*.h tools/*.h tests/fuzz/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

# The parsers of the shim's start-up link the core (as the unit tests do).
build/fuzz/fuzz_options build/fuzz/fuzz_suppress build/fuzz/fuzz_order_file \
		build/fuzz/fuzz_steer: \
		build/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB_OBJ) $(FUZZ_WARN_OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $^ -o $@ $(SHIM_LIBS) -ldl
build/fuzz/fuzz_report build/fuzz/fuzz_commands: \
		build/fuzz/%: tests/fuzz/%.c $(FUZZ_CLI_OBJ) $(FUZZ_WARN_OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $^ -o $@ $(TOOLS_LIBS) $(SYM_LIBS) -lm

fuzz-build: $(FUZZ_BIN)

# Fuzzes every target for FUZZ_SECONDS into a scratch copy of its corpus
# (tests/fuzz/run: new inputs are kept in build/fuzz/corpus/, crashes in
# build/fuzz/crashes/), then prints one line of figures per target.
fuzz: build-deps
	@$(MAKE) --no-print-directory install-missing PKGS="clang libclang-rt-14-dev"
	$(MAKE) fuzz-build
	tests/fuzz/run campaign $(FUZZ_SECONDS) $(FUZZ_TARGETS)

deps: build-deps
	@$(MAKE) --no-print-directory install-missing PKGS="$(TEST_DEPS)"
build-deps:
	@$(MAKE) --no-print-directory install-missing PKGS="$(BUILD_DEPS)"
install-missing:
	@missing=""; for p in $(PKGS); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	fi

demo: build-deps
	$(MAKE) all build/examples/bank_transfer
	@echo '$$ LD_PRELOAD=$(SHIM) build/examples/bank_transfer'
	@LD_PRELOAD=$(CURDIR)/$(SHIM) build/examples/bank_transfer; \
	echo "(exit status $$?: lockcheck turns a run with an error finding into status 66)"

test: deps
	$(MAKE) test-build
	tests/run

# The stress tests (tests/real/stress_*.sh, which make test runs at their
# quick size) at their long size: one PASS/FAIL line per test, each test's
# figures under it (or the tail of its output on failure), and a closing
# "N passed, M failed". Each run inside a test has its own timeout.
stress: build-deps
	@$(MAKE) --no-print-directory install-missing PKGS="python3"
	$(MAKE) all
	@mkdir -p build/stress; p=0; f=0; \
	for t in tests/real/stress_*.sh; do \
		n=$$(basename $$t .sh); \
		if LOCKCHECK_STRESS=long bash $$t >build/stress/$$n.out 2>&1 </dev/null; then \
			echo "PASS $$n"; sed 's/^/    /' build/stress/$$n.out; p=$$((p + 1)); \
		else \
			echo "FAIL $$n"; tail -n 20 build/stress/$$n.out | sed 's/^/    /'; f=$$((f + 1)); \
		fi; \
	done; \
	echo "$$p passed, $$f failed"; [ $$f -eq 0 ]

# make bench's peers (TSan's runtime, Valgrind) and real programs (memcached
# and its load generator memcslap, RocksDB's cache_bench and db_bench, pigz,
# gst-launch-1.0);
# python3 reads the shim's JSON logs back.
BENCH_DEPS := gcc libtsan2 valgrind python3 memcached libmemcached-tools rocksdb-tools pigz gstreamer1.0-tools
bench: all
	@$(MAKE) --no-print-directory install-missing PKGS="$(BENCH_DEPS)"
	tests/bench/run

# The suite-wide merge (issue 16) over 1,000 generated process logs of about
# 100 MB: `lockcheck report`'s wall time and peak RSS, one statement.
bench-suite: all
	@$(MAKE) --no-print-directory install-missing PKGS="python3"
	python3 tests/bench/suite_merge.py $(CLI)

# The CLI finds the shim at <bin>/../lib/liblockcheck.so, as installed here.
install: all
	install -D -m 755 $(SHIM) $(DESTDIR)$(PREFIX)/lib/liblockcheck.so
	install -D -m 755 $(CLI) $(DESTDIR)$(PREFIX)/bin/lockcheck
	install -D -m 644 lib/lockcheck.h $(DESTDIR)$(PREFIX)/include/lockcheck.h
	install -D -m 644 doc/lockcheck.1 $(DESTDIR)$(PREFIX)/share/man/man1/lockcheck.1
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig
	sed 's|@PREFIX@|$(PREFIX)|' doc/lockcheck.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/lockcheck.pc

clean:
	rm -rf build $(SHIM) $(CLI)
