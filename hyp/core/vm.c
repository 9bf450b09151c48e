/* SPDX-License-Identifier: MIT */
/* VM creation, world switch and the exit dispatcher. */
#include <stdarg.h>
#include <s2/vmtype.h>
#include "alloc.h"
#include "defer.h"
#include "inject.h"
#include "irq.h"
#include "panic.h"
#include "printf.h"
#include "sysreg.h"
#include "vm.h"

/* ESR_EL2 exception classes the dispatcher handles. */
#define EC_WFX   0x01
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_SYS64 0x18

int vm_create(struct vm *vm, unsigned id, const struct s2_host *host, uint64_t type,
	      unsigned flags, const void *image, size_t image_size, struct s2_diag *d)
{
	struct s2_geometry g;
	int ipa_bits, err;
	unsigned pgt_flags = S2_PGT_NO_FWB, vtcr_flags = 0;

	*vm = (struct vm){ .id = id, .type = type, .host = host };
	if (image_size > VM_RAM_SIZE)
		return s2_diag_set(d, S2_EINVAL, "guest image of %zu bytes does not fit in %llu bytes of RAM",
				   image_size, (unsigned long long)VM_RAM_SIZE);
	ipa_bits = s2_vm_type_ipa_bits(type, host->ipa_limit, d);
	if (ipa_bits < 0)
		return ipa_bits;
	struct s2_geom_req req = {
		.granule = host->cfg.granule,
		.ipa_bits = (unsigned)ipa_bits,
		.ps_bits = host->ps_bits,
		.lpa2 = host->ds,
		.start_level = S2_START_AUTO,
	};
	err = s2_geometry_init(&g, &req, d);
	if (err)
		return err;
	if (flags & VM_F_HW_AF_DBM) {
		pgt_flags |= S2_PGT_HA | S2_PGT_HD;
		vtcr_flags |= S2_VTCR_F_HA | S2_VTCR_F_HD;
	}
	/* VMID 0 is left to tables that belong to no VM. */
	err = stage2_init(&vm->s2, &g, id + 1, pgt_flags, vtcr_flags, &hyp_mm_ops, d);
	if (err)
		return err;

	/* RAM: naturally aligned, so blocks can back it where the granule's
	   block size fits; zeroed so no host data leaks into the guest. */
	vm->ram_size = VM_RAM_SIZE;
	vm->ram_pa = (uint64_t)alloc_pages(VM_RAM_SIZE);
	if (!vm->ram_pa) {
		stage2_destroy(&vm->s2);
		return s2_diag_set(d, S2_ENOMEM, "no memory for the VM's RAM");
	}
	for (uint64_t *p = (uint64_t *)vm->ram_pa; p < (uint64_t *)(vm->ram_pa + VM_RAM_SIZE); p++)
		*p = 0;
	vm->ram_ipa = (1ULL << ipa_bits) - 2 * VM_RAM_SIZE;
	err = vgic_init(vm, d);
	if (err) {
		alloc_free((void *)vm->ram_pa, VM_RAM_SIZE);
		stage2_destroy(&vm->s2);
		return err;
	}
	for (size_t i = 0; i < image_size; i++)
		((char *)vm->ram_pa)[i] = ((const char *)image)[i];
	/* The guest runs with caches off: the image must reach the PoC.
	   (s2_map with S2_PGT_NO_FWB cleans each page again when it is
	   mapped; this covers pages mapped before any fault.) */
	hyp_mm_ops.dcache_clean_inval(&vm->s2, s2_pa(vm->ram_pa), VM_RAM_SIZE);

	vm->hcr = HCR_RW | HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO |
		  HCR_TWI | HCR_TWE | HCR_TSC;
	/* No PMU for the guest, as a KVM vCPU made without
	   KVM_ARM_VCPU_PMU_V3: its registers trap here and are UNDEFINED
	   (KVM hides them: an access to a hidden register injects UNDEF). */
	vm->mdcr = (read_sysreg(mdcr_el2) & MDCR_HPMN) | MDCR_TPM | MDCR_TPMCR;
	vm->regs.elr = vm->ram_ipa;
	vm->regs.spsr = SPSR_EL1H_MASKED;
	vm->el1.sctlr = SCTLR_EL1_GUEST;
	vm->state = VM_RUNNABLE;
	return 0;
}

uint64_t vm_destroy(struct vm *vm)
{
	uint64_t leaked;

	/* Tables its vCPUs' faults unlinked must go before the rest. */
	defer_drain(&vm->s2.pgt);
	leaked = stage2_destroy(&vm->s2);

	alloc_free((void *)vm->ram_pa, vm->ram_size);
	vm->ram_pa = 0;
	return leaked;
}

void vm_el1_load(const struct vm_el1 *e)
{
	write_sysreg(e->sctlr, sctlr_el1);
	write_sysreg(e->vbar, vbar_el1);
	write_sysreg(e->sp, sp_el1);
	write_sysreg(e->elr, elr_el1);
	write_sysreg(e->spsr, spsr_el1);
	write_sysreg(e->esr, esr_el1);
	write_sysreg(e->far, far_el1);
	write_sysreg(e->tpidr, tpidr_el1);
}

void vm_el1_save(struct vm_el1 *e)
{
	e->sctlr = read_sysreg(sctlr_el1);
	e->vbar = read_sysreg(vbar_el1);
	e->sp = read_sysreg(sp_el1);
	e->elr = read_sysreg(elr_el1);
	e->spsr = read_sysreg(spsr_el1);
	e->esr = read_sysreg(esr_el1);
	e->far = read_sysreg(far_el1);
	e->tpidr = read_sysreg(tpidr_el1);
}

void vm_load(struct vm *vm)
{
	vm_el1_load(&vm->el1);
	/* Per-VM VTCR (granule, IPA size, start level, DS) and VTTBR (root,
	   VMID), as Linux's __load_stage2() (asm/kvm_mmu.h) loads them. */
	stage2_load(&vm->s2);
	write_sysreg(vm->hcr, hcr_el2);
	write_sysreg(vm->mdcr, mdcr_el2);
	vgic_load(vm);
	isb();
}

void vm_put(struct vm *vm)
{
	vm_el1_save(&vm->el1);
	vgic_put(vm);
}

static void set_result(struct vm *vm, enum vm_state state, const char *fmt, va_list ap)
{
	vsnprintf(vm->result, sizeof(vm->result), fmt, ap);
	vm->state = state;
}

void vm_stop(struct vm *vm, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_result(vm, VM_STOPPED, fmt, ap);
	va_end(ap);
	printf("vm%u: STOPPED: %s\n", vm->id, vm->result);
}

void vm_done(struct vm *vm, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_result(vm, VM_DONE, fmt, ap);
	va_end(ap);
}

/*
 * A physical interrupt brought the CPU back: the EL2 timer ending a time
 * slice (which counts towards the budget of a guest that never exits),
 * or one for the virtual GIC. It is acknowledged while its source still
 * asserts it (a level-triggered PPI disappears when the timer is
 * disabled, and IAR would read 1023).
 */
static void interrupted(struct vm *vm)
{
	unsigned id = irq_ack();

	timer_disarm();
	if (id == GIC_SPURIOUS)
		return;
	irq_eoi(id);
	if (id == INTID_MAINT || id == INTID_VTIMER) {
		vgic_irq(vm, id);
		return;
	}
	if (id != INTID_HYP_TIMER) {
		vm_stop(vm, "unexpected interrupt %u", id);
		return;
	}
	vm->st.preempted++;
	if (++vm->idle_slices >= VM_MAX_IDLE_SLICES)
		vm_stop(vm, "ran %u consecutive time slices of %u us without one exit: spinning",
			VM_MAX_IDLE_SLICES, VM_SLICE_US);
}

/*
 * WFI/WFE: the vCPU waits for an interrupt. With one pending, or its
 * timer armed, it goes on (the round robin lets the others run and the
 * time pass: a WFI may complete early, Arm ARM "Wait for Interrupt"). With
 * nothing that could ever wake it, it has finished or hung: in both cases
 * it will not run again.
 */
static void wait(struct vm *vm)
{
	vm->st.wfi++;
	if (vgic_pending(vm) || vtimer_armed(vm)) {
		vm->regs.elr += 4;
		return;
	}
	if (vm->state == VM_RUNNABLE)
		vm_stop(vm, "waited for an interrupt (WFI/WFE) with none pending or coming");
}

struct vm_exit *vm_run_once(struct vm *vm)
{
	struct vm_exit *x = NULL;

	vgic_flush(vm);
	timer_arm_us(VM_SLICE_US);
	unsigned kind = guest_run(&vm->regs);
	uint64_t esr = read_sysreg(esr_el2);
	unsigned ec = (unsigned)(esr >> 26) & 0x3f;

	vgic_sync(vm);
	vm->st.exits++;
	if (kind == VEC_LOW64_IRQ) {
		interrupted(vm);
		return NULL;
	}
	timer_disarm();
	vm->idle_slices = 0;
	if (kind != VEC_LOW64_SYNC) {
		vm_stop(vm, "unexpected exception kind %u (ESR_EL2=%#llx)", kind,
			(unsigned long long)esr);
		return NULL;
	}
	switch (ec) {
	case S2_EC_DABT_LOW:
	case S2_EC_IABT_LOW:
		x = vm_abort(vm, esr, read_sysreg(far_el2), read_sysreg(hpfar_el2));
		break;
	case EC_WFX:
		wait(vm);
		break;
	case EC_SYS64:
		vm->st.sysregs++;
		/* Anything the virtual GIC does not emulate is UNDEFINED
		   for the guest, as KVM's emulate_sys_reg() answers an
		   access it has no handler for (kvm_inject_undefined()). */
		if (!vgic_sysreg(vm, esr & 0x1ffffff)) {
			inject_undef(&vm->regs, esr);
			vm->st.undefs++;
		}
		break;
	case EC_HVC64:
	case EC_SMC64:
		vm_stop(vm, "%s #%llu: no firmware interface here", ec == EC_HVC64 ? "HVC" : "SMC",
			(unsigned long long)(esr & 0xffff));
		break;
	default:
		vm_stop(vm, "unhandled exit EC=%#x ESR_EL2=%#llx at ELR=%#llx", ec,
			(unsigned long long)esr, (unsigned long long)vm->regs.elr);
		break;
	}
	if (vm->state == VM_RUNNABLE && vm->st.exits >= VM_MAX_EXITS)
		vm_stop(vm, "exceeded %u exits", VM_MAX_EXITS);
	if (x)
		vm->st.user_exits++;
	return x;
}

const char *vm_where(const struct vm *vm, uint64_t ipa)
{
	uint64_t top = vm_ipa_top(vm);

	if (ipa >= top)
		return "beyond its IPA size";
	if (ipa >= vm->ram_ipa && ipa < vm->ram_ipa + vm->ram_size)
		return "in its RAM";
	if (vm_mmio_find(vm, ipa))
		return "in its interrupt controller's frames";
	if (ipa >= top - vm_page(vm))
		return "in the last page of its IPA space";
	if (ipa < vm_page(vm))
		return "in the first page of its IPA space";
	if (ipa < vm->ram_ipa)
		return "below its RAM";
	return "above its RAM";
}
