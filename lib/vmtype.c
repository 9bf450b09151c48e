/* SPDX-License-Identifier: MIT */
/* KVM_CREATE_VM type to IPA size (Linux kvm_arm_setup_stage2()). */
#include <s2/host.h>
#include <s2/vmtype.h>

int s2_vm_type_ipa_bits(uint64_t type, unsigned ipa_limit, struct s2_diag *d)
{
	uint64_t ipa;

	if (ipa_limit < S2_IPA_MIN || ipa_limit > 52)
		return s2_diag_set(d, S2_EINVAL,
				   "host IPA limit %u bits is outside %u..52, the limits KVM_CAP_ARM_VM_IPA_SIZE can report",
				   ipa_limit, S2_IPA_MIN);
	if (type & ~S2_VM_TYPE_IPA_MASK)
		return s2_diag_set(d, S2_EINVAL,
				   "VM type %#llx has bits outside [7:0] set (%#llx); only the IPA size may be given: 0 (40 bits) or %u..%u",
				   (unsigned long long)type,
				   (unsigned long long)(type & ~S2_VM_TYPE_IPA_MASK),
				   S2_IPA_MIN, ipa_limit);
	ipa = type & S2_VM_TYPE_IPA_MASK;
	if (ipa == 0) {
		if (ipa_limit < S2_IPA_DEFAULT)
			return s2_diag_set(d, S2_EINVAL,
					   "VM type 0 means a 40-bit IPA, but this host allows at most %u bits; ask for %u..%u",
					   ipa_limit, S2_IPA_MIN, ipa_limit);
		return S2_IPA_DEFAULT;
	}
	if (ipa < S2_IPA_MIN || ipa > ipa_limit)
		return s2_diag_set(d, S2_EINVAL,
				   "IPA size %llu bits (VM type %#llx) is outside %u..%u, the sizes this host allows",
				   (unsigned long long)ipa, (unsigned long long)type,
				   S2_IPA_MIN, ipa_limit);
	return (int)ipa;
}
