# Sanxiang — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/sanxiang

.PHONY: demo install lint test test-postgres bench serve clean

$(BIN)/sanxiang: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# Browser-side libraries from the npm registry (package-lock.json pins them with their hashes), served by the app.
ASSETS := sanxiang/static/vendor/build
$(ASSETS)/chart.umd.min.js: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --silent
	mkdir -p $(ASSETS)
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map $(ASSETS)/
	cp node_modules/chart.js/LICENSE.md $(ASSETS)/chart.js-LICENSE.md
	cp node_modules/sm-crypto/dist/sm2.js node_modules/sm-crypto/dist/sm3.js $(ASSETS)/
	cp node_modules/sm-crypto/LICENCE_MIT $(ASSETS)/sm-crypto-LICENCE

install: $(BIN)/sanxiang $(ASSETS)/chart.umd.min.js

# Embedded installation in ./var on plain http://127.0.0.1:8000 (cookies are not marked Secure there). Migrations
# and the demo's load commit thousands of transactions: synchronous=NORMAL spares a disk sync each (WAL stays
# consistent; a crash loses at most the last commits of a load that is simply run again); the server keeps FULL.
demo: install
	SANXIANG_HTTPS=false SANXIANG_SQLITE_SYNCHRONOUS=NORMAL $(BIN)/sanxiang migrate --no-input
	SANXIANG_HTTPS=false $(BIN)/sanxiang collectstatic --no-input --verbosity 0
	SANXIANG_HTTPS=false SANXIANG_SQLITE_SYNCHRONOUS=NORMAL $(BIN)/sanxiang demo
	set -a && . "$${SANXIANG_DATA_DIR:-var}/demo.env" && set +a && \
		SANXIANG_HTTPS=false $(BIN)/sanxiang serve --bind 127.0.0.1:8000 --with-worker

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install lint
	$(BIN)/pytest -n 2 -q --durations=20

test-postgres: install
	SANXIANG_DATABASE_URL=$${SANXIANG_DATABASE_URL:-$(PG_URL)} $(BIN)/pytest -n 2 -q --durations=20

# The tests of the store, of evidence in and out, resumable uploads and backups, again with the blobs in an S3 bucket: OpenStack Swift's S3 API on
# loopback (`tools/s3-server start var/s3`; .ci/run starts it). Its own credentials, for a throw-away server only.
S3_ENDPOINT ?= http://127.0.0.1:18080
S3_TESTS = sanxiang/core/tests/test_blobs.py sanxiang/core/tests/test_blob_s3.py sanxiang/core/tests/test_backup_crypt.py \
	sanxiang/evidence/tests/test_evidence.py sanxiang/evidence/tests/test_delivery.py sanxiang/uploads/tests/test_tus.py \
	sanxiang/tests/test_backup.py
test-s3: install
	AWS_ACCESS_KEY_ID=test:tester AWS_SECRET_ACCESS_KEY=testing SANXIANG_TEST_S3_ENDPOINT=$(S3_ENDPOINT) \
	SANXIANG_TEST_BLOB_URL="s3://sanxiang-test?endpoint=$(S3_ENDPOINT)" $(BIN)/pytest -n 2 -q --durations=10 $(S3_TESTS)

bench: install
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var node_modules $(ASSETS)
