# Hardening audit: hostile values at the edges of each subcommand's rules,
# checked against the Arm architecture and Linux 6.12's KVM.

# A reserved TGranX_2 (8..15) leaves that granule unusable: Linux's
# kvm_set_ipa_limit() refuses to start KVM; the message names the field.
run limits --mmfr0 0x80000000006 --json && {
	is_rc 1; is_j .error ENOTSUP; is_j '.message | test("TGran4_2=8 is reserved")' true; }
run limits --mmfr0 0x70000000006 --json && { is_rc 0; is_j .ipa_limit 48; }
# A reserved PARange on a 64K host: the kernel's PA size is the limit
# (id_aa64mmfr0_parange_to_phys_shift() returns CONFIG_ARM64_PA_BITS).
run limits --mmfr0 0x7 --granule 64k --kernel-pa-bits 48 --json && {
	is_rc 0; is_jm .ipa_limit 48 .ps_bits 48; }
run limits --mmfr0 0xf --granule 64k --kernel-pa-bits 52 --json && {
	is_rc 0; is_jm .ipa_limit 52 .ps_bits 52; }
lib_err vm-type 52 --mmfr0 0x7 --granule 64k --kernel-pa-bits 48 -- "52 bits" "32..48"
