#!/bin/sh
# spam_matrix.sh CLOUDLEDGER [SCENARIO_DIR] — the spam mitigation matrix of docs/attacks.md:
# runs every scenario of scenarios/attacks/spam/ twice, under the flood and with the flood's
# rate set to 0/s (what the mitigation costs honest users with no flood), and prints one
# Markdown row per scenario from the summary metrics spam.flood.*. Results go to a
# temporary directory, removed at the end.
set -eu
bin=$1
dir=${2:-$(dirname "$0")/../../scenarios/attacks/spam}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
field() { awk -v k="spam.flood.$2" '$1 == k {print $2}' "$1"; }
echo "| scenario | honest served (flood) | latency s (flood) | honest served (no flood) | latency s (no flood) | attacker sent | refused | codes held | small tier dry at s | sim-s/wall-s |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for f in ${SPAM_MATRIX:-none txpool-slots token-bucket per-user-live per-user-lifetime issue-cap max-txs stamp short-ttl recommended}; do
    "$bin" run "$dir/$f.yaml" -o "$tmp/$f.h5" > "$tmp/$f.txt"
    "$bin" run "$dir/$f.yaml" -o "$tmp/$f-quiet.h5" --set 'adversaries[0].rate=0/s' > "$tmp/$f-quiet.txt"
    speed=$(awk '$1 == "sim_seconds_per_wall_second" {print $2}' "$tmp/$f.txt")
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$f" \
        "$(field "$tmp/$f.txt" honest_service_rate)" "$(field "$tmp/$f.txt" honest_latency_mean)" \
        "$(field "$tmp/$f-quiet.txt" honest_service_rate)" "$(field "$tmp/$f-quiet.txt" honest_latency_mean)" \
        "$(field "$tmp/$f.txt" sent)" "$(field "$tmp/$f.txt" refused)" "$(field "$tmp/$f.txt" codes_held)" \
        "$(field "$tmp/$f.txt" tier_small_drained_at)" "$speed"
done
