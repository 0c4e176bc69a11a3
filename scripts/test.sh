#!/usr/bin/env bash
# Runs every test project and prints one summary line: "N passed, N failed[, N skipped]". Exit code 1 on any failure.
set -uo pipefail
configuration="${1:-Debug}"
cd "$(dirname "$0")/.."
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
dotnet build ComIO.sln -c "$configuration" -v quiet -nologo | tail -n 3
build_status=${PIPESTATUS[0]}
if [ "$build_status" -ne 0 ]; then
  echo "0 passed, 1 failed"
  exit 1
fi
dotnet test --solution ComIO.sln -c "$configuration" --no-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# Microsoft.Testing.Platform prints a solution summary: "total: N", "failed: N", "succeeded: N", "skipped: N".
total=$(grep -E '^\s*total:' "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0)
failed=$(grep -E '^\s*failed:' "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0)
passed=$(grep -E '^\s*succeeded:' "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0)
skipped=$(grep -E '^\s*skipped:' "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0)
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then
  failed=1 # the runner failed without counting a failed test (crash, no tests, build error)
fi
if [ "${failed:-0}" -gt 0 ]; then
  # CI keeps only the end of the output: name each failed test (and the first lines of its message) right before the
  # summary line. Microsoft.Testing.Platform prints "failed <test> (<duration>)" followed by the message, indented.
  echo "---- failed tests ----"
  grep -E -A 12 '^\s*failed [^:]' "$log" | head -n 150
  echo "ephemeral ports: $(cat /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null | tr -s '[:space:]' ' ')"
  echo "---- failed tests, each with the first line of its message ----"
  awk '/^[[:space:]]*failed [^:]/ { name = $0; sub(/^[[:space:]]+/, "", name); want = 1; next }
       want && /^[[:space:]]*from / { next }
       want { line = $0; sub(/^[[:space:]]+/, "", line); print name; print "    " substr(line, 1, 400); want = 0 }' "$log" | head -n 20
fi
line="${passed:-0} passed, ${failed:-0} failed"
if [ "${skipped:-0}" -gt 0 ]; then line="$line, $skipped skipped"; fi
echo "$line"
[ "$status" -eq 0 ]
