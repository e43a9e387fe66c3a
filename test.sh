#!/usr/bin/env bash
# The one test command: installs what the suite needs (pinned Azurite from the committed lockfile, NuGet packages),
# builds, and runs every test project. Integration tests start their own Azurite on free loopback ports.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
dotnet restore Platform.sln
dotnet build Platform.sln --no-restore -c Release
dotnet test Platform.sln --no-build -c Release --logger "console;verbosity=normal" "$@"
