#!/bin/sh
# Run the five harnesses, two at a time, SECONDS each (default 600); logs in fuzz/logs/.
cd "$(dirname "$0")/.." || exit 1
SECONDS_EACH=${1:-600}
mkdir -p fuzz/logs fuzz/artifacts
run() {
    python "fuzz/fuzz_$1.py" -max_total_time="$SECONDS_EACH" -timeout=20 -max_len=8192 \
        -print_final_stats=1 -artifact_prefix="fuzz/artifacts/$1-" >"fuzz/logs/$1.log" 2>&1
    echo "$1 exit $?" >>fuzz/logs/summary.txt
}
run hcl & run cloudformation & wait
run plan & run evaluate & wait
run files & wait
