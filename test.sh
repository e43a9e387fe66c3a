#!/usr/bin/env bash
# The one test command: installs what the suite needs (pinned Azurite and uPlot from the committed lockfile, NuGet
# packages, Debian's Chromium for the console's browser tests), builds, and runs every test project. Integration
# tests start their own Azurite on free loopback ports.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
# The console's browser tests drive Debian's headless Chromium through its WebDriver (chromium-driver).
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi
dotnet restore Platform.sln
dotnet build Platform.sln --no-restore -c Release
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Platform.sln --no-build -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" || status=$?
# One closing line over all test projects, in the plain form CI tools read.
passed=$(awk '$1 == "Passed:" && $2 ~ /^[0-9]+$/ {s += $2} END {print s + 0}' "$log")
failed=$(awk '$1 == "Failed:" && $2 ~ /^[0-9]+$/ {s += $2} END {print s + 0}' "$log")
echo "Tests: $passed passed, $failed failed"
exit $status
