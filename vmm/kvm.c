/* SPDX-License-Identifier: MIT */
/* KVM ioctls (Documentation/virt/kvm/api.rst). */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <s2/host.h>
#include <s2/vmtype.h>

#include "kvm.h"
#include "log.h"

/* Report a failed call by name with errno's text; evaluates to -errno
   as it was before the report. */
#define FAILED(fmt, ...) ({ int e_ = errno; pr_err(fmt ": %s", ##__VA_ARGS__, strerror(e_)); -e_; })

int vmm_kvm_open(struct vmm_kvm *k)
{
	int cap, rc;

	memset(k, 0, sizeof(*k));
	k->vm_fd = -1;
	k->sys_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (k->sys_fd < 0)
		return FAILED("cannot open /dev/kvm");
	k->api_version = ioctl(k->sys_fd, KVM_GET_API_VERSION, 0);
	if (k->api_version != KVM_API_VERSION) {
		rc = -EPROTO;
		if (k->api_version < 0)
			rc = FAILED("KVM_GET_API_VERSION on /dev/kvm");
		else
			pr_err("KVM_GET_API_VERSION on /dev/kvm: version %d; s2vmm speaks %d",
			       k->api_version, KVM_API_VERSION);
		goto fail;
	}
	cap = ioctl(k->sys_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_VM_IPA_SIZE);
	if (cap < 0) {
		rc = FAILED("KVM_CHECK_EXTENSION(KVM_CAP_ARM_VM_IPA_SIZE) on /dev/kvm");
		goto fail;
	}
	k->has_ipa_cap = cap > 0;
	k->ipa_limit = cap > 0 ? (unsigned)cap : S2_IPA_DEFAULT;
	k->run_size = ioctl(k->sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (k->run_size <= 0) {
		rc = -EPROTO;
		if (k->run_size < 0)
			rc = FAILED("KVM_GET_VCPU_MMAP_SIZE on /dev/kvm");
		else
			pr_err("KVM_GET_VCPU_MMAP_SIZE on /dev/kvm: returned 0");
		goto fail;
	}
	return 0;
fail:
	close(k->sys_fd);
	k->sys_fd = -1;
	return rc;
}

int vmm_kvm_probe_type(struct vmm_kvm *k, unsigned long type)
{
	int fd;

	do
		fd = ioctl(k->sys_fd, KVM_CREATE_VM, type);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

int vmm_kvm_cap(struct vmm_kvm *k, long cap)
{
	int r = ioctl(k->sys_fd, KVM_CHECK_EXTENSION, cap);

	return r > 0 ? r : 0;
}

bool vmm_kvm_has_device(struct vmm_kvm *k, uint32_t type)
{
	struct kvm_create_device cd = { .type = type, .flags = KVM_CREATE_DEVICE_TEST };
	unsigned long vm_type = k->has_ipa_cap ? S2_VM_TYPE_IPA(S2_IPA_MIN) : 0;
	bool ok;
	int fd;

	do
		fd = ioctl(k->sys_fd, KVM_CREATE_VM, vm_type);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return false;
	ok = ioctl(fd, KVM_CREATE_DEVICE, &cd) == 0;
	close(fd);
	return ok;
}

int vmm_kvm_create_vm(struct vmm_kvm *k, unsigned ipa_bits)
{
	unsigned long type = k->has_ipa_cap ? S2_VM_TYPE_IPA(ipa_bits) : 0;

	if (!k->has_ipa_cap)
		pr_warn("KVM has no KVM_CAP_ARM_VM_IPA_SIZE: creating VM type 0, a %u-bit IPA",
			S2_IPA_DEFAULT);
	/* KVM_CREATE_VM can fail with EINTR while a signal is pending. */
	do
		k->vm_fd = ioctl(k->sys_fd, KVM_CREATE_VM, type);
	while (k->vm_fd < 0 && errno == EINTR);
	if (k->vm_fd < 0)
		return -errno;
	k->vm_ipa_bits = k->has_ipa_cap ? ipa_bits : S2_IPA_DEFAULT;
	return 0;
}

int vmm_kvm_set_ram(struct vmm_kvm *k, unsigned slot, uint64_t gpa, uint64_t size, void *host)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)host,
	};

	return ioctl(k->vm_fd, KVM_SET_USER_MEMORY_REGION, &r) ? -errno : 0;
}

int vmm_vcpu_create(struct vmm_kvm *k, unsigned id, struct vmm_vcpu *v)
{
	memset(v, 0, sizeof(*v));
	v->id = id;
	v->fd = ioctl(k->vm_fd, KVM_CREATE_VCPU, id);
	if (v->fd < 0)
		return FAILED("KVM_CREATE_VCPU %u", id);
	v->run = mmap(NULL, (size_t)k->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED) {
		v->run = NULL;
		return FAILED("mapping the kvm_run area of vCPU %u (%d bytes)", id, k->run_size);
	}
	return 0;
}

int vmm_vcpu_init(struct vmm_kvm *k, struct vmm_vcpu *v, bool power_off, uint32_t features)
{
	struct kvm_vcpu_init init;

	memset(&init, 0, sizeof(init));
	if (ioctl(k->vm_fd, KVM_ARM_PREFERRED_TARGET, &init))
		return FAILED("KVM_ARM_PREFERRED_TARGET");
	init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2 | features;
	if (power_off)
		init.features[0] |= 1u << KVM_ARM_VCPU_POWER_OFF;
	if (ioctl(v->fd, KVM_ARM_VCPU_INIT, &init))
		return FAILED("KVM_ARM_VCPU_INIT on vCPU %u (target %u, features %#x)", v->id,
			      init.target, init.features[0]);
	return 0;
}

static uint64_t core_id(uint64_t offset)
{
	return KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | (offset / sizeof(uint32_t));
}

int vmm_vcpu_set_core(struct vmm_vcpu *v, uint64_t offset, uint64_t val)
{
	struct kvm_one_reg r = { .id = core_id(offset), .addr = (uint64_t)(uintptr_t)&val };

	return ioctl(v->fd, KVM_SET_ONE_REG, &r) ? -errno : 0;
}

int vmm_vcpu_get_core(struct vmm_vcpu *v, uint64_t offset, uint64_t *val)
{
	struct kvm_one_reg r = { .id = core_id(offset), .addr = (uint64_t)(uintptr_t)val };

	return ioctl(v->fd, KVM_GET_ONE_REG, &r) ? -errno : 0;
}

void vmm_kvm_close(struct vmm_kvm *k)
{
	if (k->vm_fd >= 0)
		close(k->vm_fd);
	if (k->sys_fd >= 0)
		close(k->sys_fd);
	k->vm_fd = k->sys_fd = -1;
}
