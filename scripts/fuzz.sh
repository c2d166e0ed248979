#!/usr/bin/env bash
# `make fuzz`: runs every fuzz target (fuzz/fuzz_targets/) for FUZZ_SECONDS each (default 180),
# or only those named in FUZZ_TARGETS, FUZZ_JOBS at a time (default 1; one per core is the
# most that helps), with libFuzzer and AddressSanitizer. cargo-fuzz needs nightly features:
# they are enabled on the pinned stable toolchain with RUSTC_BOOTSTRAP=1 (the product itself
# never builds that way). cargo-fuzz is installed when missing.
#
# Each target starts from its committed seeds (fuzz/corpus/<target>) and the inputs earlier
# runs found (fuzz/work/<target>, not committed). A crash, timeout or out-of-memory input is
# written to fuzz/regressions/<target>/; minimise it (`cargo fuzz tmin`), fix the cause, and
# commit it: `make test` replays every file there (fuzz/harness/tests/replay.rs).
# `FUZZ_MERGE=1` merges what a run found into the committed corpus: a small set of the inputs
# that add coverage beyond it (libFuzzer's -set_cover_merge). Per target, libFuzzer's final
# statistics are printed at the end; the full log is fuzz/work/<target>.log.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-180}"
jobs_max="${FUZZ_JOBS:-1}"
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$PWD/fuzz/target}"
if ! command -v cargo-fuzz >/dev/null; then
    cargo install cargo-fuzz --locked
fi
# The product's dependency versions, not whatever the registry has today.
[ -f fuzz/Cargo.lock ] || cp Cargo.lock fuzz/Cargo.lock
targets="${FUZZ_TARGETS:-$(cargo fuzz list --fuzz-dir fuzz)}"
# Built once, before the targets run side by side.
for target in $targets; do
    cargo fuzz build --fuzz-dir fuzz "$target"
done

run_target() {
    local target="$1" log="fuzz/work/$1.log" status=0
    mkdir -p "fuzz/work/$target" "fuzz/regressions/$target"
    rm -f "fuzz/work/$target.summary"
    cargo fuzz run --fuzz-dir fuzz "$target" "fuzz/work/$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -artifact_prefix="fuzz/regressions/$target/" -print_final_stats=1 \
        >"$log" 2>&1 || status=$?
    if [ "$status" -ne 0 ]; then
        echo "$target failed (exit $status); see $log and fuzz/regressions/$target/" >&2
    elif [ "${FUZZ_MERGE:-0}" = 1 ]; then
        cargo fuzz run --fuzz-dir fuzz "$target" "fuzz/corpus/$target" "fuzz/work/$target" -- \
            -set_cover_merge=1 >>"$log" 2>&1
    fi
    local executions last
    executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
    last=$(grep -E '^#[0-9]+' "$log" | grep -v 'MERGE' | tail -1 || true)
    echo "$target: ${seconds} s, ${executions:-?} executions; $last (exit $status)" \
        >"fuzz/work/$target.summary"
    return "$status"
}

for target in $targets; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do
        wait -n || true
    done
    echo "== $target: $seconds s"
    run_target "$target" &
done
wait
failed=0
for target in $targets; do
    if grep -q '(exit 0)$' "fuzz/work/$target.summary" 2>/dev/null; then
        cat "fuzz/work/$target.summary"
    else
        echo "$target: failed; see fuzz/work/$target.log"
        failed=1
    fi
done
exit "$failed"
