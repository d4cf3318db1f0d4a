#!/usr/bin/env bash
# Side-by-side server load benchmark: EdgeLM `edgelm serve` vs llama.cpp's llama-server on the same GGUF file,
# same thread count, same per-slot context, same load (bench/server/load.mjs: streaming /v1/completions,
# temperature 0, ignore_eos, a distinct prompt per request so prompt caches cannot skip prefill).
#
# For each server (EdgeLM first, then llama-server) and each concurrency N: start the server with N slots,
# wait until it is ready, run one warm-up round of N streams (not timed, distinct prompts of their own), run
# ROUNDS timed rounds of N concurrent streams, stop the server. Every run must generate exactly MAX_TOKENS
# tokens per request or the script stops with an error.
#
# Environment (all optional):
#   MODEL       GGUF file                         (default /work/bench-models/llama1b-Q4_0.gguf)
#   CONC        concurrency list                  (default "1 4 8 16")
#   ROUNDS      timed rounds per concurrency      (default 3)
#   MAX_TOKENS  tokens generated per request      (default 64)
#   CTX         context per slot (llama-server gets -c N*CTX, shared by its N slots)  (default 512)
#   THREADS     threads for both servers          (default 2)
#   LLAMA_BIN   directory with llama-server       (default /work/llama.cpp/build/bin)
#   EDGELM      edgelm binary                     (default: `dotnet build src/EdgeLM.Cli -c Release` and use it)
#   SERVERS     servers to run, in order          (default "edgelm llama-server")
#   WARMUP      1 = warm-up round before timing, 0 = none  (default 1)
#   PROMPTS     distinct | same (see load.mjs)    (default distinct)
#   READY_TIMEOUT  seconds to wait for a server to be ready  (default 180)
#   OUT_DIR     where results-STAMP.jsonl and logs-STAMP/ go (default bench/server, both gitignored)
#   EDGELM_ARGS / LLAMA_ARGS  extra arguments for the respective server
#
# Output: one JSON line per (server, N) in OUT_DIR/results-STAMP.jsonl (load.mjs's fields plus server, model,
# ctx, threads, loadavg before the run) and a markdown table on stdout.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
MODEL=${MODEL:-/work/bench-models/llama1b-Q4_0.gguf}
CONC=${CONC:-"1 4 8 16"}
ROUNDS=${ROUNDS:-3}
MAX_TOKENS=${MAX_TOKENS:-64}
CTX=${CTX:-512}
THREADS=${THREADS:-2}
LLAMA_BIN=${LLAMA_BIN:-/work/llama.cpp/build/bin}
SERVERS=${SERVERS:-"edgelm llama-server"}
WARMUP=${WARMUP:-1}
PROMPTS=${PROMPTS:-distinct}
READY_TIMEOUT=${READY_TIMEOUT:-180}
OUT_DIR=${OUT_DIR:-$here}
EDGELM_ARGS=${EDGELM_ARGS:-}
LLAMA_ARGS=${LLAMA_ARGS:-}

die() { echo "compare.sh: error: $*" >&2; exit 1; }

[ -f "$MODEL" ] || die "model not found: $MODEL"
command -v node >/dev/null || die "node is required (bench/server/load.mjs)"
command -v curl >/dev/null || die "curl is required"
command -v python3 >/dev/null || die "python3 is required"
for n in $CONC; do [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "CONC must be positive integers, got '$n'"; done
for s in $SERVERS; do [[ "$s" == edgelm || "$s" == llama-server ]] || die "unknown server '$s' in SERVERS"; done

if [[ " $SERVERS " == *" edgelm "* ]]; then
  if [ -z "${EDGELM:-}" ]; then
    echo "building EdgeLM (Release)..." >&2
    dotnet build "$root/src/EdgeLM.Cli" -c Release -nologo -v q >&2 || die "dotnet build failed"
    EDGELM="$root/src/EdgeLM.Cli/bin/Release/net10.0/edgelm"
  fi
  [ -x "$EDGELM" ] || die "edgelm binary not executable: $EDGELM"
fi
if [[ " $SERVERS " == *" llama-server "* ]]; then
  [ -x "$LLAMA_BIN/llama-server" ] || die "llama-server not found in $LLAMA_BIN"
fi

stamp=$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT_DIR"
results="$OUT_DIR/results-$stamp.jsonl"
logs="$OUT_DIR/logs-$stamp"
mkdir -p "$logs"
: > "$results"

server_pid=""
stop_server() {
  [ -n "$server_pid" ] || return 0
  local pid=$server_pid; server_pid=""
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "compare.sh: server $pid did not stop on SIGTERM within 10 s, sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
}
trap 'stop_server' EXIT
trap 'echo "compare.sh: interrupted" >&2; stop_server; exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# start_server NAME N LOG -> sets server_pid and base_url, or dies with the log's tail
start_server() {
  local name=$1 n=$2 log=$3 port
  port=$(free_port)
  base_url="http://127.0.0.1:$port"
  if [ "$name" = edgelm ]; then
    # shellcheck disable=SC2086
    "$EDGELM" serve -m "tiny=$MODEL" --host 127.0.0.1 --port "$port" --parallel "$n" -c "$CTX" -t "$THREADS" \
      $EDGELM_ARGS > "$log" 2>&1 &
  else
    # shellcheck disable=SC2086
    "$LLAMA_BIN/llama-server" -m "$MODEL" --host 127.0.0.1 --port "$port" -np "$n" -c $((n * CTX)) \
      -t "$THREADS" --alias tiny $LLAMA_ARGS > "$log" 2>&1 &
  fi
  server_pid=$!
  local deadline=$((SECONDS + READY_TIMEOUT))
  while :; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      wait "$server_pid" 2>/dev/null && rc=0 || rc=$?
      server_pid=""
      echo "---- last lines of $log ----" >&2; tail -n 30 "$log" >&2
      die "$name (N=$n) exited with status $rc before it was ready"
    fi
    # EdgeLM prints "listening on" once its models are loaded; llama-server answers /health 503 while loading.
    if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base_url/health" || true)" = 200 ]; then
      if [ "$name" != edgelm ] || grep -q "listening on http://" "$log"; then break; fi
    fi
    if [ $SECONDS -ge $deadline ]; then
      echo "---- last lines of $log ----" >&2; tail -n 30 "$log" >&2
      die "$name (N=$n) not ready after ${READY_TIMEOUT}s (READY_TIMEOUT) at $base_url"
    fi
    sleep 0.5
  done
}

# llama-server (3f545becc) answers HTTP 500 "does not match the expected Content-only format" once a random-weight
# model's output holds invalid UTF-8: it gets a logit_bias that never samples the tokens that are not valid UTF-8 on
# their own (which token is sampled does not change a forward pass's cost; EdgeLM needs no such list).
llama_bias="$logs/llama-logit-bias.json"
if [[ " $SERVERS " == *" llama-server "* ]]; then
  node "$here/invalid-utf8-bias.mjs" "$MODEL" > "$llama_bias" || die "could not list the model's invalid-UTF-8 tokens"
fi

echo "model $MODEL, CONC=\"$CONC\" ROUNDS=$ROUNDS MAX_TOKENS=$MAX_TOKENS CTX=$CTX/slot THREADS=$THREADS PROMPTS=$PROMPTS" >&2
echo "results: $results  logs: $logs/" >&2
for server in $SERVERS; do
  for n in $CONC; do
    log="$logs/$server-$n.log"
    echo "[$server N=$n] starting" >&2
    start_server "$server" "$n" "$log"
    if [ "$server" = llama-server ]; then export LOGIT_BIAS_FILE="$llama_bias"; else unset LOGIT_BIAS_FILE; fi
    if [ "$WARMUP" = 1 ]; then
      echo "[$server N=$n] warm-up: 1 round of $n streams" >&2
      # warm-up prompts are numbered from 100000 so they share no prefix with the timed requests
      node "$here/load.mjs" "$base_url" tiny "$n" 1 "$MAX_TOKENS" "$PROMPTS" 100000 > "$logs/$server-$n.warmup.json" ||
        die "$server N=$n: warm-up failed (exit $?; see $log)"
    fi
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    echo "[$server N=$n] timed: $ROUNDS round(s) x $n streams x $MAX_TOKENS tokens (loadavg $load)" >&2
    line=$(node "$here/load.mjs" "$base_url" tiny "$n" "$ROUNDS" "$MAX_TOKENS" "$PROMPTS" 0) ||
      { rc=$?; echo "$line" >&2; die "$server N=$n: load run failed (exit $rc; 2 = wrong token count; see $log)"; }
    stop_server
    SERVER="$server" MODEL="$MODEL" CTX="$CTX" THREADS="$THREADS" LOADAVG="$load" LINE="$line" python3 - >> "$results" <<'EOF'
import json, os
r = json.loads(os.environ["LINE"])
want = r["concurrency"] * r["rounds"] * r["max_tokens"]
if r["tokens"] != want or r["stream_tokens_min"] != r["max_tokens"] or r["stream_tokens_max"] != r["max_tokens"]:
    raise SystemExit(f"token count mismatch for {os.environ['SERVER']}: {r}")
out = {"server": os.environ["SERVER"], **r, "model": os.environ["MODEL"], "ctx_per_slot": int(os.environ["CTX"]),
       "threads": int(os.environ["THREADS"]), "loadavg_before": os.environ["LOADAVG"]}
print(json.dumps(out))
EOF
    tail -n 1 "$results" >&2
  done
done

RESULTS="$results" python3 - <<'EOF'
import json, os
rows = [json.loads(l) for l in open(os.environ["RESULTS"]) if l.strip()]
by = {(r["server"], r["concurrency"]): r for r in rows}
concs = sorted({r["concurrency"] for r in rows})
def g(s, n, k): return by.get((s, n), {}).get(k)
def f(x, d=1): return "–" if x is None else f"{x:.{d}f}"
def ttft(s, n):
    a, b = g(s, n, "ttft_p50_ms"), g(s, n, "ttft_p99_ms")
    return "–" if a is None else f"{a:.0f} / {b:.0f}"
def scale(s, n):
    a, b = g(s, n, "aggregate_tps"), g(s, 1, "aggregate_tps")
    return "–" if a is None or not b else f"{a / b:.2f}×"
r0 = rows[0]
print(f"\nmodel `{os.path.basename(r0['model'])}`, {r0['rounds']} timed round(s) × N streams × {r0['max_tokens']} tokens, "
      f"ctx {r0['ctx_per_slot']}/slot, {r0['threads']} threads, prompts {r0['prompts']}; TTFT in ms; ratio = EdgeLM / llama-server\n")
print("| concurrency | EdgeLM agg tok/s | llama-server agg tok/s | ratio | EdgeLM per-stream median tok/s | "
      "EdgeLM TTFT p50/p99 | llama TTFT p50/p99 | EdgeLM scaling vs 1 stream | llama scaling vs 1 stream |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for n in concs:
    e, l = g("edgelm", n, "aggregate_tps"), g("llama-server", n, "aggregate_tps")
    ratio = "–" if e is None or not l else f"{e / l:.2f}×"
    print(f"| {n} | {f(e)} | {f(l)} | {ratio} | {f(g('edgelm', n, 'per_stream_tps_median'))} | "
          f"{ttft('edgelm', n)} | {ttft('llama-server', n)} | {scale('edgelm', n)} | {scale('llama-server', n)} |")
EOF
echo "results: $results" >&2
