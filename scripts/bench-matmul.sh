#!/usr/bin/env bash
# Reproduces the matmul figures of docs/benchmarks.md: N = 256, 512, 1024 for P = 2 and 3.
# Usage: bash scripts/bench-matmul.sh [OUTDIR]   (JSON per configuration in OUTDIR, default out/bench)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out/bench}
mkdir -p "$out"
dotnet build src/Client -c Release -v q -nologo >/dev/null
for size in 256 512 1024; do
  for parties in 2 3; do
    dotnet run -c Release --no-build --project src/Client -- \
      bench matmul --size "$size" --parties "$parties" --repeats 5 --json "$out/matmul-$size-$parties.json"
  done
done
