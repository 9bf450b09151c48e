# image: the binary tables are walked here by an independent reader of
# the Arm ARM descriptor formats (48-bit; LPA: OA[51:48] in [15:12]; LPA2:
# OA[51:50] in [9:8]) starting from the VTTBR the tool printed.

qword() { od -An -t x8 -j "$2" -N 8 "$1" | tr -d ' '; }

# oa DESC PAGESHIFT FORMAT: the output/next-table address of a descriptor.
oa() {
	local d=$((16#$1)) pg=$2
	case $3 in
	ds)  echo $(( (d & ((1 << 50) - 1) & ~((1 << pg) - 1)) | ((d >> 8) & 3) << 50 )) ;;
	lpa) echo $(( (d & ((1 << 48) - 1) & ~((1 << pg) - 1)) | ((d >> 12) & 15) << 48 )) ;;
	*)   echo $(( d & ((1 << 48) - 1) & ~((1 << pg) - 1) )) ;;
	esac
}

# walk IMG BASE ROOT PAGESHIFT START IPABITS FORMAT IPA: sets W_LEVEL,
# W_PA, W_DESC (W_PA empty on a fault).
walk() {
	local img=$1 base=$2 table=$3 pg=$4 sl=$5 ipa_bits=$6 fmt=$7 ipa=$8 level shift bits idx d
	W_PA=""
	for ((level = sl; level <= 3; level++)); do
		shift=$((pg + (3 - level) * (pg - 3)))
		bits=$((level == sl ? ipa_bits - shift : pg - 3))
		idx=$(( (ipa >> shift) & ((1 << bits) - 1) ))
		d=$(qword "$img" $((table - base + idx * 8)))
		W_LEVEL=$level W_DESC=$((16#$d))
		((W_DESC & 1)) || return
		if ((level < 3 && (W_DESC & 3) == 3)); then
			table=$(oa "$d" "$pg" "$fmt")
			continue
		fi
		W_PA=$(( $(oa "$d" "$pg" "$fmt") & ~((1 << shift) - 1) | (ipa & ((1 << shift) - 1)) ))
		return
	done
}

IMG=$TMP/img.bin
# 4K/40 tables loaded at 0x40000000.
script() { printf '%s\n' "$@" >"$TMP/script"; }
script "map 0 2M 0x80000000 rw" "map 0x40000000 4K 0x12345000 rx"
run image --base-pa 0x40000000 --out "$IMG" "$TMP/script" && {
	is_rc 0; is_json
	is_hex .vtcr 0x80023558
	is_hex .root 0x40000000
	is_hex .vttbr $((1 << 48 | 0x40000000))    # VMID 1 by default
	is_j .bytes "$(stat -c %s "$IMG")"
	is_j .tables 4                              # root + L2 + L2 + L3
	walk "$IMG" 0x40000000 0x40000000 12 1 40 48 0x1234
	[[ $W_LEVEL == 2 ]] && ok || bad "0x1234 walked to level $W_LEVEL, expected a level-2 block"
	(( W_PA == 0x80001234 )) && ok || bad "0x1234 -> $(printf %#x "$W_PA"), expected 0x80001234"
	# Block (0b01), AF, S2AP read+write, Normal WB (MemAttr 0xf), inner
	# shareable, XN[1] (not executable).
	(( (W_DESC & 3) == 1 && W_DESC >> 10 & 1 && (W_DESC >> 6 & 3) == 3 &&
	   (W_DESC >> 2 & 15) == 15 && (W_DESC >> 8 & 3) == 3 && W_DESC >> 54 & 1 )) && ok ||
		bad "block descriptor $(printf %#x "$W_DESC")"
	walk "$IMG" 0x40000000 0x40000000 12 1 40 48 0x40000123
	(( W_LEVEL == 3 && W_PA == 0x12345123 && (W_DESC & 3) == 3 && (W_DESC >> 6 & 3) == 1 &&
	   !(W_DESC >> 54 & 1) )) && ok || bad "0x40000123: level $W_LEVEL pa $(printf %#x "${W_PA:-0}") desc $(printf %#x "$W_DESC")"
	walk "$IMG" 0x40000000 0x40000000 12 1 40 48 0x80000000
	[[ -z $W_PA && $W_LEVEL == 1 ]] && ok || bad "0x80000000 should be unmapped at level 1"
}

# 64K, 52 bits, tables above 2^48 (QEMU 7.2: 0x000F123456785123 ->
# 0x000abcdef0125123): BADDR[51:48] in VTTBR[5:2], table and page
# addresses in LPA format.
BASE=0xf000000000000
script "map 0xF123456780000 64K 0xabcdef0120000 rw"
run image --granule 64k --ipa-bits 52 --base-pa $BASE --vmid 2 --out "$IMG" "$TMP/script" && {
	is_rc 0; is_hex .vtcr 0x8006758c; is_hex .root $BASE
	is_hex .vttbr $((2 << 48 | 0xf << 2))
	walk "$IMG" $BASE $BASE 16 1 52 lpa 0xF123456785123
	(( W_LEVEL == 3 && W_PA == 0xabcdef0125123 )) && ok ||
		bad "64K/52 walk: level $W_LEVEL pa $(printf %#x "${W_PA:-0}")"
}
# 4K LPA2, 52 bits: a 512G block at level 0, tables above 2^50.
BASE=0xc000000000000
script "map 0x8000000000 512G 0xf008000000000 rw" "map 0x1000 4K 0xd000000001000 r"
run image --granule 4k --ipa-bits 52 --lpa2 --base-pa $BASE --out "$IMG" "$TMP/script" && {
	is_rc 0; is_hex .vtcr 0x18006358c; is_j .root_bytes 65536
	walk "$IMG" $BASE $BASE 12 0 52 ds 0x8000000abc
	(( W_LEVEL == 0 && W_PA == 0xf008000000abc )) && ok || bad "LPA2 level-0 block: level $W_LEVEL pa $(printf %#x "${W_PA:-0}")"
	walk "$IMG" $BASE $BASE 12 0 52 ds 0x1abc
	(( W_LEVEL == 3 && W_PA == 0xd000000001abc )) && ok || bad "LPA2 page: level $W_LEVEL pa $(printf %#x "${W_PA:-0}")"
}

# Errors.
usage_err image --out "$IMG" "$TMP/script" -- "--base-pa"
usage_err image --base-pa 0x40000000 "$TMP/script" -- "--out"
usage_err image --base-pa 0x40000000 --out "$IMG" -- "missing SCRIPT"
usage_err image --base-pa 0x40001000 --out "$IMG" "$TMP/script" -- "0x40001000" "aligned" "0x2000"
script "map 0 4K 0 rw" "map 0x10000000000 4K 0 rw"
run image --base-pa 0x40000000 --out "$IMG" "$TMP/script" && {
	is_rc 1; is_j .error ERANGE; is_j '.message | test(":2: map")' true; }
script "map 0 4K 0 rw" "mapp 0 4K 0 rw"
run image --base-pa 0x40000000 --out "$IMG" "$TMP/script" && { is_rc 2; has_err ":2:"; has_err "'mapp'"; }
script "map 0 4K 0 rw"
run image --base-pa 0x40000000 --out "$TMP/no/such/dir/img" "$TMP/script" && { is_rc 1; is_j '.message | test("cannot write")' true; }
# Tables beyond the VM's PA size.
run image --base-pa 0x10000000000 --out "$IMG" "$TMP/script" && { is_rc 1; is_j .error ERANGE; }
