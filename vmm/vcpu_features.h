/* SPDX-License-Identifier: MIT */
/*
 * The vCPU features kvmtool gives an arm64 guest: SVE, pointer
 * authentication and MTE whenever KVM offers them, PMUv3 on request,
 * stolen time unless refused.
 */
#ifndef VMM_VCPU_FEATURES_H
#define VMM_VCPU_FEATURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kvm.h"
#include "opts.h"

struct vmm_features {
	bool pmu, sve, ptrauth, mte, pvtime;
	unsigned sve_max_vl;     /* bits; 0: KVM's largest */
};

/*
 * vmm_features_resolve() - what this KVM offers and the options ask for.
 * @k: the open /dev/kvm
 * @c: the options
 * @f: the result
 * Return: 0, or -1 with a message in @err when an option asks for a
 * feature KVM lacks (it names the option and the missing capability).
 */
int vmm_features_resolve(struct vmm_kvm *k, const struct vmm_config *c,
			 struct vmm_features *f, char *err, size_t errlen);

/* The KVM_ARM_VCPU_INIT feature bits for @f. */
uint32_t vmm_features_init_bits(const struct vmm_features *f);

/* One line naming what is on and off, for the log. */
const char *vmm_features_describe(const struct vmm_features *f, char *buf, size_t len);

/*
 * vmm_features_enable_vm() - VM-wide capabilities (KVM_CAP_ARM_MTE),
 * after KVM_CREATE_VM and before any vCPU exists, as KVM requires.
 * Return: 0 or -errno (printed).
 */
int vmm_features_enable_vm(struct vmm_kvm *k, const struct vmm_features *f);

/*
 * vmm_features_finalize_vcpu() - after KVM_ARM_VCPU_INIT: limit the SVE
 * vector lengths to @f->sve_max_vl and KVM_ARM_VCPU_FINALIZE.
 * Return: 0; -EINVAL (printed) when KVM does not offer that length, the
 * message listing the lengths it does; other -errno from KVM.
 */
int vmm_features_finalize_vcpu(struct vmm_vcpu *v, const struct vmm_features *f);

#endif
