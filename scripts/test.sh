#!/usr/bin/env bash
# Builds the solution and runs every test project; ends with one line "N passed, N failed" (totals).
# Needs only the .NET SDK: libtorch comes from NuGet, and on Debian 12 the build adapts TorchSharp's native
# library to the older libstdc++ by itself (README, "Native libraries on Debian 12").
set -uo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp)
trap 'rm -f "$log"' EXIT

dotnet test SecureCompute.sln -c Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Each test project prints "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T" (or "Failed!  - ...").
read -r passed failed < <(grep -E '^(Passed|Failed)! +- Failed: ' "$log" | awk -F'[:,]' '
  { failed += $2; passed += $4 } END { printf "%d %d\n", passed, failed }')
projects=$(grep -cE '^(Passed|Failed)! +- Failed: ' "$log")
expected=$(find tests -name '*.Tests.csproj' | wc -l)

echo "$passed passed, $failed failed"
if [ "$status" -ne 0 ]; then
  exit "$status"
fi
if [ "$projects" -ne "$expected" ] || [ "$passed" -eq 0 ]; then
  echo "error: $projects of $expected test projects reported results; $passed tests passed" >&2
  exit 1
fi
