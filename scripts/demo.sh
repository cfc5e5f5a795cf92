#!/usr/bin/env bash
# Set everything up and run the main job on the five seed documents:
# extract their commitments, list them, and score them against the seed gold.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
. .venv/bin/activate
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
mkdir -p out
commitments extract corpora/seeds -o out/seeds.jsonl --no-progress
commitments show out/seeds.jsonl --brief
commitments evaluate corpora/gold/seeds.jsonl out/seeds.jsonl
echo
echo "Predictions: out/seeds.jsonl.  One document in full:  commitments show out/seeds.jsonl --id 004_13460ded037f50eb"
echo "As a web page:  commitments show out/seeds.jsonl --html out/seeds.html"
