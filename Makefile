.PHONY: demo test setup bench lint

# Set everything up, load the real LLR data and serve the demo on http://127.0.0.1:8000
demo:
	scripts/setup.sh
	.venv/bin/vrn demo

# Set everything up and run the whole test suite (SQLite and PostgreSQL)
test:
	scripts/test.sh

setup:
	scripts/setup.sh --browser

bench: setup
	.venv/bin/python benchmarks/ingest.py
	.venv/bin/python benchmarks/synth.py
	.venv/bin/python benchmarks/dashboard.py
	.venv/bin/python benchmarks/hotspots.py
	.venv/bin/python benchmarks/interventions.py

lint: setup
	.venv/bin/ruff check src tests benchmarks
	.venv/bin/ruff format --check src tests benchmarks
	.venv/bin/mypy
