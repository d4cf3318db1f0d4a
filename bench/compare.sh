#!/usr/bin/env bash
# Side-by-side pp512/tg128 of EdgeLM and llama.cpp's llama-bench on the same files, 2 threads, alternating
# tools model by model. Prints one JSON line per (tool, model) run with the load average before it.
# usage: bench/compare.sh [reps] [models...]   (models default: /work/bench-models/llama1b-{Q4_0,Q8_0,Q4_K_M}.gguf)
# EDGELM=path overrides the EdgeLM binary (e.g. an older build for a before/after).
set -euo pipefail
reps=${1:-3}; shift || true
models=("$@")
[ ${#models[@]} -eq 0 ] && models=(/work/bench-models/llama1b-Q4_0.gguf /work/bench-models/llama1b-Q8_0.gguf /work/bench-models/llama1b-Q4_K_M.gguf)
edgelm=${EDGELM:-$(dirname "$0")/../src/EdgeLM.Cli/bin/Release/net10.0/edgelm}
llama=${LLAMA_BENCH:-/work/llama.cpp/build/bin/llama-bench}
for m in "${models[@]}"; do
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  "$edgelm" bench -m "$m" -p 512 -n 128 -t 2 -r "$reps" --json |
    python3 -c "import json,sys,statistics as s; [print(json.dumps({'tool':'edgelm','model':'$m','test':r['test'],'median_ts':s.median(r['samples_ts']),'samples':r['samples_ts'],'load':'$load'})) for r in json.load(sys.stdin)]"
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  "$llama" -m "$m" -p 512 -n 128 -t 2 -r "$reps" -o json 2>/dev/null |
    python3 -c "import json,sys,statistics as s; [print(json.dumps({'tool':'llama.cpp','model':'$m','test':('pp%d'%r['n_prompt']) if r['n_gen']==0 else ('tg%d'%r['n_gen']),'median_ts':s.median(r['samples_ts']),'samples':r['samples_ts'],'load':'$load'})) for r in json.load(sys.stdin)]"
done
