# Convenience front end over the CMake presets. Every target installs the Debian
# dependencies first (scripts/install-deps), so each works on a fresh Debian 12.
.PHONY: deps demo test test-asan bench bench-check format clean

CLOUDLEDGER = build/release/app/cloudledger

deps:
	scripts/install-deps

# The main job: the default scenario (scenarios/passport.yaml, embedded), results.h5.
demo: deps
	cmake --preset release
	cmake --build --preset release
	$(CLOUDLEDGER) run

# Build and run the whole test suite (debug build with assertions).
test: deps
	cmake --preset dev
	cmake --build --preset dev
	ctest --preset dev

# The same suite under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: deps
	cmake --preset asan
	cmake --build --preset asan
	ctest --preset asan

# Micro benches (release build).
bench: deps
	cmake --preset release
	cmake --build --preset release
	build/release/bench/cloudledger-bench-protocol

# The performance gate (docs/benchmarks.md): instruction counts under Callgrind against
# bench/baseline.json, exit 1 naming every figure that regressed; then the gate's own
# check that it fails when it should (bench/check-selftest); then the results digests of
# seven short runs against bench/digests.txt (bench/digests: a faster program must give
# the same results). bench/check configures the release preset and builds the targets it
# runs.
bench-check: deps
	bench/check --out build/release/bench-check.json
	bench/check-selftest --build build/release build/release/bench-check.json
	bench/digests --build build/release --check bench/digests.txt

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf build
