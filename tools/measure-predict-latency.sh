#!/usr/bin/env bash
# Latency harness (not a test): fine-tunes all-MiniLM-L6-v2 (imported offline) for one epoch on samples/reviews-train.csv
# with a real runner, then times POST /api/models/{id}/predict on the local Functions host at batch 1 and 16:
# cold (first request after a host start: blob download + ONNX Runtime session + first run) over COLD restarts, and
# warm over WARM requests; reports p50/p95 and the host's resident memory (VmRSS after the warm runs, VmHWM peak).
# Usage: tools/measure-predict-latency.sh [COLD=5] [WARM=50]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
COLD=${1:-5}
WARM=${2:-50}
WORK=$(mktemp -d)
pids=()
HOST_PID=
# free_port, wait_port, json, rss_mib, start_azurite, stop_started, seed_minilm, upload_csv, job_final_status
source tools/lib/local-stack.sh
cleanup() {
  [ -n "$HOST_PID" ] && kill "$HOST_PID" 2>/dev/null || true
  stop_started
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund --loglevel=error
dotnet build GpuRunner/GpuRunner.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build Functions/LocalHost/LocalHost.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
RUNNER=(dotnet "$ROOT/GpuRunner/bin/Release/net10.0/GpuRunner.dll")

start_azurite "$WORK/azurite" "$WORK/azurite.log"
API=$(free_port)
export JobQueue__Transport=StorageQueue JobQueue__Name=jobs Api__DefaultOwner=local Logging__LogLevel__Default=Warning
export Runner__WorkDirectory="$WORK/runner" Runner__Device=cpu
URL="http://127.0.0.1:$API/api"

start_host() {
  (cd Functions/LocalHost/bin/Release/net10.0 && exec dotnet BertPlatform.Functions.LocalHost.dll --urls "http://127.0.0.1:$API") >>"$WORK/functions.log" 2>&1 &
  HOST_PID=$!
  wait_port "$API" 120
  curl -sS -o /dev/null "$URL/models"   # JIT and storage clients warm: "cold" below is the model's cold start only
}
stop_host() { kill "$HOST_PID"; wait "$HOST_PID" 2>/dev/null || true; }

start_host
"${RUNNER[@]}" worker --poll-interval 1 >"$WORK/runner.log" 2>&1 &
pids+=($!)
seed_minilm "$WORK/base" minilm >/dev/null
DATASET=$(upload_csv "$URL" samples/reviews-train.csv reviews | json 'j.dataset.id')
JOB=$(curl -sS --fail-with-body -X POST -H "Content-Type: application/json" "$URL/jobs" \
  -d "{\"baseModel\":\"minilm\",\"trainingDataset\":\"$DATASET\",\"hyperparameters\":{\"epochs\":1,\"batchSize\":16,\"learningRate\":0.0001,\"maxSequenceLength\":48,\"seed\":1}}" | json 'j.id')
echo "fine-tuning all-MiniLM-L6-v2 as job $JOB ..."
status=$(job_final_status "$URL" "$JOB")
[ "$status" = succeeded ] || { echo "job $status"; tail -20 "$WORK/runner.log"; exit 1; }
curl -sS "$URL/models/$JOB" | json 'j.files.map(f => `  ${f.path} ${f.bytes} bytes`).join("\n")'

body() { node -e '
const n = Number(process.argv[1]);
const texts = ["The battery lasts all day and the screen is gorgeous.", "Support never answered my emails, a terrible experience.",
  "Delivery was fast but the price is a bit high for what you get.", "It works."];
console.log(JSON.stringify({ inputs: Array.from({ length: n }, (_, i) => ({ text: texts[i % texts.length] })) }));' "$1" > "$WORK/body$1.json"; }
body 1; body 16
post() { curl -sS -o "$WORK/out.json" -w '%{time_total}\n' -X POST -H "Content-Type: application/json" --data-binary "@$WORK/body$1.json" "$URL/models/$JOB/predict"; }
stats() { sort -n | node -e 'const v=require("fs").readFileSync(0,"utf8").trim().split("\n").map(Number).map(x=>x*1000);
  const q=p=>v[Math.min(v.length-1,Math.ceil(p*v.length)-1)]; console.log(`n=${v.length} p50=${q(0.5).toFixed(1)} ms p95=${q(0.95).toFixed(1)} ms`)'; }

for batch in 1 16; do
  : > "$WORK/cold$batch"
  for _ in $(seq 1 "$COLD"); do stop_host; start_host; post "$batch" >> "$WORK/cold$batch"; done
done
grep -q '"predictions"' "$WORK/out.json" || { cat "$WORK/out.json"; exit 1; }
for batch in 1 16; do
  for _ in $(seq 1 5); do post "$batch" > /dev/null; done
  : > "$WORK/warm$batch"
  for _ in $(seq 1 "$WARM"); do post "$batch" >> "$WORK/warm$batch"; done
done
lscpu | grep "Model name"
for batch in 1 16; do
  echo "batch $batch cold (model load + first run, host already up): $(stats < "$WORK/cold$batch")"
  echo "batch $batch warm: $(stats < "$WORK/warm$batch")"
done
echo "host memory with the model loaded: VmRSS $(rss_mib $HOST_PID VmRSS) MiB, peak VmHWM $(rss_mib $HOST_PID VmHWM) MiB"
node -e 'const j=require(process.argv[1]); console.log("last answer:", JSON.stringify(j.predictions[0]).slice(0,200))' "$WORK/out.json"
stop_host
