# matrix --policy capped against the seed cover letter's table. The rows
# are copied from the cover letter (its duplicated 48bit-4K row once);
# when ../shared/reference is beside the repository, they are also read
# from the letter itself.

COVER_ROWS=(
	"39bit-4K y y n n n/a"
	"48bit-4K y y y y n/a"
	"36bit-16K y n n n n/a"
	"47bit-16K y y y y n/a"
	"42bit-64K y y y n n"
	"48bit-64K y y y y y"
)
letter=../shared/reference/ipa-series-cover-letter.txt
if [[ -r $letter ]]; then
	# "| 39bit-4K | y | y | n | n | n/a |" -> "39bit-4K y y n n n/a", first
	# occurrence of each host only.
	from_letter=$(grep -oE '\| [0-9]+bit-[0-9]+K( \| (y|n|n/a))+ \|' "$letter" |
		      tr -d '|' | tr -s ' ' | sed 's/^ //; s/ $//' | awk '!seen[$1]++')
	CMDLINE="(cover letter table)"
	[[ $from_letter == "$(printf '%s\n' "${COVER_ROWS[@]}")" ]] && ok ||
		bad "the letter's table differs from the copy here: $from_letter"
fi

run matrix --policy capped --json && {
	is_rc 0; is_json
	is_j .policy capped
	is_j '.columns | map(tostring) | join(" ")' "40 42 44 48 52"
	is_j '[.rows[:6][] | ([.host] + [.cells["40","42","44","48","52"]]) | join(" ")] | join("\n")' \
		"$(printf '%s\n' "${COVER_ROWS[@]}")"
	is_j '[.rows[] | "\(.va_bits)/\(.granule)"] | join(" ")' \
		"39/4096 48/4096 36/16384 47/16384 42/65536 48/65536 52/4096 52/16384 52/65536"
	# 52-bit-VA hosts: 5 levels of 4K, 4 of 16K and 3 of 64K hold every
	# stage 2 up to 48 bits (64K: 52); the series had no 52-bit 4K/16K.
	is_j '[.rows[6:][] | ([.host] + [.cells["40","42","44","48","52"]]) | join(" ")] | join(",")' \
		"52bit-4K y y y y n/a,52bit-16K y y y y n/a,52bit-64K y y y y y"
}

# The text grid: each row as in the letter, and 55 columns wide like it.
run matrix --policy capped && {
	is_rc 0
	rows=$(grep -E '^\| [0-9]+bit-' <<<"$OUT" | head -6 | tr -d '|' | tr -s ' ' | sed 's/^ //; s/ $//')
	[[ $rows == "$(printf '%s\n' "${COVER_ROWS[@]}")" ]] && ok || bad "text rows: $rows"
	has_out 'host\ipa'
	has_out "| 40bit | 42bit | 44bit | 48bit | 52bit |"
	widths=$(grep -vE '^policy' <<<"$OUT" | awk '{print length($0)}' | sort -u)
	[[ $widths == 55 ]] && ok || bad "line widths $widths, the letter's grid is 55"
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

# The capped limit follows the letter's list of what cannot be supported:
# 39bit-4K [44-48], 36bit-16K [41-48], 42bit-64K [47-52].
for h in "4k 39 43" "16k 36 40" "64k 42 46" "4k 48 48" "16k 47 48" "64k 48 52"; do
	read -r g va want <<<"$h"
	run limits --pa-bits 52 --granule $g --policy capped --host-va-bits $va --json && {
		is_rc 0; is_j .ipa_limit "$want"; }
done
