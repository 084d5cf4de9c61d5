# The two set-up commands (see README): `make run` and `make test`.
.PHONY: run test lint env

env:
	bash .ci/bootstrap.sh

run: env
	.venv/bin/partnersim run scenarios/baseline.yaml
	.venv/bin/partnersim report results/baseline --out results/baseline/brief.html

test:
	bash .ci/bootstrap.sh --browser
	.venv/bin/python -m pytest

lint: env
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
