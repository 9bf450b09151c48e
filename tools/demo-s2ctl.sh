#!/usr/bin/env bash
# The s2ctl demo: which IPA sizes each host allows under the capped and
# the independent level policies, and the stage-2 geometry of a few VMs.
set -euo pipefail
S2CTL=${S2CTL:-build/s2ctl}

echo "== Which IPA sizes each host allows with stage 2 capped at the host's stage-1 levels"
"$S2CTL" matrix --policy capped
echo
echo "== ... and as Linux 6.12 decides (52 bits: 64K, or LPA2 on a 52-bit-VA 4K/16K host)"
"$S2CTL" matrix --policy independent
echo
echo "== Stage-2 geometry of a few VMs"
printf '%-10s %-4s %-6s %-6s %-6s %-8s %-4s %-13s %s\n' \
	granule ipa levels start concat root PS VTCR_EL2 "blocks (level:size)"
vms=("4k 40" "4k 48" "4k 52 --lpa2" "16k 51 --lpa2" "64k 52")
for vm in "${vms[@]}"; do
	read -r g ipa extra <<<"$vm"
	# shellcheck disable=SC2086
	line=$("$S2CTL" geometry --granule "$g" --ipa-bits "$ipa" $extra --json)
	# Pull scalar fields out of the one-line JSON without needing jq.
	field() { sed -E "s/.*\"$1\": (\"[^\"]*\"|-?[0-9]+|true|false).*/\1/; s/\"//g" <<<"$line"; }
	blocks=$(grep -oE '\{"level": -?[0-9]+, "bytes": [0-9]+\}' <<<"${line#*block_sizes}" |
		 sed -E 's/.*"level": (-?[0-9]+), "bytes": ([0-9]+).*/\1 \2/' |
		 while read -r l b; do
			 u=B; for n in K M G T; do ((b % 1024 == 0 && b >= 1024)) && { b=$((b / 1024)); u=$n; }; done
			 printf 'L%s:%s%s ' "$l" "$b" "$u"
		 done)
	name="$g${extra:+ LPA2}"
	printf '%-10s %-4s %-6s %-6s %-6s %-8s %-4s %-13s %s\n' "${name^^}" "$ipa" \
		"$(field levels)" "$(field start_level)" "$(field concat_tables)" \
		"$(($(field root_bytes) / 1024))K" "$(field ps_bits)" "$(field vtcr)" "$blocks"
done
echo
echo "== A 64K/52-bit VM's tables built on the host: RAM above 2^48, translated as QEMU did"
printf '%s\n' "map 0xF123456780000 64K 0xabcdef0120000 rw" "translate 0xF123456785123" \
	"translate 0xF123456795123" "stats" |
	"$S2CTL" run --granule 64k --ipa-bits 52 -
