/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 aborts from a guest. The faulting IPA comes from HPFAR_EL2
 * (FIPA, bits [43:4] = IPA[51:12]) and FAR_EL2 (the page offset), decoded
 * by libs2 so IPAs above 2^48 survive.
 *
 * Then by where the IPA lies:
 *   RAM      translation fault: demand-map (a block where the whole aligned
 *            block is RAM and dirty logging is off, else one page);
 *            access flag fault: s2_mkyoung(); write permission fault while
 *            logging: s2_mark_dirty(). The instruction is retried.
 *   a frame the hypervisor emulates (the virtual GIC): emulated from the
 *            syndrome (mmio.c), then skipped.
 *   other data aborts: left to the VMM (VM_EXIT_MMIO), as KVM leaves an
 *            access outside every memslot to user space.
 *   instruction fetches outside RAM: the guest jumped into the void and
 *            is stopped, as nothing can be executed there.
 */
#include <s2/fault.h>
#include "mmio.h"
#include "printf.h"
#include "sysreg.h"
#include "vm.h"

void vm_ram_leaf(const struct vm *vm, uint64_t ipa, uint64_t *base, uint64_t *size)
{
	const struct s2_geometry *g = &vm->s2.pgt.geom;

	*size = vm_page(vm);
	/* The largest block that lies wholly in RAM, as KVM does for a
	   memslot backed by a huge page; not while logging dirty pages,
	   which must be tracked per page. */
	for (int l = 2; l >= g->start_level && !vm->logging; l--) {
		uint64_t bs = s2_level_size(g, l);
		uint64_t b = ipa & ~(bs - 1);
		if (s2_level_has_block(g, l) && b >= vm->ram_ipa &&
		    b + bs <= vm->ram_ipa + vm->ram_size &&
		    ((b - vm->ram_ipa + vm->ram_pa) & (bs - 1)) == 0)
			*size = bs;
	}
	*base = ipa & ~(*size - 1);
}

int vm_map_ram(struct vm *vm, uint64_t ipa, struct s2_diag *d)
{
	uint64_t base, size;
	int rc;

	if (ipa < vm->ram_ipa || ipa - vm->ram_ipa >= vm->ram_size)
		return s2_diag_set(d, S2_ERANGE, "IPA %#llx is not in the VM's RAM",
				   (unsigned long long)ipa);
	vm_ram_leaf(vm, ipa, &base, &size);
	rc = s2_map(&vm->s2.pgt, s2_ipa(base), size, s2_pa(base - vm->ram_ipa + vm->ram_pa),
		    S2_PROT_RWX, 0, d);
	if (rc)
		return rc;
	if (size > vm_page(vm))
		vm->st.mapped_blocks++;
	else
		vm->st.mapped_pages++;
	return 0;
}

static void ram_fault(struct vm *vm, const struct s2_esr *e, uint64_t ipa)
{
	struct s2_diag d;
	int rc;

	switch (e->kind) {
	case S2_FAULT_TRANSLATION:
		/* Mapped meanwhile (a stale TLB entry): just retry. */
		if (s2_lookup(&vm->s2.pgt, s2_ipa(ipa), NULL)) {
			vm->st.spurious++;
			return;
		}
		if (vm_map_ram(vm, ipa, &d))
			vm_stop(vm, "demand map of %#llx failed: %s", (unsigned long long)ipa, d.msg);
		return;
	case S2_FAULT_ACCESS:
		rc = s2_mkyoung(&vm->s2.pgt, s2_ipa(ipa));
		vm->st.af_faults++;
		if (rc < 0)
			vm_stop(vm, "access flag fault at %#llx: s2_mkyoung: %s",
				(unsigned long long)ipa, s2_errname(rc));
		return;
	case S2_FAULT_PERMISSION:
		if (e->wnr && vm->logging) {
			rc = s2_mark_dirty(&vm->s2.pgt, s2_ipa(ipa));
			if (rc == 1) {
				vm->st.dirty_faults++;
				return;
			}
		}
		vm_stop(vm, "%s permission fault at %#llx in its RAM", e->wnr ? "write" : "read",
			(unsigned long long)ipa);
		return;
	default:
		vm_stop(vm, "%s fault (level %d) at %#llx in its RAM", s2_fault_kind_name(e->kind),
			e->level, (unsigned long long)ipa);
		return;
	}
}

struct vm_exit *vm_abort(struct vm *vm, uint64_t esr, uint64_t far, uint64_t hpfar)
{
	struct s2_esr e;
	struct s2_diag d;
	uint64_t ipa;

	vm->st.s2_aborts++;
	if (s2_esr_decode(esr, &e, &d)) {
		vm_stop(vm, "%s", d.msg);
		return NULL;
	}
	ipa = s2_fault_ipa(hpfar, far).v;

	if (ipa >= vm->ram_ipa && ipa < vm->ram_ipa + vm->ram_size) {
		ram_fault(vm, &e, ipa);
		return NULL;
	}
	if (!e.is_data) {
		vm_stop(vm, "instruction fetch from IPA %#llx (%s): stage-2 %s fault, level %d "
			"(a wild jump)", (unsigned long long)ipa, vm_where(vm, ipa),
			s2_fault_kind_name(e.kind), e.level);
		return NULL;
	}
	return vm_mmio(vm, &e, ipa, esr, far, hpfar);
}
