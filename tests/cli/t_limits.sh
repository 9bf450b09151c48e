# limits: ID registers decoded by hand from the Arm ARM field layouts, and
# the IPA limits Linux KVM 6.1 and 6.12 reported on QEMU.

CPU_MAX=0x0000032310201126   # QEMU -cpu max ID_AA64MMFR0_EL1
CPU_MAX1=0x20                # ID_AA64MMFR1_EL1.VMIDBits = 2: 16-bit VMIDs

# -cpu max: PARange 6 (52), TGran4_2 = TGran16_2 = 3 (52-bit at stage 2),
# TGran64_2 = 2 with FEAT_LPA (PARange 52).
run limits --mmfr0 $CPU_MAX --mmfr1 $CPU_MAX1 --json && {
	is_rc 0; is_json
	is_j '[.parange, .pa_bits, .granule, .vmid_bits] | map(tostring) | join(" ")' "6 52 4096 16"
	is_j '[.granules[] | "\(.stage2)/\(.["52bit"])"] | join(" ")' "true/true true/true true/true"
	# 6.1 (4K, PA_BITS=48, no LPA2): KVM reports 48.
	is_j '[.ipa_limit, .ps_bits, .lpa2] | map(tostring) | join(" ")' "48 48 false"
}
# 6.12 (4K, LPA2, PA_BITS=52): 52.
run limits --mmfr0 $CPU_MAX --granule 4k --lpa2 --json && {
	is_rc 0; is_j '[.ipa_limit, .ps_bits, .lpa2] | map(tostring) | join(" ")' "52 52 true"; }
run limits --mmfr0 $CPU_MAX --granule 16k --lpa2 --json && { is_rc 0; is_j .ipa_limit 52; is_j .granule 16384; }
run limits --mmfr0 $CPU_MAX --granule 64k --json && { is_rc 0; is_j .ipa_limit 52; is_j .lpa true; is_j .lpa2 false; }
# The kernel's PA size (CONFIG_ARM64_PA_BITS) caps VTCR.PS, not the limit
# (Linux 6.12 kvm_set_ipa_limit() reads PARange, TGRAN_2 and LPA2 only). A
# 52-bit 4K/16K kernel is built with LPA2 and uses it; a 48-bit one has none.
run limits --mmfr0 $CPU_MAX --granule 4k --kernel-pa-bits 52 --json && {
	is_rc 0; is_j '[.ipa_limit, .ps_bits, .lpa2, .kernel_pa_bits] | map(tostring) | join(" ")' "52 52 true 52"; }
run limits --mmfr0 $CPU_MAX --granule 16k --kernel-pa-bits 48 --json && {
	is_rc 0; is_j '[.ipa_limit, .ps_bits, .lpa2] | map(tostring) | join(" ")' "48 48 false"; }
run limits --mmfr0 $CPU_MAX --granule 64k --kernel-pa-bits 48 --json && {
	is_rc 0; is_j '[.ipa_limit, .ps_bits, .lpa] | map(tostring) | join(" ")' "52 48 true"; }
run limits --mmfr0 $CPU_MAX --granule 64k --kernel-pa-bits 48 && {
	has_out "52 bits (KVM_CAP_ARM_VM_IPA_SIZE)"; has_out "VTCR.PS        48 bits"; }
lib_err limits --mmfr0 $CPU_MAX --granule 4k --lpa2 --kernel-pa-bits 48 -- EINVAL ARM64_PA_BITS_52
run limits --mmfr0 $CPU_MAX --json && is_j .vmid_bits 8
run limits --mmfr0 $CPU_MAX --lpa2 && { is_rc 0; has_out "52 bits (KVM_CAP_ARM_VM_IPA_SIZE)"; }

# Cortex-A57, ID_AA64MMFR0_EL1 = 0x1124: PARange 4 (44 bits); TGran16 = 0
# (no 16K), TGran4/TGran64 = 0 (supported); TGranX_2 = 0: as stage 1.
run limits --mmfr0 0x1124 --json && {
	is_rc 0; is_j '[.pa_bits, .ipa_limit] | map(tostring) | join(" ")' "44 44"
	is_j '[.granules[] | "\(.stage2)/\(.["52bit"])"] | join(" ")' "true/false false/false true/false"
}
run limits --mmfr0 0x1124 --granule 64k --json && is_j .ipa_limit 44
lib_err limits --mmfr0 0x1124 --granule 16k -- ENOTSUP 16K
run limits --mmfr0 0x1124 --granule 16k --json && { is_rc 1; is_j .error ENOTSUP; }
# Cortex-A76 (40 bits) and Neoverse-N1 (48 bits).
run limits --mmfr0 0x2 --json && is_j .ipa_limit 40
run limits --mmfr0 0x5 --json && is_j .ipa_limit 48
# TGran4_2 = 1: 4K not at stage 2 although stage 1 has it.
lib_err limits --mmfr0 0x10000000005 --granule 4k -- ENOTSUP
run limits --mmfr0 0x10000000005 --granule 64k --json && is_j .ipa_limit 48
# No granule at stage 2 at all.
lib_err limits --mmfr0 0x11100000005 -- EINVAL "no granule"

# Model CPUs: the limit is the PA size, capped at 48 without LPA/LPA2.
for pa in 32 36 40 42 44 48; do
	run limits --pa-bits $pa --json && is_j '[.pa_bits, .ipa_limit, .ps_bits] | map(tostring) | join(" ")' "$pa $pa $pa"
done
run limits --pa-bits 52 --json && is_j .ipa_limit 48
run limits --pa-bits 52 --lpa2 --json && is_j .ipa_limit 52
run limits --pa-bits 52 --granule 64k --json && is_j .ipa_limit 52
run limits --pa-bits 52 --lpa2 --kernel-pa-bits 52 --json && is_j '[.ipa_limit, .ps_bits] | map(tostring) | join(" ")' "52 52"
run limits --pa-bits 40 --kernel-pa-bits 48 --json && is_j '[.ipa_limit, .ps_bits] | map(tostring) | join(" ")' "40 40"
run limits --pa-bits 44 --kernel-pa-bits 52 --json && is_j '[.ipa_limit, .ps_bits, .lpa2] | map(tostring) | join(" ")' "44 44 false"
for k in 32 44 47 49 50 51 53 64 0 0x30x ' 48' -48; do
	usage_err limits --pa-bits 52 --kernel-pa-bits "$k" -- "'$k'" "48 or 52"
done
run limits --pa-bits 48 --policy capped --host-va-bits 39 --json && {
	is_j .policy capped; is_j .host_va_bits 39; is_j .ipa_limit 43; }
# LPA2 asked for on a CPU without it (a model CPU has LPA2 only at 52
# bits): ENOTSUP, naming the limit that applies instead.
lib_err limits --pa-bits 48 --lpa2 -- ENOTSUP LPA2 48
lib_err limits --mmfr0 0x1124 --lpa2 -- ENOTSUP 44
# 64K needs no LPA2 for 52 bits.
run limits --pa-bits 52 --granule 64k --lpa2 --json && { is_rc 0; is_j '[.ipa_limit, .lpa2, .lpa] | map(tostring) | join(" ")' "52 false true"; }
