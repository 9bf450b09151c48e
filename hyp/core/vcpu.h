/* SPDX-License-Identifier: MIT */
/*
 * vCPUs of one VM running on several physical CPUs at once, as KVM runs
 * a VM's vCPU threads: each vCPU has its own registers, EL1 state and
 * stage-2 page cache, and all of them share the VM's stage 2 and RAM.
 * The caller (the VMM) runs vcpu_run() for each vCPU on its own CPU
 * (smp.h); no vCPU runs on two CPUs at once.
 *
 * Stage-2 faults in RAM are handled on the faulting CPU through libs2's
 * shared path, under the read side of the VM's mmu_lock, so faults on
 * several CPUs proceed together:
 *   translation  map the leaf vm_ram_leaf() picks, with what the access
 *                needs (read: R; write: RW; fetch: RX) and no more;
 *                table pages come from the vCPU's page cache, topped up
 *                before the lock (s2_cache_topup);
 *   permission   add what the access needs (s2_relax_perms), then drop
 *                this CPU's stale TLB entry;
 *   access flag  s2_mkyoung.
 * A call that loses a race to another CPU (S2_EAGAIN) just returns to
 * the guest, which faults again if it still needs to. Tables a block
 * replaces are freed through defer.h. Dirty logging is not supported on
 * these vCPUs. Physical interrupts taken while a vCPU runs (its CPU's EL2
 * timer slice, or anything left pending) are acknowledged and the guest
 * goes on; none is injected into it.
 */
#ifndef HYP_VCPU_H
#define HYP_VCPU_H

#include <s2/pgtable.h>
#include "vm.h"

struct vcpu_stats {
	uint64_t exits;        /* entries into EL2 from the guest */
	uint64_t faults;       /* stage-2 aborts in RAM */
	uint64_t maps;         /* translation faults mapped (or found mapped) */
	uint64_t already;      /* of those, found mapped by another CPU */
	uint64_t relaxed;      /* permission faults that added permissions */
	uint64_t stale;        /* permission faults another CPU had resolved */
	uint64_t young;        /* access flag faults */
	uint64_t lost;         /* shared calls that lost a race (S2_EAGAIN):
				  the guest faults again */
	uint64_t topups;       /* page-cache top-ups that allocated */
	uint64_t irqs;         /* physical interrupts taken while it ran */
	uint64_t undefs;       /* trapped system register accesses made
				  UNDEFINED for the guest (inject.h) */
};

enum vcpu_exit_kind {
	VCPU_EXIT_WFI,         /* WFI/WFE: the guest waits (it resumes after it) */
	VCPU_EXIT_HVC,         /* HVC; x0.. as the guest left them */
	VCPU_EXIT_MMIO,        /* a data abort outside RAM */
	VCPU_EXIT_STOP,        /* anything else, or a fault that could not be
				  handled: the vCPU must not run again */
	VCPU_EXIT_TIMEOUT,     /* run_until passed (it may run again) */
};

struct vcpu_exit {
	enum vcpu_exit_kind kind;
	uint64_t esr, ipa;
	char why[160];         /* for VCPU_EXIT_STOP */
};

struct vcpu {
	struct vm *vm;
	unsigned idx;
	struct gregs regs;
	struct vm_el1 el1;
	struct s2_page_cache cache;
	struct vcpu_stats st;
	struct vcpu_exit exit;
	unsigned cpu;          /* the CPU it last ran on */
	/* CNTPCT_EL0 value after which vcpu_run() returns VCPU_EXIT_TIMEOUT
	   (checked at least every VCPU_SLICE_US, on the EL2 timer); 0: none. */
	uint64_t run_until;
};

#define VCPU_SLICE_US 1000

/**
 * vcpu_init() - vCPU @idx of @vm: at the start of RAM, EL1h, interrupts
 * masked, MMU off. The caller sets its general registers and SP_EL1.
 */
void vcpu_init(struct vcpu *v, struct vm *vm, unsigned idx);

/* Give back the vCPU's page cache. */
void vcpu_destroy(struct vcpu *v);

/**
 * vcpu_run() - run @v on this CPU until an exit the VMM must see; stage-2
 * faults are handled here. Return: the exit record (in @v).
 */
struct vcpu_exit *vcpu_run(struct vcpu *v);

#endif
