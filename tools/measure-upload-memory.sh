#!/usr/bin/env bash
# Memory harness (not a test): streams a generated CSV of SIZE_MB megabytes (default 1024) to POST /api/datasets
# on the local Functions host, and reports the host's resident memory before the upload and at its peak (VmHWM).
# The CSV is generated on the fly and sent chunked, so neither this script nor the disk holds the whole file.
# Usage: tools/measure-upload-memory.sh [SIZE_MB]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SIZE_MB=${1:-1024}
WORK=$(mktemp -d)
pids=()
# free_port, wait_port, start_azurite, stop_started
source tools/lib/local-stack.sh
cleanup() { stop_started; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM
rss_kb() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }

[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund --loglevel=error
dotnet build Functions/LocalHost/LocalHost.csproj -c Release -nologo -v quiet -clp:ErrorsOnly

# Azurite on disk: in memory it would hold the whole gigabyte itself.
start_azurite "$WORK/azurite" "$WORK/azurite.log"
API=$(free_port)
export Api__DefaultOwner=local Logging__LogLevel__Default=Warning

cd Functions/LocalHost/bin/Release/net10.0
dotnet BertPlatform.Functions.LocalHost.dll --urls "http://127.0.0.1:$API" >"$WORK/functions.log" 2>&1 &
HOST_PID=$!
pids+=($HOST_PID)
cd "$ROOT"
wait_port "$API"
curl -sS -o /dev/null "http://127.0.0.1:$API/api/datasets"   # warm up: JIT, storage clients, tables
before=$(rss_kb $HOST_PID VmRSS)
echo "host pid $HOST_PID, RSS before upload: $((before / 1024)) MiB"

start=$(date +%s)
node tools/lib/reviews-csv.js "$SIZE_MB" | curl -sS -o "$WORK/response.json" -w '%{http_code} %{size_upload}\n' -X POST -T - \
  -H "Content-Type: text/csv" "http://127.0.0.1:$API/api/datasets?name=memory-probe&format=csv&task=text_classification" > "$WORK/status"
elapsed=$(( $(date +%s) - start ))
read -r code uploaded < "$WORK/status"
peak=$(rss_kb $HOST_PID VmHWM)
after=$(rss_kb $HOST_PID VmRSS)
echo "HTTP $code after ${elapsed}s; uploaded ${uploaded%.*} bytes"
node -e 'const j=require(process.argv[1]); const d=j.dataset||{}; console.log(d.rowCount!==undefined ? `stored ${d.bytes} bytes, ${d.rowCount} rows, labels ${JSON.stringify(d.labelCounts)}` : JSON.stringify(j).slice(0,400))' "$WORK/response.json"
echo "host RSS: before $((before / 1024)) MiB, after $((after / 1024)) MiB, peak (VmHWM) $((peak / 1024)) MiB"
