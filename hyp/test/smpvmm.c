/* SPDX-License-Identifier: MIT */
/*
 * The boot CPU as the VMM during a several-CPU run: it works on guest
 * memory under the write side of the VM's lock while the vCPUs fault,
 * and meets them through the guest's sync page.
 */
#include <s2/err.h>
#include "atomic.h"
#include "check.h"
#include "printf.h"
#include "smprun.h"
#include "sysreg.h"

#define VMM_ROUNDS_HZ 2000        /* the VMM's rounds at most, per second */

/* The VMM's own view of a word of the guest's sync page (the guest
   writes it with its MMU off, uncached). */
static uint64_t *sync_word(uint64_t off)
{
	return (uint64_t *)(vm.ram_pa + GUEST_SMP_SYNC + off);
}

static uint64_t sync_read(uint64_t off)
{
	__asm__ volatile("dc civac, %0; dsb ish" :: "r"(sync_word(off)) : "memory");
	return *(volatile uint64_t *)sync_word(off);
}

static void sync_write(uint64_t off, uint64_t v)
{
	*(volatile uint64_t *)sync_word(off) = v;
	__asm__ volatile("dsb ish; dc civac, %0; dsb ish" :: "r"(sync_word(off)) : "memory");
}

/*
 * The boot CPU as a VMM working on guest memory while the vCPUs fault: it
 * takes the VM's mmu_lock for writing (waiting for faults in progress,
 * holding new ones off) and ages the arena (s2_mkold) or unmaps it
 * (s2_unmap, as KVM does when the host takes pages back), until every
 * vCPU waits before verifying; one last round then, and it lets them go.
 * Every arena page they touch afterwards must fault on some CPU (an
 * Access flag or a translation fault: after the operation's TLBI no CPU
 * may still hold the old entry). QEMU's TCG, though, takes these faults
 * even when that TLBI is not broadcast, so this does not prove it is.
 * Return: the rounds, 0 if the vCPUs never got there; in @faults the
 * vCPUs' faults so far when it let them go.
 */
uint64_t vmm_while_running(enum vmm_work w, unsigned nv, const struct smp_plan *p,
			   uint64_t *faults)
{
	uint64_t round = smp_verify_round(p), rounds = 0, young = 0;
	uint64_t end = read_sysreg(cntpct_el0) + read_sysreg(cntfrq_el0) * SMP_TIMEOUT_S;
	uint64_t arena = vm.ram_ipa + GUEST_ARENA, size = vm.ram_size - GUEST_ARENA;
	struct s2_diag d;

	for (;;) {
		bool waiting = true;
		int64_t rc;

		for (unsigned i = 0; i < nv; i++)
			waiting &= sync_read(SMP_ARRIVE(i)) >= round;
		write_lock(&vm.mmu_lock);
		if (w == VMM_AGE)
			rc = s2_mkold(&vm.s2.pgt, s2_ipa(arena), size, &d);
		else
			rc = s2_unmap(&vm.s2.pgt, s2_ipa(arena), size, &d);
		write_unlock(&vm.mmu_lock);
		if (rc < 0) {
			check(false, "smp: %s: %s", w == VMM_AGE ? "s2_mkold" : "s2_unmap", d.msg);
			break;
		}
		young += (uint64_t)rc;
		rounds++;
		if (waiting)
			break;
		/* Let the vCPUs get on between rounds. */
		for (uint64_t t = read_sysreg(cntpct_el0) + read_sysreg(cntfrq_el0) / VMM_ROUNDS_HZ;
		     read_sysreg(cntpct_el0) < t;)
			cpu_relax();
		if (read_sysreg(cntpct_el0) > end) {
			check(false, "smp: vCPUs not at round %llu after %u s",
			      (unsigned long long)round, SMP_TIMEOUT_S);
			return 0;
		}
	}
	if (w == VMM_AGE)
		printf("smp: the VMM aged the arena %llu times while the vCPUs ran (%llu young "
		       "leaves made old)\n", (unsigned long long)rounds, (unsigned long long)young);
	else
		printf("smp: the VMM unmapped the arena %llu times while the vCPUs ran\n",
		       (unsigned long long)rounds);
	/* The vCPUs spin on the sync page (outside the arena): their fault
	   counts stand still until they are let go. */
	*faults = 0;
	for (unsigned i = 0; i < nv; i++)
		*faults += __atomic_load_n(&th[i].v.st.faults, __ATOMIC_RELAXED);
	sync_write(SMP_VMM_ARRIVE, round);
	return rounds;
}
