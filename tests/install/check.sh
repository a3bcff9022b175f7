#!/bin/sh
# Installs the build tree BUILD into a temporary prefix, builds tests/install/consumer
# against it with find_package(cloudledger) and runs it. Usage: check.sh BUILD SOURCE [FLAGS]
# FLAGS: compile and link flags the installed libraries need (the sanitizers of an ASan build).
set -eu
build=$1
source=$2
flags=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
test -f "$work/prefix/lib/cmake/cloudledger/cloudledgerConfig.cmake"
test -f "$work/prefix/include/protocol/node/node.hpp"
test -f "$work/prefix/include/live/node_runner.hpp"
cmake -S "$source/tests/install/consumer" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
      -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" \
      > "$work/configure.log" || { cat "$work/configure.log"; exit 1; }
cmake --build "$work/build" > "$work/build.log" || { cat "$work/build.log"; exit 1; }
"$work/build/researcher_driver"
