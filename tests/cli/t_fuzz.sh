# Random scripts (fixed seed) over random geometries: every run ends with
# exit 0, 1 or 2, one JSON line per operation until any script error, and
# no sanitizer report. Sizes stay at or below 1G so a run stays small.

RANDOM=2718
addrs=(0 0x1000 0x1234 0x200000 0x3ff000 0x40000000 0x8000000000 0x800000000000 \
       0xf000000000000 0xffffffffffffffff 0x10000 0x2000000)
sizes=(0 4K 8K 64K 0x1001 2M 32M 512M 1G 0xffffffffffffffff 16K 0x3000)
prots=(r rw rwx x none "r,device" "rw,device" "rwx,device" rx w)
oneop=(map map map unmap protect wrprotect split collapse translate translate mkold \
       mkyoung mark-dirty harvest flush stats dump)
geoms=("--granule 4k --ipa-bits 40" "--granule 4k --ipa-bits 48" "--granule 4k --ipa-bits 52 --lpa2"
       "--granule 16k --ipa-bits 47" "--granule 16k --ipa-bits 52 --lpa2" "--granule 64k --ipa-bits 52"
       "--granule 64k --ipa-bits 42" "--granule 4k --ipa-bits 52 --lpa2 --start-level -1"
       "--granule 4k --ipa-bits 36 --hd" "--granule 16k --ipa-bits 36 --ha --no-fwb")
pick() { local -n a=$1; echo "${a[RANDOM % ${#a[@]}]}"; }

for ((n = 0; n < 120; n++)); do
	: >"$TMP/fuzz"
	nops=$((1 + RANDOM % 12))
	for ((i = 0; i < nops; i++)); do
		op=$(pick oneop)
		case $op in
		map) echo "map $(pick addrs) $(pick sizes) $(pick addrs) $(pick prots)$( ((RANDOM % 4)) || echo ' pages')" ;;
		protect) echo "protect $(pick addrs) $(pick sizes) $(pick prots)" ;;
		translate|mkyoung|mark-dirty) echo "$op $(pick addrs)" ;;
		stats|dump) echo "$op" ;;
		*) echo "$op $(pick addrs) $(pick sizes)" ;;
		esac >>"$TMP/fuzz"
	done
	# One script in eight gets a broken line somewhere.
	((RANDOM % 8)) || sed -i "$((1 + RANDOM % nops))s/.*/& trailing-junk/" "$TMP/fuzz"
	# shellcheck disable=SC2046
	run run $(pick geoms) "$TMP/fuzz" || continue
	((RC <= 2)) && ok || bad "exit $RC on script: $(tr '\n' ';' <"$TMP/fuzz")"
	if ((RC < 2)); then
		lines=$(grep -c . <<<"$OUT")
		((lines == nops)) && ok || bad "$lines JSON lines for $nops operations: $(tr '\n' ';' <"$TMP/fuzz")"
		jq -e . >/dev/null 2>&1 <<<"$OUT" && ok || bad "output is not JSON lines"
	fi
done
