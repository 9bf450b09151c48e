# matrix --policy capped: stage 2 may use no more levels than the host's
# stage 1 has for its VA size and page size, and 52 bits need 64K pages
# (n/a otherwise). Stage-1 levels are (va - 4) / (shift - 3), stage-2
# levels max(2, (ipa - 8) / (shift - 3)) (integer division: Linux's
# ARM64_HW_PGTABLE_LEVELS); the rows below are that rule worked out by hand.

CAPPED_ROWS=(
	"39bit-4K y y n n n/a"
	"48bit-4K y y y y n/a"
	"36bit-16K y n n n n/a"
	"47bit-16K y y y y n/a"
	"42bit-64K y y y n n"
	"48bit-64K y y y y y"
)

run matrix --policy capped --json && {
	is_rc 0; is_json
	is_j .policy capped
	is_j '.columns | map(tostring) | join(" ")' "40 42 44 48 52"
	is_j '[.rows[:6][] | ([.host] + [.cells["40","42","44","48","52"]]) | join(" ")] | join("\n")' \
		"$(printf '%s\n' "${CAPPED_ROWS[@]}")"
	is_j '[.rows[] | "\(.va_bits)/\(.granule)"] | join(" ")' \
		"39/4096 48/4096 36/16384 47/16384 42/65536 48/65536 52/4096 52/16384 52/65536"
	# 52-bit-VA hosts: 5 levels of 4K, 4 of 16K and 3 of 64K hold every
	# stage 2 up to 48 bits (64K: 52); capped has no 52-bit 4K/16K.
	is_j '[.rows[6:][] | ([.host] + [.cells["40","42","44","48","52"]]) | join(" ")] | join(",")' \
		"52bit-4K y y y y n/a,52bit-16K y y y y n/a,52bit-64K y y y y y"
}

# The text grid: the same rows, every line 55 columns wide.
run matrix --policy capped && {
	is_rc 0
	rows=$(grep -E '^\| [0-9]+bit-' <<<"$OUT" | head -6 | tr -d '|' | tr -s ' ' | sed 's/^ //; s/ $//')
	[[ $rows == "$(printf '%s\n' "${CAPPED_ROWS[@]}")" ]] && ok || bad "text rows: $rows"
	has_out 'host\ipa'
	has_out "| 40bit | 42bit | 44bit | 48bit | 52bit |"
	widths=$(grep -vE '^policy' <<<"$OUT" | awk '{print length($0)}' | sort -u)
	[[ $widths == 55 ]] && ok || bad "line widths $widths, the grid is 55"
}

# Independent tables (Linux 6.12): every size up to 48 bits fits every
# host. 52 bits: 64K always (FEAT_LPA); 4K and 16K need LPA2, which needs
# CONFIG_ARM64_PA_BITS_52, which "depends on ARM64_64K_PAGES ||
# ARM64_VA_BITS_52" (arch/arm64/Kconfig): only the 52-bit-VA hosts.
INDEP_ROWS="39bit-4K y y y y n,48bit-4K y y y y n,36bit-16K y y y y n,47bit-16K y y y y n,\
42bit-64K y y y y y,48bit-64K y y y y y,52bit-4K y y y y y,52bit-16K y y y y y,52bit-64K y y y y y"
run matrix --policy independent --json && {
	is_rc 0
	is_j '[.rows[] | ([.host] + [.cells["40","42","44","48","52"]]) | join(" ")] | join(",")' "$INDEP_ROWS"
	is_j '.rows | length' 9
}
run matrix --policy independent && {
	rows=$(grep -E '^\| [0-9]+bit-' <<<"$OUT" | tr -d '|' | tr -s ' ' | sed 's/^ //; s/ $//' | paste -sd,)
	[[ $rows == "$INDEP_ROWS" ]] && ok || bad "independent text rows: $rows"
}
# The same answer as `limits` for a full-featured CPU on each host kernel:
# a 52-bit kernel PA (a 52-bit-VA 4K/16K host) gives 52, a 48-bit one 48.
run limits --pa-bits 52 --granule 4k --kernel-pa-bits 48 --json && is_j .ipa_limit 48
run limits --pa-bits 52 --granule 16k --kernel-pa-bits 52 --json && is_j .ipa_limit 52
run matrix --json && is_j .policy independent

# The capped limit follows from the same rule: a 39bit-4K host cannot run
# 44..48, 36bit-16K 41..48, 42bit-64K 47..52.
for h in "4k 39 43" "16k 36 40" "64k 42 46" "4k 48 48" "16k 47 48" "64k 48 52"; do
	read -r g va want <<<"$h"
	run limits --pa-bits 52 --granule $g --policy capped --host-va-bits $va --json && {
		is_rc 0; is_j .ipa_limit "$want"; }
done
