# vttbr: VTTBR_EL2 = BADDR | VMID << 48, with BADDR[51:48] in bits [5:2]
# for a 52-bit PS (Arm ARM VTTBR_EL2), and the root alignment rule (QEMU
# 7.2 drops unaligned low bits silently).

run vttbr --granule 4k --ipa-bits 40 --root 0x40000000 --vmid 5 --json && {
	is_rc 0; is_json; is_hex .vttbr $((5 << 48 | 0x40000000)); is_j .root_align 8192; }
# The 8 KiB concatenated root of 4K/40 must be 8 KiB aligned.
run vttbr --granule 4k --ipa-bits 40 --root 0x40002000 --vmid 0 --json && is_hex .vttbr 0x40002000
lib_err vttbr --granule 4k --ipa-bits 40 --root 0x40001000 --vmid 1 -- EINVAL aligned
# 64K, 52-bit PS: PA[51:48] = 0xf moves to bits [5:2].
run vttbr --granule 64k --ipa-bits 52 --root 0xf000000010000 --vmid 0x1234 --vmid-bits 16 --json && {
	is_rc 0; is_hex .vttbr $((0x1234 << 48 | 0x10000 | 0xf << 2)); is_j .baddr_51_48_in_5_2 true; }
# 4K LPA2, 52 bits: a 64 KiB root (16 concatenated tables).
run vttbr --granule 4k --ipa-bits 52 --lpa2 --root 0xf000000000000 --vmid 7 --json && {
	is_rc 0; is_hex .vttbr $((7 << 48 | 0xf << 2)); }
lib_err vttbr --granule 4k --ipa-bits 52 --lpa2 --root 0xf000000008000 --vmid 7 -- aligned
# Beyond the PA size.
lib_err vttbr --granule 4k --ipa-bits 40 --root 0x10000000000 --vmid 1 -- ERANGE 40-bit
# VMIDs wider than VTCR.VS allows.
lib_err vttbr --granule 4k --ipa-bits 40 --root 0x40000000 --vmid 300 -- EINVAL 300
run vttbr --granule 4k --ipa-bits 40 --root 0x40000000 --vmid 300 --vmid-bits 16 --json && is_hex .vttbr $((300 << 48 | 0x40000000))
run vttbr --granule 4k --ipa-bits 40 --root 0x40000000 --vmid 300 --json && { is_rc 1; is_j .error EINVAL; }
run vttbr --granule 4k --ipa-bits 40 --root 0x40000000 --vmid 3 && { is_rc 0; has_out 0x3000040000000; }
usage_err vttbr --granule 4k --ipa-bits 40 --vmid 3 -- "--root"
usage_err vttbr --granule 4k --ipa-bits 40 --root 0 -- "--vmid"
usage_err vttbr --granule 4k --ipa-bits 40 --root 0 --vmid 70000 -- 70000 65535
