/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "log.h"
#include "vm.h"

int vmm_vm_setup_ram(struct vmm_vm *vm)
{
	char sz[32];

	for (unsigned i = 0; i < vm->layout.nr_ram; i++) {
		const struct vmm_region *r = &vm->layout.ram[i];
		struct vmm_ram *m = &vm->ram[i];
		int rc;

		/* NORESERVE: the guest touches only what it uses, and a
		   large sparse bank must not need that much host memory. */
		m->host = mmap(NULL, r->size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (m->host == MAP_FAILED) {
			rc = -errno;
			pr_err("cannot allocate %s for RAM bank %u: %s",
			       vmm_fmt_size(r->size, sz, sizeof(sz)), i, strerror(errno));
			return rc;
		}
		m->gpa = r->base;
		m->size = r->size;
		vm->nr_ram = i + 1;
		rc = vmm_kvm_set_ram(&vm->kvm, i, r->base, r->size, m->host);
		if (rc) {
			pr_err("KVM_SET_USER_MEMORY_REGION for RAM bank %u (%s at %#" PRIx64
			       ") in a %u-bit IPA space: %s", i, vmm_fmt_size(r->size, sz, sizeof(sz)),
			       r->base, vm->kvm.vm_ipa_bits, strerror(-rc));
			return rc;
		}
	}
	return 0;
}

int vmm_irq_set(struct vmm_vm *vm, unsigned spi, int level)
{
	struct kvm_irq_level irq = {
		.irq = (KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT) | (32 + spi),
		.level = level,
	};

	static atomic_bool reported;
	int e;

	if (!ioctl(vm->kvm.vm_fd, KVM_IRQ_LINE, &irq))
		return 0;
	e = errno;
	/* Named once: a device raising its line on every access must not
	   turn one failure into a flood. */
	if (!atomic_exchange(&reported, true))
		pr_err("KVM_IRQ_LINE (SPI %u, level %d): %s", spi, level, strerror(e));
	return -e;
}

void vmm_request_stop(struct vmm_vm *vm, int code)
{
	bool was = false;

	if (!atomic_compare_exchange_strong(&vm->stopping, &was, true))
		return;
	atomic_store(&vm->exit_code, code);
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct vmm_vcpu *v = &vm->vcpu[i];

		/* immediate_exit closes the race with a thread about to
		   enter KVM_RUN; the signal kicks one already inside. */
		if (v->run)
			v->run->immediate_exit = 1;
		if (v->started && !pthread_equal(v->thread, pthread_self()))
			pthread_kill(v->thread, SIGUSR1);
	}
}

int vmm_msi_send(struct vmm_vm *vm, uint64_t addr, uint32_t data, uint32_t devid)
{
	struct kvm_msi msi = {
		.address_lo = (uint32_t)addr, .address_hi = (uint32_t)(addr >> 32),
		.data = data, .flags = KVM_MSI_VALID_DEVID, .devid = devid,
	};
	int rc = ioctl(vm->kvm.vm_fd, KVM_SIGNAL_MSI, &msi);

	return rc < 0 ? -errno : rc;
}
