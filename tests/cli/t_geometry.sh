# geometry / vtcr encode against the architecture's rules, computed here
# independently of libs2, and the VTCR values QEMU 7.2 accepted.

# The smallest PARange size holding N bits.
parange_up() { for p in 32 36 40 42 44 48 52; do ((p >= $1)) && { echo $p; return; }; done; }
ps_enc() { case $1 in 32) echo 0;; 36) echo 1;; 40) echo 2;; 42) echo 3;; 44) echo 4;; 48) echo 5;; 52) echo 6;; esac; }

# oracle PAGESHIFT IPA DS PS [START]: sets E_* for a VM (Arm ARM VTCR_EL2,
# Linux's level count ARM64_HW_PGTABLE_LEVELS(ipa - 4), at least 2).
oracle() {
	local pg=$1 ipa=$2 ds=$3 ps=$4 stride=$(($1 - 3)) sl0 tg0
	if (($# > 4)); then E_SL=$5; else
		E_LEVELS=$(((ipa - 8) / stride)); ((E_LEVELS < 2)) && E_LEVELS=2
		E_SL=$((4 - E_LEVELS))
	fi
	E_LEVELS=$((4 - E_SL))
	E_ROOT_BITS=$((ipa - (pg + (3 - E_SL) * stride)))
	E_CONCAT=$((E_ROOT_BITS > stride ? 1 << (E_ROOT_BITS - stride) : 1))
	E_ROOT_BYTES=$(((1 << E_ROOT_BITS) * 8))
	E_ROOT_ALIGN=$((E_ROOT_BYTES < 64 ? 64 : E_ROOT_BYTES))
	case $pg in
	12) tg0=0; if ((E_SL == -1)); then sl0=0; else sl0=$((2 - E_SL)); fi ;;
	14) tg0=2; sl0=$((3 - E_SL)) ;;
	16) tg0=1; sl0=$((3 - E_SL)) ;;
	esac
	E_VTCR=$(( (64 - ipa) | sl0 << 6 | 1 << 8 | 1 << 10 | 3 << 12 | tg0 << 14 |
		   $(ps_enc "$ps") << 16 | 1 << 31 | ds << 32 | (E_SL == -1 ? 1 : 0) << 33 ))
	# Block sizes (AArch64.BlockDescSupported): 4K 1G/2M, 512G at L0 with DS; 16K 32M,
	# 64G at L1 with DS; 64K 512M, 4T at L1 with a 52-bit PA (LPA).
	local b=()
	case $pg in
	12) ((ds)) && b+=("0:$((1 << 39))"); b+=("1:$((1 << 30))" "2:$((1 << 21))") ;;
	14) ((ds)) && b+=("1:$((1 << 36))"); b+=("2:$((1 << 25))") ;;
	16) ((ps == 52)) && b+=("1:$((1 << 42))"); b+=("2:$((1 << 29))") ;;
	esac
	E_BLOCKS=""
	for x in "${b[@]}"; do ((${x%%:*} >= E_SL)) && E_BLOCKS+="$x "; done
	E_BLOCKS=${E_BLOCKS% }
}

check_geometry() {
	local pg=$1 ipa=$2 ds=$3 ps=$4 gname
	gname=$((1 << (pg - 10)))k
	run geometry --granule "$gname" --ipa-bits "$ipa" ${5:+--pa-bits $5} \
		$( ((ds)) && echo --lpa2) --json || return
	is_rc 0
	is_jm .vtcr "$(printf '%#x' "$E_VTCR")" \
	      '[.levels, .start_level, .concat_tables, .root_bytes, .root_align, .ps_bits, .granule] | map(tostring) | join(" ")' \
	      "$E_LEVELS $E_SL $E_CONCAT $E_ROOT_BYTES $E_ROOT_ALIGN $ps $((1 << pg))" \
	      '[.block_sizes[] | "\(.level):\(.bytes)"] | join(" ")' "$E_BLOCKS" \
	      '[.per_level[] | .entries] | map(tostring) | join(" ")' \
	      "$({ echo $((1 << E_ROOT_BITS)); for ((l = E_SL + 1; l <= 3; l++)); do echo $((1 << (pg - 3))); done; } | paste -sd' ')" \
	      .oa_max "$(printf '%#x' $(((1 << ps) - 1)))" \
	      .ipa_max "$(printf '%#x' $(((1 << ipa) - 1)))"
}

# Every granule and IPA size up to 48 bits, default PS, no LPA2.
for pg in 12 14 16; do
	for ((ipa = 32; ipa <= 48; ipa++)); do
		ps=$(parange_up "$ipa")
		oracle "$pg" "$ipa" 0 "$ps"
		check_geometry "$pg" "$ipa" 0 "$ps"
	done
done
# Above 48 bits: LPA2 for 4K/16K, a 52-bit PS (FEAT_LPA) for 64K.
for ((ipa = 49; ipa <= 52; ipa++)); do
	for pg in 12 14; do oracle $pg $ipa 1 52; check_geometry $pg $ipa 1 52; done
	oracle 16 $ipa 0 52; check_geometry 16 $ipa 0 52
done
# LPA2 below 48 bits: same shape, DS set, 512G/64G blocks allowed.
for ipa in 40 44 48; do
	for pg in 12 14; do
		ps=$(parange_up "$ipa"); oracle $pg $ipa 1 "$ps"; check_geometry $pg $ipa 1 "$ps"
	done
done
# An explicit PA size larger than the IPA.
oracle 12 40 0 48; check_geometry 12 40 0 48 48
oracle 16 42 0 52; check_geometry 16 42 0 52 52

# The values QEMU 7.2 accepted and translated with.
run geometry --granule 4k --ipa-bits 40 --json && { is_rc 0; is_j .vtcr 0x80023558
	is_j '[.start_level, .concat_tables] | map(tostring) | join(" ")' "1 2"; }
run geometry --granule 64k --ipa-bits 52 --json && { is_rc 0; is_j .vtcr 0x8006758c
	is_j .start_level 1; is_j .lpa true; is_hex .oa_max $(((1 << 52) - 1)); }
run geometry --granule 4k --ipa-bits 52 --lpa2 --json && { is_rc 0; is_j .vtcr 0x18006358c
	is_j '[.start_level, .concat_tables, .root_bytes] | map(tostring) | join(" ")' "0 16 65536"
	is_j '.block_sizes[0] | "\(.level):\(.bytes)"' "0:$((512 << 30))"; }
run geometry --granule 16k --ipa-bits 51 --lpa2 --json && { is_rc 0
	is_j '[.start_level, .concat_tables] | map(tostring) | join(" ")' "1 16"; }
# Start level -1: SL2=1, SL0=0, a 16-entry root.
oracle 12 52 1 52 -1
run geometry --granule 4k --ipa-bits 52 --lpa2 --start-level -1 --json && { is_rc 0
	is_hex .vtcr "$E_VTCR"; is_j .root_entries 16; is_j .levels 5; is_j .root_align 128; }
# An explicit start level that works (4K level 0 with PS >= 44).
oracle 12 40 0 44 0
run geometry --granule 4k --ipa-bits 40 --pa-bits 44 --start-level 0 --json && { is_rc 0
	is_hex .vtcr "$E_VTCR"; is_j .concat_tables 1; is_j .root_entries 2; }
# 4K/16K with DS=0 treat PS=52 as 48 bits (Arm ARM, VTCR_EL2.PS).
run geometry --granule 4k --ipa-bits 40 --pa-bits 52 --json && { is_j .ps_bits 48
	is_hex .vtcr $((0x80023558 & ~(7 << 16) | 5 << 16)); }
# VS, HA, HD bits.
run geometry --granule 4k --ipa-bits 40 --vmid-bits 16 --ha --json && is_hex .vtcr $((0x80023558 | 1 << 19 | 1 << 21))
run geometry --granule 4k --ipa-bits 40 --hd --json && is_hex .vtcr $((0x80023558 | 1 << 21 | 1 << 22))
run geometry --granule 4k --ipa-bits 40 && { is_rc 0; has_out 0x80023558; has_out "start level 1"; }

# Requests the architecture forbids: exit 1 with the library's reason.
lib_err geometry --granule 4k --ipa-bits 52 -- "LPA2"
lib_err geometry --granule 16k --ipa-bits 49 -- "LPA2"
lib_err geometry --granule 64k --ipa-bits 52 --pa-bits 48 -- "52-bit PA"
lib_err geometry --granule 4k --ipa-bits 44 --pa-bits 40 -- "larger than the PA size"
lib_err geometry --granule 64k --ipa-bits 40 --lpa2 -- "LPA2"
lib_err geometry --granule 4k --ipa-bits 48 --start-level -1 -- "start level -1"
lib_err geometry --granule 4k --ipa-bits 40 --start-level 2 -- "cannot resolve"
lib_err geometry --granule 4k --ipa-bits 40 --start-level 0 -- "PA size above"
lib_err geometry --granule 16k --ipa-bits 47 --start-level 0 -- "LPA2"
lib_err geometry --granule 64k --ipa-bits 40 --start-level 0 -- "level 0"
run geometry --granule 4k --ipa-bits 52 --json && { is_rc 1; is_j .error EINVAL; is_j '.message | test("LPA2")' true; }

# vtcr encode gives the same value as geometry.
for vm in "4k 40" "64k 52" "16k 36" "4k 52 --lpa2"; do
	read -r g ipa extra <<<"$vm"
	run geometry --granule $g --ipa-bits $ipa $extra --json || continue
	want=$(jq -r .vtcr <<<"$OUT")
	run vtcr encode --granule $g --ipa-bits $ipa $extra --json && { is_rc 0; is_j .vtcr "$want"; }
done
