# dronewatch: the two commands of the README, plus the benchmark.
# uv is bootstrapped with pip when the machine does not have it.
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)

.PHONY: setup run test bench score clean

setup:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@$(UV) sync --frozen --all-extras --quiet

run: setup  ## the pipeline on the bundled sample dumps
	@$(UV) run --frozen dronewatch run

test: setup  ## the whole test suite
	@$(UV) run --frozen pytest

bench: setup  ## the benchmark (numbers go to bench/results.md)
	@$(UV) run --frozen python bench/run_bench.py

score: setup  ## extraction quality on the shared labelled corpus
	@$(UV) run --frozen python ../shared/eval/score.py ../shared/corpus/dev.jsonl

clean:
	rm -rf var .pytest_cache
