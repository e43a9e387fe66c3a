#!/usr/bin/env bash
# The one test command: installs what the suite needs (pinned Azurite and uPlot from the committed lockfile, NuGet
# packages, Debian's Chromium for the console's browser tests), builds, and runs every test project. Integration
# tests start their own Azurite on free loopback ports.
# Extra arguments go to every `dotnet test` call (for example --filter or --logger).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)

missing=()
for tool in dotnet node npm; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh needs ${missing[*]} on the PATH (.NET SDK 10 and Node.js 20; see README.md)" >&2
  exit 2
fi

# Everything the run writes to a temporary folder (the tests' scratch files, Azurite, MSBuild, NuGet) lands inside
# the clone and is removed at the end, so nothing is left in /tmp, whatever a test forgets to delete.
export TMPDIR="$ROOT/.test-tmp/$$"
mkdir -p "$TMPDIR"
log="$ROOT/.test-tmp/test-$$.log"
trap 'rm -rf "$TMPDIR" "$log"; rmdir "$ROOT/.test-tmp" 2>/dev/null || true' EXIT

# npm ci wipes and reinstalls node_modules (~20 s); skip it when the installed tree came from this very lockfile.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.installed-from-lock 2>/dev/null)" != "$lock_hash" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" >node_modules/.installed-from-lock
fi

# The console's browser tests drive Debian's headless Chromium through its WebDriver (chromium-driver).
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# No build servers: they would outlive the run (and a second clone's run would share them).
dotnet restore Platform.sln --disable-build-servers
dotnet build Platform.sln --no-restore -c Release --disable-build-servers -nologo -clp:ErrorsOnly

# One test project at a time: each already spreads its work over both cores (xUnit threads, torch's intra-op
# threads), and two CPU-heavy projects side by side on 2 cores only starve each other's timeouts.
status=0
for project in tests/Shared.Tests tests/Infra.Tests tests/GpuRunner.Tests tests/Functions.Tests tests/Integration.Tests; do
  echo "==> $project"
  dotnet test "$project" --no-build -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee -a "$log" || status=$?
done

# One closing line over all test projects, in the plain form CI tools read.
count() { awk -v key="$1" '$1 == key && $2 ~ /^[0-9]+$/ {s += $2} END {print s + 0}' "$log"; }
passed=$(count Passed:); failed=$(count Failed:); skipped=$(count Skipped:)
# The failures again, last, where a CI log's tail shows them: each test's name, its message and the top of its stack.
if [ "$failed" -gt 0 ]; then
  echo "==> Failed tests"
  awk '/^  Failed / {show = 1; stack = 0}
       /^  (Passed|Skipped) / || /^  Standard (Output|Error) Messages:/ {show = 0}
       show && /^  Stack Trace:/ {stack = 1}
       show && stack {if (stack++ > 8) next}
       show {print}' "$log"
fi
echo "Tests: $passed passed, $failed failed, $skipped skipped"
# The suite has no skipped tests; one that is skipped lost its data or its prerequisite, which is a failure.
if [ "$skipped" -gt 0 ] && [ "$status" -eq 0 ]; then status=1; fi
exit $status
