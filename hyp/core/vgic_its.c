/* SPDX-License-Identifier: MIT */
/*
 * The VM's ITS (vits.c) wired into its virtual GIC: the GITS frame and
 * the redistributor's LPI registers are emulated by vits; every table it
 * reads or writes goes through the VM's own stage 2 (vm_read/vm_write,
 * never a host address); the LPIs it makes pending are queued for the
 * list registers, and one the vCPU acknowledged has its pending bit
 * cleared in the guest's pending table.
 */
#include "mmio.h"
#include "vgic.h"
#include "vm.h"

static int its_read(void *ctx, uint64_t ipa, void *buf, size_t len)
{
	return vm_read(ctx, ipa, buf, len);
}

static int its_write(void *ctx, uint64_t ipa, const void *buf, size_t len)
{
	return vm_write(ctx, ipa, buf, len);
}

static void its_lpi_pending(void *ctx, unsigned vcpu, uint32_t intid, uint8_t priority)
{
	(void)vcpu;
	vgic_queue_lpi(ctx, intid, priority);
}

static void its_lpi_cleared(void *ctx, unsigned vcpu, uint32_t intid)
{
	(void)vcpu;
	vgic_drop_lpi(ctx, intid);
}

static const struct vits_ops its_ops = {
	.read = its_read,
	.write = its_write,
	.lpi_pending = its_lpi_pending,
	.lpi_cleared = its_lpi_cleared,
};

/* vits refuses bad sizes and alignments: such accesses read as zero and
   are ignored, like the other frames' (vgic_mmio.c), and counted. */
static int gits_access(struct vm *vm, void *ctx, uint64_t off, bool write, uint64_t *val,
		       unsigned len)
{
	(void)ctx;
	if (vits_mmio(&vm->vgic.its, off, write, val, len)) {
		vm->vgic.st.bad_mmio++;
		if (!write)
			*val = 0;
	}
	return 0;
}

int vgic_its_init(struct vm *vm, struct s2_diag *d)
{
	const struct mmio_region gits = {
		.base = vm->vgic.base + VGIC_GITS_OFF, .size = VITS_FRAME_SIZE,
		.name = "GIC ITS", .access = gits_access,
	};
	int rc = vits_init(&vm->vgic.its, &its_ops, vm, 1, vm->s2.pgt.geom.ipa_bits);

	if (rc)
		return s2_diag_set(d, rc, "ITS for a %u-bit IPA space refused",
				   vm->s2.pgt.geom.ipa_bits);
	vits_set_translater_devid(&vm->vgic.its, VGIC_ITS_CPU_DEVID);
	return vm_mmio_register(vm, &gits, d);
}

bool vgic_its_gicr(struct vm *vm, uint64_t off, bool write, uint64_t *val, unsigned len)
{
	uint64_t reg = off & ~7ULL;

	if (off != VITS_GICR_CTLR && reg != VITS_GICR_PROPBASER && reg != VITS_GICR_PENDBASER)
		return false;
	if (vits_gicr_mmio(&vm->vgic.its, 0, off, write, val, len)) {
		vm->vgic.st.bad_mmio++;
		if (!write)
			*val = 0;
	}
	return true;
}

int vgic_its_signal(struct vm *vm, uint32_t devid, uint32_t eventid)
{
	return vits_signal(&vm->vgic.its, devid, eventid);
}

void vgic_lpi_taken(struct vm *vm, uint32_t intid)
{
	vits_lpi_taken(&vm->vgic.its, 0, intid);
}
