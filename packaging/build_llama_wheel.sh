#!/usr/bin/env bash
# Builds the llama-cpp-python wheel once into a wheelhouse.
#   build_llama_wheel.sh PYTHON VERSION WHEELHOUSE FLAVOR "CMAKE_ARGS"
# FLAVOR cpu-dispatch: one wheel for every x86-64 CPU. llama.cpp is built with GGML_BACKEND_DL and
# GGML_CPU_ALL_VARIANTS (one ggml-cpu library per CPU generation, the best one chosen when the model is
# loaded). llama-cpp-python 0.3.36 installs only `ggml-cpu`, so its CMakeLists is patched here to install
# the `ggml-cpu-<variant>` libraries too; tutor/llm.py loads them from llama_cpp/lib (see docs/PERFORMANCE.md).
set -euo pipefail
PY=$1; VERSION=$2; WHEELHOUSE=$3; FLAVOR=$4; CMAKE_ARGS_IN=$5
mkdir -p "$WHEELHOUSE"
if [ "$FLAVOR" != "cpu-dispatch" ]; then
    CMAKE_ARGS="$CMAKE_ARGS_IN" CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) \
        "$PY" -m pip wheel --no-cache-dir --no-deps "llama-cpp-python==$VERSION" -w "$WHEELHOUSE"
    exit 0
fi
# Source and build folder are kept until the wheel exists, so an interrupted build (a closed laptop, Ctrl+C)
# resumes where it stopped instead of compiling the 14 CPU variants again.
work="${TUTOR_BUILD_DIR:-$HOME/.cache/tutor/build}/$FLAVOR-$VERSION"
src="$work/llama_cpp_python-$VERSION"
mkdir -p "$work"
if [ ! -f "$src/.patched" ]; then
    rm -rf "$src"
    "$PY" -m pip download --quiet --no-deps --no-binary :all: "llama-cpp-python==$VERSION" -d "$work"
    tar xzf "$work"/llama_cpp_python-"$VERSION".tar.gz -C "$work"
    variants="x64 sse42 sandybridge ivybridge piledriver haswell skylakex cannonlake cascadelake icelake cooperlake zen4 alderlake sapphirerapids"
    patch_lines=""
    for v in $variants; do patch_lines="$patch_lines    llama_cpp_python_install_target(ggml-cpu-$v)\n"; done
    sed -i "s|^    llama_cpp_python_install_target(ggml-cpu)$|&\n$patch_lines|" "$src/CMakeLists.txt"
    grep -q "install_target(ggml-cpu-haswell)" "$src/CMakeLists.txt"
    touch "$src/.patched"
fi
CMAKE_ARGS="$CMAKE_ARGS_IN" CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) \
    "$PY" -m pip wheel --no-cache-dir --no-deps -C build-dir="$work/build" "$src" -w "$WHEELHOUSE"
rm -rf "$work"
