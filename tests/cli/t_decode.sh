# decode: PAR_EL1, HPFAR_EL2, ESR_EL2 and the GIC base registers, with
# values assembled here from the architecture's field layouts and what
# QEMU 7.2 reported.

# PAR_EL1, F=0 (QEMU 7.2: 64K/52, IPA 0x000F123456785123 -> PA
# 0x000abcdef0125123): PA[51:12] in bits [51:12], attributes [63:56].
PAR=$((0xff << 56 | 0xabcdef0125000 | 3 << 7))
run decode par $(printf '%#x' $PAR) --json && {
	is_rc 0; is_json; is_j .f false; is_hex .pa 0xabcdef0125000; is_hex .attr 0xff; is_j .sh 3
	# Linux's PAR_TO_HPFAR() (asm/kvm_arm.h): (par & GENMASK(51, 12)) >> 8.
	is_hex .hpfar $((0xabcdef0125000 >> 8)); }
run decode par $(printf '%#x' $PAR) --va 0xf123456785123 --json && is_hex .pa 0xabcdef0125123
# F=1: FST in [6:1], PTW [8], S [9].
run decode par $((1 | 0x05 << 1 | 1 << 9)) --json && {
	is_j '[.f, .fault, .level, .stage, .ptw] | map(tostring) | join(" ")' "true translation 1 2 false"; }
run decode par $((1 | 0x2b << 1 | 1 << 9)) --json && is_j '[.fault, .level] | map(tostring) | join(" ")' "translation -1"
run decode par $((1 | 0x00 << 1 | 1 << 9 | 1 << 8)) --json && is_j '[.fault, .level, .ptw] | map(tostring) | join(" ")' "address-size 0 true"
run decode par $((1 | 0x0f << 1)) --json && is_j '[.fault, .level, .stage] | map(tostring) | join(" ")' "permission 3 1"
run decode par $((1 | 0x05 << 1 | 1 << 9)) && { is_rc 0; has_out "translation fault at level 1, stage 2"; }

# HPFAR_EL2 (QEMU 7.2: 0x00000edcba987600 -> IPA 0x000edcba98760000), FAR
# gives the page offset.
run decode hpfar 0x00000edcba987600 --json && { is_rc 0; is_hex .ipa 0x000edcba98760000; }
run decode hpfar 0x00000edcba987600 --far 0xffff000012345abc --json && is_hex .ipa 0x000edcba98760abc

# ESR_EL2: EC [31:26], IL [25], ISV [24], SAS [23:22], SSE [21], SRT
# [20:16], SF [15], AR [14], FnV [10], EA [9], CM [8], S1PTW [7], WnR [6],
# DFSC [5:0].
ESR=$((0x24 << 26 | 1 << 25 | 1 << 24 | 2 << 22 | 3 << 16 | 1 << 6 | 0x06))
run decode esr $(printf '%#x' $ESR) --json && {
	is_rc 0; is_json; is_hex .ec 0x24; is_j .type data-abort
	is_j '[.isv, .sas, .access_bytes, .srt, .sf, .wnr, .lower_el] | map(tostring) | join(" ")' "true 2 4 3 false true true"
	is_j '[.fault, .level] | map(tostring) | join(" ")' "translation 2"; }
run decode esr $(printf '%#x' $ESR) && { has_out "write of 4 bytes"; has_out "translation"; }
run decode esr $((0x24 << 26 | 1 << 25 | 1 << 24 | 3 << 22 | 1 << 15 | 31 << 16 | 0x2b)) --json && {
	is_j '[.sas, .access_bytes, .sf, .srt, .wnr, .fault, .level] | map(tostring) | join(" ")' "3 8 true 31 false translation -1"; }
# ISV=0: the access fields are not valid, even if bits are set there.
run decode esr $((0x24 << 26 | 3 << 22 | 5 << 16 | 0x07 | 1 << 7)) --json && {
	is_j '[.isv, .sas, .srt, .s1ptw, .level] | map(tostring) | join(" ")' "false 0 0 true 3"; }
run decode esr $((0x20 << 26 | 1 << 25 | 0x0f)) --json && {
	is_j '[.type, .isv, .fault, .level, .lower_el] | map(tostring) | join(" ")' "instruction-abort false permission 3 true"; }
run decode esr $((0x25 << 26 | 0x10)) --json && is_j '[.lower_el, .fault, .level] | map(tostring) | join(" ")' "false external null"
run decode esr $((0x24 << 26 | 0x09)) --json && is_j '[.fault, .level] | map(tostring) | join(" ")' "access-flag 1"
# Not an abort (EC 0x16, HVC): the library refuses it.
lib_err decode esr 0x5a000000 -- EINVAL 0x16
run decode esr 0x5a000000 --json && { is_rc 1; is_j .error EINVAL; }

# GITS_BASER: Valid [63], Type [58:56], Entry_Size [52:48] (bytes - 1),
# PA [47:12] and, with 64K pages, PA[51:48] in [15:12]; Page_Size [9:8],
# Size [7:0] (pages - 1).
BASER=$((1 << 63 | 1 << 56 | 7 << 48 | 0x123456780000 | 0xf << 12 | 2 << 8 | 1))
run decode its-baser $(printf '%#x' $BASER) --json && {
	is_rc 0; is_json; is_hex .pa 0xf123456780000; is_j .pa_above_48 true
	is_j '[.valid, .page_size, .entry_bytes, .type_name, .size_bytes] | map(tostring) | join(" ")' "true 65536 8 devices 131072"; }
# 4K pages: bits [15:12] are address bits, not PA[51:48].
run decode its-baser $((0x123456785000)) --json && { is_hex .pa 0x123456785000; is_j .valid false; is_j .page_size 4096; }
# GITS_CBASER and GICR_PROPBASER: PA [51:12]; GICR_PENDBASER: PA [51:16].
run decode gits-cbaser $(printf '%#x' $((1 << 63 | 0xf000000012000 | 15))) --json && {
	is_hex .pa 0xf000000012000; is_j .valid true; is_j .size_bytes 65536; }
run decode gicr-propbaser $((0xf000000012000 | 15)) --json && { is_hex .pa 0xf000000012000; is_j .id_bits 16; }
run decode gicr-pendbaser $(printf '%#x' $((1 << 62 | 0xf00000001f000))) --json && { is_hex .pa 0xf000000010000; is_j .ptz true; }
run decode gicr-pendbaser 0x10000 && { is_rc 0; has_out GICR_PENDBASER; }
