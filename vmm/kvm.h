/* SPDX-License-Identifier: MIT */
/* Thin wrappers over the KVM ioctls: /dev/kvm, the VM, RAM slots, vCPUs. */
#ifndef VMM_KVM_H
#define VMM_KVM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <linux/kvm.h>

struct vmm_kvm {
	int sys_fd;
	int vm_fd;
	int api_version;
	bool has_ipa_cap;        /* KVM_CAP_ARM_VM_IPA_SIZE */
	unsigned ipa_limit;      /* its value, or 40 without it */
	unsigned vm_ipa_bits;    /* the VM's IPA size once created */
	int run_size;
};

struct vmm_vcpu {
	int fd;
	unsigned id;
	struct kvm_run *run;
	pthread_t thread;
	bool started;
	void *owner;              /* the struct vmm_vm */
};

/* Open /dev/kvm and read the API version and IPA limit. Return 0, or
   -errno with a message naming the open or the ioctl that failed. */
int vmm_kvm_open(struct vmm_kvm *k);
/* KVM_CREATE_VM with KVM_VM_TYPE_ARM_IPA_SIZE(ipa_bits), or type 0
   (40 bits) on a kernel without the capability. Return 0 or -errno. */
int vmm_kvm_create_vm(struct vmm_kvm *k, unsigned ipa_bits);
/* Try a VM type and destroy the VM at once: what `caps` reports. */
int vmm_kvm_probe_type(struct vmm_kvm *k, unsigned long type);
int vmm_kvm_set_ram(struct vmm_kvm *k, unsigned slot, uint64_t gpa, uint64_t size, void *host);
/* KVM_CREATE_VCPU and its kvm_run mapping. Return 0, or -errno with a
   message naming the call that failed. */
int vmm_vcpu_create(struct vmm_kvm *k, unsigned id, struct vmm_vcpu *v);
/* KVM_ARM_VCPU_INIT with the preferred target, PSCI 0.2 and the feature
   bits in @features (1 << KVM_ARM_VCPU_*); vCPUs other than the boot one
   start powered off until the guest's PSCI CPU_ON. Return 0, or -errno
   with a message naming the ioctl that failed. */
int vmm_vcpu_init(struct vmm_kvm *k, struct vmm_vcpu *v, bool power_off, uint32_t features);
/* KVM_CHECK_EXTENSION on /dev/kvm: the capability's value, 0 when absent. */
int vmm_kvm_cap(struct vmm_kvm *k, long cap);
/* Whether KVM can create a device of @type (KVM_CREATE_DEVICE_TEST on a
   scratch VM of the smallest IPA size, destroyed at once). */
bool vmm_kvm_has_device(struct vmm_kvm *k, uint32_t type);
int vmm_vcpu_set_core(struct vmm_vcpu *v, uint64_t offset, uint64_t val);
int vmm_vcpu_get_core(struct vmm_vcpu *v, uint64_t offset, uint64_t *val);
void vmm_kvm_close(struct vmm_kvm *k);

#endif
