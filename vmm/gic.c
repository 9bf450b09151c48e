/* SPDX-License-Identifier: MIT */
/*
 * KVM places the GIC frames wherever the VMM says, as long as they lie
 * inside the VM's IPA space; with the high and split layouts they sit
 * in its last GiB, above 2^51 for a 52-bit VM.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <s2/gic.h>

#include "gic.h"
#include "log.h"

static int set_attr(int fd, uint32_t group, uint64_t attr, void *val)
{
	struct kvm_device_attr a = {
		.group = group, .attr = attr, .addr = (uint64_t)(uintptr_t)val,
	};

	return ioctl(fd, KVM_SET_DEVICE_ATTR, &a) ? -errno : 0;
}

static int create_dev(struct vmm_vm *vm, uint32_t type, const char *name)
{
	struct kvm_create_device cd = { .type = type };

	if (ioctl(vm->kvm.vm_fd, KVM_CREATE_DEVICE, &cd)) {
		int rc = -errno;

		pr_err("KVM_CREATE_DEVICE %s: %s", name, strerror(errno));
		return rc;
	}
	return (int)cd.fd;
}

static int set_addr(int fd, uint64_t type, uint64_t addr, const char *what,
		    unsigned ipa_bits)
{
	int rc = set_attr(fd, KVM_DEV_ARM_VGIC_GRP_ADDR, type, &addr);

	if (rc)
		pr_err("KVM_SET_DEVICE_ATTR (KVM_DEV_ARM_VGIC_GRP_ADDR) placing the %s at %#" PRIx64
		       " in a %u-bit IPA space: %s", what, addr, ipa_bits, strerror(-rc));
	return rc;
}

/*
 * GITS_BASER holds PA[51:48] only in its 64K-page format; Linux converts
 * table addresses to that format only when built with 64K pages. Say so
 * when RAM reaches above 2^48 rather than let a 4K-page guest's ITS
 * tables go missing without a word. The ITS comes by default as with
 * --irqchip gicv3-its, so the warning names the irqchip, not the option.
 */
static uint64_t lowest_ram(const struct vmm_layout *l)
{
	uint64_t low = l->ram_end;

	for (unsigned i = 0; i < l->nr_ram; i++)
		if (l->ram[i].base < low)
			low = l->ram[i].base;
	return low;
}

static void warn_its_tables(struct vmm_vm *vm)
{
	uint64_t baser = (uint64_t)S2_GITS_BASER_PAGE_4K << S2_GITS_BASER_PAGE_SHIFT, out;
	struct s2_diag d;

	if (vmm_layout_its_numa(&vm->layout)) {
		pr_info("RAM reaches above 2^48: the banks below it are the ITS's NUMA node 0, those above node 1, so a guest's ITS tables stay where GITS_BASER's 4K-page form reaches");
		return;
	}
	if (!vmm_layout_its_tables_low(&vm->layout) &&
	    s2_gic_base_set_pa(S2_GITS_BASER, baser, s2_pa((vm->layout.ram_end - 1) & ~0xffffULL),
			       &out, &d) == S2_ERANGE)
		pr_warn("gicv3-its: no RAM bank lies below 2^48 (%#llx), where a 4K-page guest's ITS tables must be (RAM %#" PRIx64 "..%#" PRIx64 "): %s; Linux guests built with 4K pages write the 48-bit form, so ITS tables they place above 2^48 are not encoded correctly (--layout split keeps a boot bank below 2^48; --irqchip gicv3 leaves the ITS out)",
			VMM_SPLIT_HIGH_BASE, lowest_ram(&vm->layout), vm->layout.ram_end - 1, d.msg);
}

int vmm_gic_create(struct vmm_vm *vm)
{
	const struct vmm_layout *l = &vm->layout;
	unsigned bits = vm->kvm.vm_ipa_bits;
	int rc;

	vm->gic_fd = vm->its_fd = -1;
	rc = create_dev(vm, KVM_DEV_TYPE_ARM_VGIC_V3, "GICv3");
	if (rc < 0)
		return rc;
	vm->gic_fd = rc;
	rc = set_addr(vm->gic_fd, KVM_VGIC_V3_ADDR_TYPE_DIST, l->gicd.base, "GIC distributor", bits);
	if (!rc)
		rc = set_addr(vm->gic_fd, KVM_VGIC_V3_ADDR_TYPE_REDIST, l->gicr.base,
			      "GIC redistributors", bits);
	if (rc || !l->has_its)
		return rc;
	rc = create_dev(vm, KVM_DEV_TYPE_ARM_VGIC_ITS, "GICv3 ITS");
	if (rc < 0)
		return rc;
	vm->its_fd = rc;
	warn_its_tables(vm);
	return set_addr(vm->its_fd, KVM_VGIC_ITS_ADDR_TYPE, l->its.base, "GIC ITS", bits);
}

int vmm_gic_init(struct vmm_vm *vm)
{
	uint32_t nr_irqs = 128;   /* 96 SPIs: plenty for a UART and virtio */
	int rc;

	const char *step = "KVM_DEV_ARM_VGIC_GRP_NR_IRQS";

	rc = set_attr(vm->gic_fd, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs);
	if (!rc) {
		step = "KVM_DEV_ARM_VGIC_CTRL_INIT of the GICv3";
		rc = set_attr(vm->gic_fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
	}
	if (!rc && vm->its_fd >= 0) {
		step = "KVM_DEV_ARM_VGIC_CTRL_INIT of the ITS";
		rc = set_attr(vm->its_fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
	}
	if (rc)
		pr_err("initialising the in-kernel GIC: KVM_SET_DEVICE_ATTR (%s): %s", step,
		       strerror(-rc));
	return rc;
}
