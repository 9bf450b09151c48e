# vtcr decode: values QEMU 7.2 translated with, fields from the Arm
# ARM's VTCR_EL2 layout, and the combinations the architecture forbids.

run vtcr decode 0x80023558 --json && {
	is_rc 0; is_json
	is_j '[.t0sz, .sl0, .sl2, .irgn0, .orgn0, .sh0, .tg0, .ps] | map(tostring) | join(" ")' "24 1 0 1 1 3 0 2"
	is_j '[.vs, .ha, .hd, .ds, .res1] | map(tostring) | join(" ")' "false false false false true"
	is_j '[.ipa_bits, .start_level, .concat_tables, .ps_bits, .granule] | map(tostring) | join(" ")' "40 1 2 40 4096"
}
run vtcr decode 0x8006758c --json && {
	is_rc 0; is_j '[.t0sz, .sl0, .tg0, .ps] | map(tostring) | join(" ")' "12 2 1 6"
	is_j '[.ipa_bits, .start_level, .granule, .lpa] | map(tostring) | join(" ")' "52 1 65536 true"
}
run vtcr decode 0x18006358c --json && {
	is_rc 0; is_j '[.ds, .sl0, .start_level, .concat_tables, .root_bytes] | map(tostring) | join(" ")' "true 2 0 16 65536"; }
run vtcr decode 0x38006350c --json && { is_rc 0; is_j '[.sl2, .sl0, .start_level, .root_entries] | map(tostring) | join(" ")' "1 0 -1 16"; }
run vtcr decode 0x18006b58d --json && { is_rc 0; is_j '[.granule, .ipa_bits, .start_level, .concat_tables] | map(tostring) | join(" ")' "16384 51 1 16"; }
run vtcr decode 0x802a3558 --json && is_j '[.vs, .ha, .vmid_bits] | map(tostring) | join(" ")' "true true 16"
run vtcr decode 0x00023558 --json && { is_rc 0; is_j .res1 false; }
run vtcr decode 0x00023558 && has_out "RES1"
run vtcr decode 0x80023558 && { is_rc 0; has_out "start level 1"; has_out "24 (40-bit IPA)"; }

# Forbidden combinations: exit 1 with the library's reason.
lib_err vtcr decode 0x8002f558 -- EINVAL TG0            # TG0 = 3 reserved
lib_err vtcr decode 0x80073558 -- EINVAL PS             # PS = 7 reserved
lib_err vtcr decode 0x18006758c -- EINVAL DS            # DS with 64K
lib_err vtcr decode 0x280023518 -- EINVAL SL2           # SL2 without DS
lib_err vtcr decode 0x38006354c -- EINVAL SL2           # SL2 with SL0 != 0
lib_err vtcr decode 0x800675cc -- EINVAL SL0            # 64K SL0 = 3 reserved
lib_err vtcr decode 0x80023518 -- EINVAL "cannot resolve"   # 4K, 40 bits from level 2: 512 tables
lib_err vtcr decode 0x80053550 -- EINVAL "cannot resolve"   # 4K, 48 bits from level 1: 512 tables
# T0SZ is bounded by the CPU's PA size, not PS: decoded, with a note.
run vtcr decode 0x80003558 --json && {
	is_rc 0; is_j '[.ipa_bits, .ps_bits, .ipa_above_ps, .start_level] | map(tostring) | join(" ")' "40 32 true 1"
	is_j '.note | test("wider than PS")' true; }
run vtcr decode 0x80003558 && { is_rc 0; has_out "wider than PS (32 bits)"; }
# Linux's 64K host on a 48-bit kernel PA: 52-bit IPA, PS=48.
run vtcr decode 0x8005758c --json && {
	is_rc 0; is_j '[.ipa_bits, .ps_bits, .ipa_above_ps, .granule] | map(tostring) | join(" ")' "52 48 true 65536"; }
run vtcr decode 0x80023558 --json && is_j '[.ipa_above_ps, has("note")] | map(tostring) | join(" ")' "false false"
lib_err vtcr decode 0x8006758b -- EINVAL "32..52"       # T0SZ 11: 53 bits
lib_err vtcr decode 0x80023598 -- EINVAL "PA size above"    # 4K level 0 with PS 40 < 44
run vtcr decode 0x8002f558 --json && { is_rc 1; is_json; is_j .error EINVAL; is_j '.message | test("TG0")' true; }

# Every VM geometry's VTCR decodes back to the same geometry.
for g in 4k 16k 64k; do
	for ((ipa = 32; ipa <= 52; ipa++)); do
		extra=""; ((ipa > 48)) && [[ $g != 64k ]] && extra=--lpa2
		run geometry --granule $g --ipa-bits $ipa $extra --json || continue
		{ read -r vtcr; read -r want; } < <(jq -r '.vtcr, ([.ipa_bits, .granule, .start_level, .concat_tables, .root_bytes, .ps_bits, .lpa2] | tojson)' <<<"$OUT")
		run vtcr decode "$vtcr" --json &&
			is_j '[.ipa_bits, .granule, .start_level, .concat_tables, .root_bytes, .ps_bits, .lpa2] | tojson' "$want"
	done
done
