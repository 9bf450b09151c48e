/* SPDX-License-Identifier: MIT */
/*
 * kvmtool's arm64 vCPU setup (kvm_cpu__select_features and
 * vcpu_configure_sve): pointer authentication needs both the address and
 * the generic capability; SVE's vector lengths are set through the
 * KVM_REG_ARM64_SVE_VLS pseudo-register before KVM_ARM_VCPU_FINALIZE
 * (Documentation/virt/kvm/api.rst, "KVM_ARM_VCPU_FINALIZE"); MTE is a VM
 * capability that must be enabled before the first vCPU exists.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "log.h"
#include "vcpu_features.h"

int vmm_features_resolve(struct vmm_kvm *k, const struct vmm_config *c,
			 struct vmm_features *f, char *err, size_t errlen)
{
	memset(f, 0, sizeof(*f));
	f->sve = vmm_kvm_cap(k, KVM_CAP_ARM_SVE) > 0;
	f->ptrauth = vmm_kvm_cap(k, KVM_CAP_ARM_PTRAUTH_ADDRESS) > 0 &&
		     vmm_kvm_cap(k, KVM_CAP_ARM_PTRAUTH_GENERIC) > 0;
	f->mte = !c->disable_mte && vmm_kvm_cap(k, KVM_CAP_ARM_MTE) > 0;
	f->pvtime = !c->no_pvtime && vmm_kvm_cap(k, KVM_CAP_STEAL_TIME) > 0;
	if (c->pmu && vmm_kvm_cap(k, KVM_CAP_ARM_PMU_V3) <= 0) {
		snprintf(err, errlen, "--pmu: this KVM offers no PMUv3 to guests (no KVM_CAP_ARM_PMU_V3)");
		return -1;
	}
	f->pmu = c->pmu;
	if (c->sve_max_vl && !f->sve) {
		snprintf(err, errlen, "--sve-max-vl %u: this KVM offers no SVE to guests (no KVM_CAP_ARM_SVE)",
			 c->sve_max_vl);
		return -1;
	}
	f->sve_max_vl = c->sve_max_vl;
	return 0;
}

uint32_t vmm_features_init_bits(const struct vmm_features *f)
{
	uint32_t b = 0;

	if (f->pmu)
		b |= 1u << KVM_ARM_VCPU_PMU_V3;
	if (f->sve)
		b |= 1u << KVM_ARM_VCPU_SVE;
	if (f->ptrauth)
		b |= 1u << KVM_ARM_VCPU_PTRAUTH_ADDRESS | 1u << KVM_ARM_VCPU_PTRAUTH_GENERIC;
	return b;
}

const char *vmm_features_describe(const struct vmm_features *f, char *buf, size_t len)
{
	char vl[40] = "";

	if (f->sve && f->sve_max_vl)
		snprintf(vl, sizeof(vl), " (vector length up to %u bits)", f->sve_max_vl);
	snprintf(buf, len, "vCPU features: SVE %s%s, pointer authentication %s, MTE %s, PMUv3 %s, stolen time %s",
		 f->sve ? "on" : "off", vl, f->ptrauth ? "on" : "off", f->mte ? "on" : "off",
		 f->pmu ? "on" : "off", f->pvtime ? "on" : "off");
	return buf;
}

int vmm_features_enable_vm(struct vmm_kvm *k, const struct vmm_features *f)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_MTE };

	if (f->mte && ioctl(k->vm_fd, KVM_ENABLE_CAP, &cap)) {
		int rc = -errno;

		pr_err("KVM_ENABLE_CAP(KVM_CAP_ARM_MTE): %s", strerror(errno));
		return rc;
	}
	return 0;
}

/* KVM_REG_ARM64_SVE_VLS: bit (vq - 1) of a 512-bit set says whether the
   vector length vq * 128 bits is offered. */
static bool vq_set(const uint64_t *vls, unsigned vq)
{
	return vls[(vq - KVM_ARM64_SVE_VQ_MIN) / 64] >> ((vq - KVM_ARM64_SVE_VQ_MIN) % 64) & 1;
}

static int limit_sve(struct vmm_vcpu *v, unsigned max_vl)
{
	uint64_t vls[KVM_ARM64_SVE_VLS_WORDS];
	struct kvm_one_reg reg = { .id = KVM_REG_ARM64_SVE_VLS, .addr = (uint64_t)(uintptr_t)vls };
	unsigned max_vq = max_vl / 128;
	char have[256];
	size_t n = 0;

	if (ioctl(v->fd, KVM_GET_ONE_REG, &reg)) {
		int rc = -errno;

		pr_err("reading the SVE vector lengths (KVM_REG_ARM64_SVE_VLS): %s", strerror(errno));
		return rc;
	}
	if (!vq_set(vls, max_vq)) {
		have[0] = 0;
		for (unsigned vq = KVM_ARM64_SVE_VQ_MIN; vq <= KVM_ARM64_SVE_VQ_MAX; vq++)
			if (vq_set(vls, vq) && n < sizeof(have))
				n += (size_t)snprintf(have + n, sizeof(have) - n, "%s%u", n ? ", " : "",
						      vq * 128);
		pr_err("--sve-max-vl %u: this KVM offers SVE vector lengths of %s bits", max_vl, have);
		return -EINVAL;
	}
	for (unsigned vq = max_vq + 1; vq <= KVM_ARM64_SVE_VQ_MAX; vq++)
		vls[(vq - KVM_ARM64_SVE_VQ_MIN) / 64] &= ~(1ULL << ((vq - KVM_ARM64_SVE_VQ_MIN) % 64));
	if (ioctl(v->fd, KVM_SET_ONE_REG, &reg)) {
		int rc = -errno;

		pr_err("setting the SVE vector lengths (KVM_REG_ARM64_SVE_VLS): %s", strerror(errno));
		return rc;
	}
	return 0;
}

int vmm_features_finalize_vcpu(struct vmm_vcpu *v, const struct vmm_features *f)
{
	int what = KVM_ARM_VCPU_SVE, rc;

	if (!f->sve)
		return 0;
	if (f->sve_max_vl) {
		rc = limit_sve(v, f->sve_max_vl);
		if (rc)
			return rc;
	}
	if (ioctl(v->fd, KVM_ARM_VCPU_FINALIZE, &what)) {
		rc = -errno;
		pr_err("KVM_ARM_VCPU_FINALIZE(SVE) on vCPU %u: %s", v->id, strerror(errno));
		return rc;
	}
	return 0;
}
