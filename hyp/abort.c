/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 aborts from a guest. The faulting IPA comes from HPFAR_EL2
 * (FIPA, bits [43:4] = IPA[51:12]) and FAR_EL2 (the page offset), decoded
 * by libs2 so IPAs above 2^48 survive. Each abort is also cross-checked
 * the way KVM reconstructs HPFAR when it cannot trust it: AT S1E1R on
 * the guest's FAR and s2_par_to_hpfar() must give the same FIPA.
 *
 * Then by where the IPA lies:
 *   RAM     translation fault: demand-map (a block where the whole aligned
 *           block is RAM and dirty logging is off, else one page);
 *           access flag fault: s2_mkyoung(); write permission fault while
 *           logging: s2_mark_dirty(). The instruction is retried.
 *   device  emulated from the syndrome (device.c), then skipped.
 *   a probe the guest announced: recorded, skipped, loads return poison.
 *   else    the guest misbehaved: it is stopped with a report.
 */
#include <s2/fault.h>
#include "at.h"
#include "check.h"
#include "printf.h"
#include "sysreg.h"
#include "vm.h"

static void check_hpfar(struct vm *vm, const struct s2_esr *e, uint64_t far, uint64_t hpfar)
{
	uint64_t par;

	if (e->fnv || e->s1ptw)
		return;
	par = at_s1e1r(far);
	vm->st.hpfar_checked++;
	check(!(par & 1) && s2_par_to_hpfar(par) == (hpfar & S2_GENMASK(43, 4)),
	      "vm%u: HPFAR_EL2=%#llx for FAR %#llx, but AT S1E1R gives PAR_EL1=%#llx -> s2_par_to_hpfar %#llx",
	      vm->id, (unsigned long long)hpfar, (unsigned long long)far,
	      (unsigned long long)par, (unsigned long long)s2_par_to_hpfar(par));
	/* With the guest's stage 1 off its VA is its IPA. */
	check(s2_fault_ipa(hpfar, far).v == far,
	      "vm%u: s2_fault_ipa(HPFAR %#llx, FAR %#llx) = %#llx, want the FAR",
	      vm->id, (unsigned long long)hpfar, (unsigned long long)far,
	      (unsigned long long)s2_fault_ipa(hpfar, far).v);
}

/* Map the RAM page (or block) holding @ipa. */
static void demand_map(struct vm *vm, uint64_t ipa)
{
	const struct s2_geometry *g = &vm->s2.pgt.geom;
	uint64_t size = vm_page(vm);
	struct s2_diag d;

	/* The largest block that lies wholly in RAM, as KVM does for a
	   memslot backed by a huge page; not while logging dirty pages,
	   which must be tracked per page. */
	for (int l = 2; l >= g->start_level && !vm->logging; l--) {
		uint64_t bs = s2_level_size(g, l);
		uint64_t base = ipa & ~(bs - 1);
		if (s2_level_has_block(g, l) && base >= vm->ram_ipa &&
		    base + bs <= vm->ram_ipa + vm->ram_size &&
		    ((base - vm->ram_ipa + vm->ram_pa) & (bs - 1)) == 0)
			size = bs;
	}
	uint64_t base = ipa & ~(size - 1);
	int rc = s2_map(&vm->s2.pgt, s2_ipa(base), size, s2_pa(base - vm->ram_ipa + vm->ram_pa),
			S2_PROT_RWX, 0, &d);
	if (rc) {
		vm_stop(vm, "demand map of %#llx failed: %s", (unsigned long long)base, d.msg);
		return;
	}
	if (size > vm_page(vm))
		vm->st.mapped_blocks++;
	else
		vm->st.mapped_pages++;
}

static void ram_fault(struct vm *vm, const struct s2_esr *e, uint64_t ipa)
{
	int rc;

	switch (e->kind) {
	case S2_FAULT_TRANSLATION:
		/* Mapped meanwhile (a stale TLB entry): just retry. */
		if (s2_lookup(&vm->s2.pgt, s2_ipa(ipa), NULL)) {
			vm->st.spurious++;
			return;
		}
		demand_map(vm, ipa);
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

extern char __image_start[];

static void probe_fault(struct vm *vm, const struct s2_esr *e, uint64_t ipa)
{
	vm->st.probes++;
	vm->probe_armed = false;
	vm->dev_result = 1;
	printf("vm%u: isolation probe %s of IPA %#llx (%s%s): stage-2 %s fault, level %d, "
	       "taken to EL2 and contained\n", vm->id, e->wnr ? "write" : "read",
	       (unsigned long long)ipa, vm_where(vm, ipa),
	       ipa == (uint64_t)__image_start ? ", the host PA of the hypervisor's code" : "",
	       s2_fault_kind_name(e->kind), e->level);
	if (!e->wnr && e->isv && e->srt != 31)
		vm->regs.x[e->srt] = PROBE_POISON;
	vm->regs.elr += 4;
}

void vm_abort(struct vm *vm, uint64_t esr, uint64_t far, uint64_t hpfar)
{
	struct s2_esr e;
	struct s2_diag d;
	uint64_t ipa;

	vm->st.s2_aborts++;
	if (s2_esr_decode(esr, &e, &d)) {
		vm_stop(vm, "%s", d.msg);
		return;
	}
	ipa = s2_fault_ipa(hpfar, far).v;
	check_hpfar(vm, &e, far, hpfar);

	if (ipa >= vm->ram_ipa && ipa < vm->ram_ipa + vm->ram_size) {
		ram_fault(vm, &e, ipa);
	} else if (e.is_data && ipa >= vm->dev_ipa && ipa < vm->dev_ipa + DEV_SIZE) {
		vm_mmio(vm, &e, ipa);
	} else if (vm->probe_armed && ipa == vm->probe_ipa && e.is_data) {
		probe_fault(vm, &e, ipa);
	} else if (!e.is_data) {
		vm_stop(vm, "instruction fetch from IPA %#llx (%s): stage-2 %s fault, level %d "
			"(a wild jump)", (unsigned long long)ipa, vm_where(vm, ipa),
			s2_fault_kind_name(e.kind), e.level);
	} else {
		vm_stop(vm, "unannounced %s of IPA %#llx (%s): stage-2 %s fault, level %d, "
			"at ELR %#llx", e.wnr ? "write" : "read", (unsigned long long)ipa,
			vm_where(vm, ipa), s2_fault_kind_name(e.kind), e.level,
			(unsigned long long)vm->regs.elr);
	}
}
