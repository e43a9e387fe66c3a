#!/usr/bin/env bash
# Learning harness (not a test): continued pre-training of all-MiniLM-L6-v2 (imported offline) on real English prose,
# the King James Bible from Debian's public-domain `bible-kjv-text` package, through the platform's own path (Azurite,
# the local Functions host, one runner, the corpus uploaded over HTTP, a `pretraining` job). Prints every evaluation's
# masked-LM accuracy next to the held-out unigram baseline, and the job's verdict.
#
# Documents are chapters, sentences are verses; every STRIDE-th chapter of the whole Bible is taken so that a short
# run still sees all of its books. The defaults were sized for about an hour on 2 shared CPU cores.
# Usage: tools/pretrain-real-prose.sh   (environment: STRIDE=4 EPOCHS=1 BATCH=16 SEQ=64 LR=3e-4 EVAL_STEPS=60
#                                         HELD_OUT_MASKS=1500 DUPE=1 SEED=42 KEEP=<dir to keep the corpus and logs in>)
# Needs: apt-get (only `apt-get download`, no root: the packages are unpacked with dpkg -x into the scratch folder).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
STRIDE=${STRIDE:-4}; EPOCHS=${EPOCHS:-1}; BATCH=${BATCH:-16}; SEQ=${SEQ:-64}; LR=${LR:-3e-4}; EVAL_STEPS=${EVAL_STEPS:-60}
HELD_OUT_MASKS=${HELD_OUT_MASKS:-1500}; DUPE=${DUPE:-1}; SEED=${SEED:-42}
WORK=${KEEP:-$(mktemp -d)}
mkdir -p "$WORK"
pids=()
# free_port, wait_port, json, start_azurite, stop_started, seed_minilm
source tools/lib/local-stack.sh
cleanup() {
  stop_started
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

echo "==> The corpus: the King James Bible from Debian's bible-kjv-text (public domain), every ${STRIDE}th chapter"
(cd "$WORK" && apt-get download bible-kjv bible-kjv-text >/dev/null 2>&1) || { echo "apt-get download bible-kjv bible-kjv-text failed" >&2; exit 1; }
for deb in "$WORK"/bible-kjv*.deb; do dpkg -x "$deb" "$WORK/kjv"; done
# `bible` prints "Ge1:1 In the beginning ..." one verse a line for a range; a new chapter number starts a document.
"$WORK/kjv/usr/bin/bible" -p "$WORK/kjv/usr/lib" -f "gen1:1-rev22:21" |
  awk -v stride="$STRIDE" '
    match($0, /^[1-3]?[A-Za-z]+[0-9]+:[0-9]+ /) {
      ref = substr($0, 1, RLENGTH - 1); text = substr($0, RLENGTH + 1)
      chapter = ref; sub(/:[0-9]+$/, "", chapter)
      if (chapter != current) { current = chapter; n++; if (keep && printed) print ""; keep = ((n - 1) % stride == 0); printed = 0 }
      if (keep && text != "") { print text; printed = 1 }
    }' >"$WORK/kjv.txt"
awk 'BEGIN{d=1} /^$/{d++; next} {s++; w+=NF} END{printf "    %d documents (chapters), %d sentences (verses), %d words\n", d, s, w}' "$WORK/kjv.txt"

[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund --loglevel=error
[ -n "${SKIP_BUILD:-}" ] || dotnet build GpuRunner/GpuRunner.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
[ -n "${SKIP_BUILD:-}" ] || dotnet build Functions/LocalHost/LocalHost.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
# The run takes an hour: it runs copies of the builds, so that rebuilding the repository meanwhile cannot change the
# assemblies under the running processes.
rm -rf "$WORK/bin" && mkdir -p "$WORK/bin"
cp -r GpuRunner/bin/Release/net10.0 "$WORK/bin/runner"
cp -r Functions/LocalHost/bin/Release/net10.0 "$WORK/bin/localhost"
RUNNER=(dotnet "$WORK/bin/runner/GpuRunner.dll")

start_azurite "$WORK/azurite" "$WORK/azurite.log"
API=$(free_port)
export JobQueue__Transport=StorageQueue JobQueue__Name=jobs Api__DefaultOwner=local Logging__LogLevel__Default=Warning
export Runner__WorkDirectory="$WORK/runner" Runner__Device=cpu
URL="http://127.0.0.1:$API/api"
(cd "$WORK/bin/localhost" && exec dotnet BertPlatform.Functions.LocalHost.dll --urls "http://127.0.0.1:$API") >"$WORK/functions.log" 2>&1 &
pids+=($!)
# The runner yields the CPU to whoever else uses this machine, and its OpenMP threads wait passively: spinning
# threads on shared cores starve the ones with work (with them spinning, a step took over 50 s here instead of 6).
OMP_WAIT_POLICY=PASSIVE nice -n 10 "${RUNNER[@]}" worker --poll-interval 1 >"$WORK/runner.log" 2>&1 &
pids+=($!)
wait_port "$API" 120

seed_minilm "$WORK/base" all-MiniLM-L6-v2 >/dev/null
DATASET=$(curl -sS --fail-with-body -X POST --data-binary "@$WORK/kjv.txt" -H "Content-Type: text/plain" \
  "$URL/datasets?name=kjv&format=text&task=pretraining" | json 'j.dataset.id')
JOB=$(curl -sS --fail-with-body -X POST -H "Content-Type: application/json" "$URL/jobs" -d @- <<JSON | json 'j.id'
{ "task": "pretraining", "baseModel": "all-MiniLM-L6-v2", "trainingDataset": "$DATASET",
  "hyperparameters": { "epochs": $EPOCHS, "batchSize": $BATCH, "learningRate": $LR, "maxSequenceLength": $SEQ,
                       "evalSteps": $EVAL_STEPS, "warmupRatio": 0.06, "seed": $SEED },
  "pretraining": { "dupeFactor": $DUPE, "heldOutMaskedPredictions": $HELD_OUT_MASKS, "heldOutNextSentencePairs": 300 } }
JSON
)
echo "==> job $JOB (batch $BATCH, sequence $SEQ, learning rate $LR, dupe factor $DUPE, $EPOCHS epoch(s)); logs in $WORK"
started=$(date +%s)
last=0
while true; do
  events=$(curl -sS --fail-with-body "$URL/jobs/$JOB/events?after=$last")
  echo "$events" | json 'j.filter(e => e.kind !== "progress" && e.kind !== "train").map(e => `  [${e.timestamp.slice(11,19)}] ${e.kind.padEnd(12)} ${e.message}`).join("\n")' | grep -v '^$' || true
  last=$(echo "$events" | json "j.length ? j[j.length-1].sequence : $last")
  status=$(curl -sS --fail-with-body "$URL/jobs/$JOB" | json 'j.status')
  case "$status" in succeeded|failed|cancelled) break ;; esac
  sleep 10
done
sleep 2
echo "==> job $status after $(( $(date +%s) - started )) s; masked-LM accuracy per evaluation (CPU: $(lscpu | sed -n 's/^Model name: *//p'))"
curl -sS --fail-with-body "$URL/jobs/$JOB/events?after=0" | json '["| step | mlm_accuracy | unigram baseline | mlm_loss | perplexity | nsp_accuracy |", "|---|---|---|---|---|---|"].concat(
  j.filter(e => e.kind === "eval" && e.metrics && e.metrics.mlm_accuracy != null).map(e => { const m = e.metrics;
    return `| ${m.step === 0 ? "0 (before)" : m.step} | ${m.mlm_accuracy.toFixed(4)} | ${m.mlm_unigram_accuracy.toFixed(4)} | ${m.mlm_loss.toFixed(3)} | ${(m.mlm_perplexity ?? Math.exp(m.mlm_loss)).toFixed(1)} | ${(m.nsp_accuracy ?? NaN).toFixed(3)} |` })).join("\n")'
[ "$status" = succeeded ]
