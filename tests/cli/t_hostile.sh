# A bad-input generator (fixed seed, bounded): random command lines for
# every subcommand built from hostile values (signs, blanks, overflowing
# and suffixed numbers, bytes that are not UTF-8, empty words, options
# without values), random script bytes and hostile paths. Every run, under
# ASan and UBSan, must exit 0, 1 or 2 without a sanitizer report, and with
# --json (and for run, always) every stdout line must be valid UTF-8 and
# one JSON value.

RANDOM=31337
HOSTILE_RUNS=${HOSTILE_RUNS:-120}
: >"$TMP/s"
vals=(0 1 -1 40 48 52 53 4k 16k 64k 8k 0x 0x10 " 40" "40 " +40 4G 1P 256T 0xffffffffffffffff
      99999999999999999999 "" $'\xff\xfe' $'caf\xc3' $'\xed\xa0\x80' 1e3 0x80003558
      0x80023558 0x300 -- capped independent mmio-legacy pci-legacy 12 36 39 47)
opts=(--granule --ipa-bits --pa-bits --lpa2 --start-level --vmid-bits --ha --hd --json
      --mmfr0 --mmfr1 --mmfr2 --kernel-pa-bits --policy --host-va-bits --base-pa --vmid
      --table-memory --no-fwb --out --transport --guest-page --ram-end --root --help -x)
cmds=("limits" "vm-type" "geometry" "vtcr decode" "vtcr encode" "vttbr" "matrix"
      "decode par" "decode hpfar" "decode esr" "decode its-baser" "decode gicr-pendbaser"
      "virtio-limit" "run" "image" "help" "frob")
paths=(/dev/null /tmp /dev/full /nonexistent/x - "$TMP/g.img" "$TMP/"$'\xff.img' "$TMP/s")
pick() { local -n a=$1; printf '%s' "${a[RANDOM % ${#a[@]}]}"; }

# Random script: mostly well-formed operations with hostile words mixed in,
# sometimes raw bytes.
gen_script() {
	local n=$((RANDOM % 8)) i
	for ((i = 0; i < n; i++)); do
		case $((RANDOM % 6)) in
		0) printf 'map %s %s %s %s\n' "$(pick vals)" "$(pick vals)" "$(pick vals)" rw ;;
		1) printf 'translate %s\n' "$(pick vals)" ;;
		2) printf 'protect 0 %s %s\n' "$(pick vals)" "$(pick vals)" ;;
		3) head -c $((RANDOM % 64)) /dev/urandom ;;
		4) printf '%s %s\n' "$(pick vals)" "$(pick vals)" ;;
		5) printf 'harvest 0 %s\nstats\ndump\n' "$(pick vals)" ;;
		esac
	done
}

check_out() {
	local l
	if ! iconv -f UTF-8 -t UTF-8 <<<"$OUT" >/dev/null 2>&1; then
		bad "stdout is not valid UTF-8: $(head -c 300 <<<"$OUT" | od -c | head -3)"
		return
	fi
	while IFS= read -r l; do
		[[ -z $l ]] && continue
		jq -e . >/dev/null 2>&1 <<<"$l" || { bad "not a JSON line: $(head -c 300 <<<"$l")"; return; }
	done <<<"$OUT"
	ok
}

for ((n = 0; n < HOSTILE_RUNS; n++)); do
	read -r -a argv <<<"$(pick cmds)"
	nopt=$((RANDOM % 6))
	for ((i = 0; i < nopt; i++)); do
		argv+=("$(pick opts)")
		((RANDOM % 4)) && argv+=("$(pick vals)")
	done
	json=0
	case ${argv[0]} in
	run|image)
		gen_script >"$TMP/s"
		((RANDOM % 3)) || argv+=(--out "$(pick paths)")
		argv+=("$( ((RANDOM % 4)) && echo "$TMP/s" || pick paths)")
		json=1 ;;
	esac
	[[ " ${argv[*]} " == *" --json "* ]] && json=1
	# --help and --version print text, whatever else was asked.
	[[ " ${argv[*]} " == *" --help "* || ${argv[0]} == help ]] && json=0
	CMDLINE="${argv[*]}"
	OUT=$(timeout 60 "$S2CTL" "${argv[@]}" 2>"$TMP/err" <"$TMP/s")
	RC=$?
	ERR=$(<"$TMP/err")
	if ((RC != 0 && RC != 1 && RC != 2)) || grep -qE 'Sanitizer|runtime error' <<<"$ERR"; then
		bad "exit $RC (only 0, 1, 2 allowed) or sanitizer report: $(head -c 600 <<<"$ERR")"
		continue
	fi
	ok
	((json)) && check_out
done
