#!/usr/bin/env bash
# The whole test suite, on a fresh Debian machine or a developer's:
# installs what the tests need from Debian's packages (PostgreSQL, Chromium, Request Tracker 5),
# starts PostgreSQL and RT on 127.0.0.1, runs every test project and ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '[test] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x /usr/bin/chromium ] && [ -z "${HUB_TEST_CHROMIUM:-}" ]; then
  log "installing chromium from Debian (browser tests)"
  as_root apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends chromium >/dev/null
fi
export HUB_TEST_POSTGRES=${HUB_TEST_POSTGRES:-$(bash scripts/pg.sh)}
# A real Request Tracker 5 for the RT connector's tests (installed from Debian the first time, ~90 s).
log "starting Request Tracker 5 on 127.0.0.1:8080"
bash scripts/rt-up.sh start >/dev/null

results=$(mktemp -d)
status=0
dotnet build IntegrationHub.sln -c Release -nologo -v q -clp:ErrorsOnly || exit 1
dotnet test IntegrationHub.sln -c Release --no-build -nologo --logger "trx" --results-directory "$results" -- RunConfiguration.TestSessionTimeout=1500000 || status=$?

# Count from the result files, so a run that executed nothing shows as 0 passed.
passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
rm -rf "$results"
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
