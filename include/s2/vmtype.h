/* SPDX-License-Identifier: MIT */
/*
 * KVM_CREATE_VM machine type to IPA size, with Linux KVM's semantics
 * (Documentation/virt/kvm/api.rst, KVM_VM_TYPE_ARM_IPA_SIZE).
 */
#ifndef S2_VMTYPE_H
#define S2_VMTYPE_H

#include <s2/err.h>
#include <s2/types.h>

#define S2_VM_TYPE_IPA_MASK 0xffULL
/* The KVM_VM_TYPE_ARM_IPA_SIZE(n) encoding. */
#define S2_VM_TYPE_IPA(n)   ((uint64_t)(n) & S2_VM_TYPE_IPA_MASK)

/**
 * s2_vm_type_ipa_bits() - IPA size requested by a VM type.
 * @type:      the KVM_CREATE_VM argument.
 * @ipa_limit: the host limit (s2_host.ipa_limit).
 * @d:         message on error (names the value, the limit, what fits).
 *
 * Bits [7:0] are the IPA size; 0 means 40. Any other bit set is EINVAL.
 * 0 on a host whose limit is below 40 is EINVAL (the VMM must ask for a
 * size). Otherwise 32 <= N <= @ipa_limit, else EINVAL. An @ipa_limit
 * outside 32..52 is no host's (Linux's kvm_ipa_limit is a PARange size
 * of at most 52 bits) and is EINVAL whatever the type.
 *
 * Return: the IPA size in bits, or S2_EINVAL.
 */
int s2_vm_type_ipa_bits(uint64_t type, unsigned ipa_limit, struct s2_diag *d);

#endif
