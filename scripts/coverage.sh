#!/usr/bin/env bash
# Unit-test coverage with coverlet (Microsoft.Testing.Platform extension). Writes Cobertura XML under coverage/.
set -euo pipefail
configuration="${1:-Debug}"
cd "$(dirname "$0")/.."
mkdir -p coverage
for project in ComIO.Storage.Tests ComIO.ApiService.Tests; do
  dotnet test --project "tests/$project" -c "$configuration" -- --coverlet --coverlet-output-format cobertura \
    --results-directory "$PWD/coverage/$project"
done
find coverage -name 'coverage.cobertura*.xml' -print | while read -r report; do
  rate=$(grep -oE 'line-rate="[0-9.]+"' "$report" | head -n 1 | grep -oE '[0-9.]+')
  echo "$report: line coverage $(awk "BEGIN { printf \"%.1f\", $rate * 100 }")%"
done
