/* SPDX-License-Identifier: MIT */
/*
 * Order matters: everything that can be refused for bad input was
 * checked by the plan before /dev/kvm was opened, and what depends on
 * this host's KVM (its IPA limit, vCPU count, ITS, features) is checked
 * before KVM_CREATE_VM, so a refusal leaves nothing behind; then the GIC
 * is created before the vCPUs and initialised after them, as KVM
 * requires.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>
#include <libfdt.h>

#include "devtree.h"
#include "device.h"
#include "loader.h"
#include "log.h"
#include "machine.h"
#include "pci_host.h"
#include "run.h"
#include "virtio.h"

static struct vmm_vm vm0;

/*
 * The kernel's page size and endianness (its Image header) against what
 * KVM shows the guest (vCPU 0's ID_AA64MMFR0_EL1, readable once the
 * vCPU is initialised): a kernel the CPU cannot run stops in its first
 * instructions without a word, so it is refused here. Return: 0, or -2
 * for such a kernel (bad input).
 */
static int check_kernel_cpu(struct vmm_vcpu *v, const struct vmm_boot *b, const char *kernel)
{
	uint64_t mmfr0;
	struct kvm_one_reg r = { .id = ARM64_SYS_REG(3, 0, 0, 7, 0),
				 .addr = (uint64_t)(uintptr_t)&mmfr0 };
	char err[400];

	if (!b->linux_image || !(b->flags & 7))
		return 0;
	if (ioctl(v->fd, KVM_GET_ONE_REG, &r)) {
		pr_warn("vCPU 0's ID_AA64MMFR0_EL1 is unreadable (%s): the kernel's page size and endianness are not checked",
			strerror(errno));
		return 0;
	}
	if (vmm_boot_check_cpu(b, mmfr0, err, sizeof(err))) {
		pr_err("kernel '%s': %s", kernel, err);
		return -2;
	}
	return 0;
}

/* Copy kernel, initrd and DTB into guest RAM. */
static int load_images(struct vmm_vm *vm, const struct vmm_boot *b, const void *dtb,
		       size_t dtb_size)
{
	void *k = vmm_gpa(vm, b->kernel_addr, b->kernel.size);
	void *d = vmm_gpa(vm, b->dtb, dtb_size);
	void *i = b->initrd.size ? vmm_gpa(vm, b->initrd_start, b->initrd.size) : NULL;

	if (!k || !d || (b->initrd.size && !i)) {
		pr_err("boot images fall outside guest RAM (kernel %#" PRIx64 ", DTB %#" PRIx64 ")",
		       b->kernel_addr, b->dtb);
		return -1;
	}
	memcpy(k, b->kernel.data, b->kernel.size);
	memcpy(d, dtb, dtb_size);
	if (i)
		memcpy(i, b->initrd.data, b->initrd.size);
	return 0;
}

enum stage { BEFORE_VCPUS, VCPU, AFTER_VCPUS };

/* One setup stage of every platform device, in their order (device.h). */
static int platform_stage(struct vmm_vm *vm, enum stage s, struct vmm_vcpu *v)
{
	unsigned n;
	const struct vmm_device *const *p = vmm_platform_devices(&n);

	for (unsigned i = 0; i < n; i++) {
		int rc = 0;

		if (s == BEFORE_VCPUS && p[i]->vm_setup)
			rc = p[i]->vm_setup(vm);
		else if (s == VCPU && p[i]->vcpu_setup)
			rc = p[i]->vcpu_setup(vm, v);
		else if (s == AFTER_VCPUS && p[i]->late_setup)
			rc = p[i]->late_setup(vm);
		if (rc)
			return -1;
	}
	return 0;
}

static int build_vm(struct vmm_vm *vm, const struct vmm_config *c, const struct vmm_boot *b,
		    const void *fdt)
{
	int rc;

	rc = vmm_kvm_create_vm(&vm->kvm, vm->layout.ipa_bits);
	if (rc) {
		pr_err("KVM_CREATE_VM with a %u-bit IPA (type %#x): %s", vm->layout.ipa_bits,
		       vm->layout.ipa_bits, strerror(-rc));
		return -1;
	}
	pr_info("VM created: %u-bit IPA (KVM_CREATE_VM type %#x), %u vCPU%s",
		vm->kvm.vm_ipa_bits, vm->kvm.has_ipa_cap ? vm->layout.ipa_bits : 0,
		c->cpus, c->cpus == 1 ? "" : "s");
	if (vmm_features_enable_vm(&vm->kvm, &vm->feat) || vmm_vm_setup_ram(vm))
		return -1;
	/* Stolen time's memory slot, the GIC created. */
	if (platform_stage(vm, BEFORE_VCPUS, NULL))
		return -1;
	for (unsigned i = 0; i < c->cpus; i++) {
		struct vmm_vcpu *v = &vm->vcpu[i];

		rc = vmm_vcpu_create(&vm->kvm, i, v);
		if (!rc)
			rc = vmm_vcpu_init(&vm->kvm, v, i != 0, vmm_features_init_bits(&vm->feat));
		if (rc)
			return -1;     /* kvm.c named the ioctl */
		v->owner = vm;
		vm->nr_vcpus = i + 1;
		if (vmm_features_finalize_vcpu(v, &vm->feat))
			return -1;
		if (!i && (rc = check_kernel_cpu(v, b, c->kernel)))
			return rc;
		if (platform_stage(vm, VCPU, v))
			return -1;
	}
	/* The GIC initialised, then the PMU (KVM_ARM_VCPU_PMU_V3_INIT
	   needs an initialised vGIC). */
	if (platform_stage(vm, AFTER_VCPUS, NULL))
		return -1;
	if (vm->layout.has_pci && vmm_pci_host_setup(vm))
		return -1;
	for (unsigned i = 0; i < vm->layout.nr_dev; i++)
		if (vm->layout.dev[i].dev->setup(vm, &vm->layout.dev[i]))
			return -1;
	if (load_images(vm, b, fdt, fdt_totalsize(fdt)))
		return -1;
	/* The boot protocol: x0 = DTB, x1..x3 = 0, EL1h with DAIF masked. */
	rc = vmm_vcpu_set_core(&vm->vcpu[0], offsetof(struct kvm_regs, regs.pc), b->entry);
	if (!rc)
		rc = vmm_vcpu_set_core(&vm->vcpu[0], offsetof(struct kvm_regs, regs.regs[0]), b->dtb);
	if (!rc)
		rc = vmm_vcpu_set_core(&vm->vcpu[0], offsetof(struct kvm_regs, regs.pstate), 0x3c5);
	if (rc) {
		pr_err("KVM_SET_ONE_REG (the boot registers of vCPU 0): %s", strerror(-rc));
		return -1;
	}
	return 0;
}

/*
 * kvmtool's defaults that depend on the host: as many vCPUs as online
 * CPUs (kvmtool limits that to KVM's maximum with a warning; an explicit
 * -c above it is refused), gicv3-its when KVM can create an ITS.
 *
 * The default keeps the ITS when RAM reaches above 2^48 too. GITS_BASER
 * holds PA[51:48] only in its 64K-page form, and Linux's
 * its_setup_baser() converts a table address to that form only when
 * built with 64K pages: a 4K- or 16K-page kernel writes the raw address,
 * whose bits [51:48] land in the Entry_Size field. Where a bank lies below
 * 2^48 the device tree makes it the ITS's NUMA node and Linux allocates
 * the tables node-locally, so they stay where the 4K form reaches (a
 * 6.12 guest in the split layout of a 52-bit space gets its MSIs). Where
 * no bank does, a 64K-page guest still uses the ITS, and a 4K-page one's
 * its_setup_baser() reads back an Entry_Size it did not write, reports
 * that the table "doesn't stick" and gives up the ITS on its own (its
 * devices fall back to INTx), or, for a table between 2^48 and 2^51
 * whose stray bits happen to match, sticks at the wrong address: the GIC
 * setup warns in that case, naming the first address that crosses 2^48.
 * Dropping the ITS there would help no 4K-page Linux guest, whose image
 * must lie below 2^48 to boot at all, and would take it from 64K-page
 * guests.
 */
static int resolve_host_defaults(struct vmm_kvm *k, struct vmm_config *c)
{
	int kvm_max = vmm_kvm_cap(k, KVM_CAP_MAX_VCPUS);
	unsigned max = VMM_MAX_CPUS;
	bool has_its = vmm_kvm_has_device(k, KVM_DEV_TYPE_ARM_VGIC_ITS);

	if (kvm_max > 0 && (unsigned)kvm_max < max)
		max = (unsigned)kvm_max;
	if (!c->cpus) {
		long online = sysconf(_SC_NPROCESSORS_ONLN);

		c->cpus = online > 0 ? (unsigned)online : 1;
		if (c->cpus > max) {
			pr_warn("%u host CPUs online; limiting the vCPUs to %u", c->cpus, max);
			c->cpus = max;
		}
	} else if (c->cpus > max) {
		pr_err("-c %u: this KVM allows at most %u vCPUs (KVM_CAP_MAX_VCPUS)", c->cpus, max);
		return -1;
	}
	if (c->irqchip == VMM_IRQCHIP_AUTO)
		c->irqchip = has_its ? VMM_IRQCHIP_GICV3_ITS : VMM_IRQCHIP_GICV3;
	else if (c->irqchip == VMM_IRQCHIP_GICV3_ITS && !has_its) {
		pr_err("--irqchip gicv3-its: this KVM cannot create an ITS (KVM_DEV_TYPE_ARM_VGIC_ITS); use --irqchip gicv3");
		return -1;
	}
	return 0;
}

int vmm_machine_run(const struct vmm_config *config, struct vmm_plan *p)
{
	struct vmm_config cfg = *config, *c = &cfg;
	struct vmm_vm *vm = &vm0;
	const struct vmm_boot *boot = &p->boot;
	char err[512];
	int rc;

	vmm_loglevel = c->loglevel;
	if (vmm_kvm_open(&vm->kvm))
		return 1;          /* the failing call is named */
	rc = 2;
	if (resolve_host_defaults(&vm->kvm, c))
		goto out;
	if (vmm_features_resolve(&vm->kvm, c, &vm->feat, err, sizeof(err))) {
		pr_err("%s", err);
		goto out;
	}
	if (!vm->feat.pvtime)
		c->no_pvtime = true;
	vm->affinity = c->has_affinity ? &c->affinity : NULL;
	p->pmu = vm->feat.pmu;
	rc = vmm_plan_layout(c, vm->kvm.ipa_limit, vm->kvm.has_ipa_cap, p);
	if (!rc)
		rc = vmm_plan_output(c, p);
	if (rc || !c->kernel)
		goto out;
	vm->layout = p->layout;
	vmm_unhandled_init(&vm->unhandled, c->debug_mmio);
	pr_info("kernel %s (%s) at %#" PRIx64 ", DTB at %#" PRIx64 "%s", c->kernel,
		boot->linux_image ? "arm64 Image" : "raw binary", boot->kernel_addr, boot->dtb,
		boot->initrd.size ? ", initrd below it" : "");
	pr_info("%s", vmm_features_describe(&vm->feat, err, sizeof(err)));
	rc = build_vm(vm, c, boot, p->fdt);
	if (rc)
		return rc == -2 ? 2 : 1;   /* -2: a kernel this vCPU cannot run */
	rc = vmm_run_vcpus(vm);
out:
	vmm_kvm_close(&vm->kvm);
	return rc;
}
