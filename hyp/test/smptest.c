/* SPDX-License-Identifier: MIT */
/*
 * Concurrent stage-2 faults: a VM with as many vCPUs as there are
 * physical CPUs (QEMU -smp), each vCPU on its own CPU, running the guest's
 * MODE_SMP (guest/smp_proto.h): disjoint, interleaved and common pages,
 * reads, writes and fetches, so faults on the same pages and tables
 * arrive on several CPUs together and go through libs2's shared path.
 *
 * Afterwards, on this CPU with the others parked, independently of the
 * fault path:
 *   - every vCPU finished, saw its own and the others' data and called
 *     every function the others wrote;
 *   - every RAM page the plan touched is mapped to its own host page with
 *     exactly the permissions its accesses needed (read R, write W, fetch
 *     X), no page it left alone is mapped (with pages backing RAM), and
 *     a block has exactly the union of what its pages needed;
 *   - the tables are the fewest that hold those leaves (from the
 *     geometry: one table per span a level's table covers), the VM holds
 *     no other table memory, nothing waits in the deferred-free queue,
 *     and the allocator has everything back after the VM is destroyed;
 *   - QEMU's walker (AT S12E1R/W) agrees with s2_translate() on every
 *     RAM page (oracle_compare()).
 * The 4K run (LPA2, RAM above 2^48) backs RAM with 2 MiB blocks, and the
 * VMM first maps the pages holding the guest image and a few at the end
 * of RAM page by page, so each block has a table: the first fault in
 * each block replaces that table while other CPUs may be walking it, and
 * both tables must go through the deferred free. Two more runs leave the
 * boot CPU to the VMM, which ages or unmaps the arena under the write
 * side of the VM's lock while the vCPUs fault (vmm_while_running()).
 *
 * This file plans and runs; smpvmm.c is the boot CPU's side as the VMM,
 * smpcheck.c the checks.
 */
#include "alloc.h"
#include "check.h"
#include "defer.h"
#include "host.h"
#include "printf.h"
#include "smp.h"
#include "smprun.h"
#include "smptest.h"
#include "sysreg.h"

#define SMP_VM_ID     40

extern const char guest_image[], guest_image_end[];

struct vm vm;
struct vthread th[SMP_MAX_VCPUS];

/* A vCPU's thread, as a VMM's: run until the guest waits for good. */
static void vcpu_thread(void *arg)
{
	struct vthread *t = arg;

	for (t->runs = 0; t->runs < 16; t->runs++) {
		t->x = *vcpu_run(&t->v);
		if (t->x.kind != VCPU_EXIT_HVC)
			return;
	}
}

static void idle(void *arg)
{
	(void)arg;
}

/* Secondary CPUs that come up (and park), up to SMP_MAX_VCPUS - 1. */
static unsigned bring_up(void)
{
	unsigned n = 1;
	uint64_t end = read_sysreg(cntpct_el0) + read_sysreg(cntfrq_el0) * 10;

	for (unsigned id = 1; id < SMP_MAX_VCPUS; id++) {
		int rc = smp_start(id, idle, NULL);

		if (rc == PSCI_INVALID_PARAMETERS)
			break;
		if (!check(rc == PSCI_SUCCESS || rc == PSCI_ALREADY_ON, "smp: CPU_ON for CPU %u: PSCI error %d",
			   id, rc))
			break;
		while (!smp_parked(id) && read_sysreg(cntpct_el0) < end)
			cpu_relax();
		if (!check(smp_parked(id), "smp: CPU %u did not come up", id))
			break;
		n++;
	}
	return n;
}

/* Races a run saw. */
struct races {
	uint64_t lost;            /* S2_EAGAIN: the guest faulted again */
	uint64_t other;           /* found mapped or relaxed by another CPU */
	bool skipped;             /* the CPU has no such granule at stage 2 */
};

/* One run; the races it saw in @r. */
static void run_one(const struct smp_spec *s, unsigned n, struct races *r)
{
	const struct s2_host *h = host_for(s->granule);
	uint64_t live = alloc_stats()->live_bytes, image = (uint64_t)(guest_image_end - guest_image);
	const struct defer_stats *ds = defer_stats();
	uint64_t queued = ds->queued, freed = ds->freed;
	struct s2_diag d;
	struct smp_plan p;
	bool finished = true;
	/* Aging: the boot CPU is the VMM, vCPU i runs on CPU i + 1. */
	unsigned first = s->vmm != VMM_VCPU, nv = n - first;

	*r = (struct races){ .skipped = !h };
	if (!h) {
		printf("smp: %s granule not usable at stage 2: skipped\n", s2_granule_name(s->granule));
		return;
	}
	if (!check(vm_create(&vm, SMP_VM_ID, h, s->type, 0, guest_image, image, &d) == 0,
		   "smp: vm_create: %s", d.msg))
		return;
	p = smp_plan((unsigned)((vm.ram_size - GUEST_ARENA) / vm_page(&vm)));
	plan(nv, vm_page(&vm), image, s);
	for (unsigned i = 0; s->premap && i < vm.ram_size / vm_page(&vm); i++) {
		uint64_t off = i * vm_page(&vm);
		if (premapped(i, image, vm_page(&vm)))
			check(s2_map(&vm.s2.pgt, s2_ipa(vm.ram_ipa + off), vm_page(&vm),
				     s2_pa(vm.ram_pa + off), S2_PROT_RWX, S2_MAP_PAGES, &d) == 0,
			      "smp: premap: %s", d.msg);
	}
	/* No vCPU runs past this, whatever its guest does. */
	uint64_t until = read_sysreg(cntpct_el0) + read_sysreg(cntfrq_el0) * SMP_TIMEOUT_S;
	for (unsigned i = 0; i < nv; i++) {
		struct vcpu *v = &th[i].v;

		vcpu_init(v, &vm, i);
		v->run_until = until;
		v->regs.x[0] = vm.ram_ipa;
		v->regs.x[1] = vm.ram_size;
		v->regs.x[2] = first ? SMP_F_VMM : 0;
		v->regs.x[3] = vm.s2.pgt.geom.ipa_bits;
		v->regs.x[4] = vm_page(&vm);
		v->regs.x[5] = MODE_SMP;
		v->regs.x[6] = i;
		v->regs.x[7] = nv;
		v->el1.sp = vm.ram_ipa + GUEST_STACK_TOP - i * SMP_VCPU_STACK;
		th[i].x = (struct vcpu_exit){ .kind = VCPU_EXIT_STOP };
	}
	printf("smp: %u vCPUs on CPUs %u-%u, %s granule, %u-bit IPA, RAM at %#llx%s%s\n", nv,
	       first, n - 1, s2_granule_name(s->granule), vm.s2.pgt.geom.ipa_bits,
	       (unsigned long long)vm.ram_ipa,
	       s->premap ? ", the image's pages and three more mapped beforehand" : "",
	       s->vmm == VMM_AGE ? ", CPU 0 ages the arena meanwhile" :
	       s->vmm == VMM_UNMAP ? ", CPU 0 unmaps the arena meanwhile" : "");
	for (unsigned i = 1; i < n; i++)
		check(smp_start(i, vcpu_thread, &th[i - first]) == PSCI_SUCCESS, "smp: CPU %u busy", i);
	uint64_t rounds = 0, faults_before = 0;
	if (first)
		rounds = vmm_while_running(s->vmm, nv, &p, &faults_before);
	else
		vcpu_thread(&th[0]);
	uint64_t end = until + read_sysreg(cntfrq_el0) * 10;
	for (unsigned i = 1; i < n; i++) {
		while (!smp_parked(i) && read_sysreg(cntpct_el0) < end)
			cpu_relax();
		finished &= check(smp_parked(i), "smp: CPU %u still in EL2 running vCPU %u %u s "
				  "after its deadline", i, i - first, 10);
	}
	if (!finished)
		return;   /* its tables may still change: nothing more to check */

	uint64_t lost = 0, already = 0, stale = 0, faults = 0;
	for (unsigned i = 0; i < nv; i++) {
		const struct vcpu_stats *st = &th[i].v.st;
		printf("smp:   vCPU %u on CPU %u: %llu exits, %llu faults: %llu mapped (%llu found "
		       "mapped), %llu relaxed, %llu already relaxed, %llu access flag, %llu lost races, "
		       "%llu top-ups, %llu interrupts, %llu UNDEFINED\n",
		       i, th[i].v.cpu, (unsigned long long)st->exits, (unsigned long long)st->faults,
		       (unsigned long long)st->maps, (unsigned long long)st->already,
		       (unsigned long long)st->relaxed, (unsigned long long)st->stale,
		       (unsigned long long)st->young, (unsigned long long)st->lost,
		       (unsigned long long)st->topups, (unsigned long long)st->irqs,
		       (unsigned long long)st->undefs);
		lost += st->lost;
		already += st->already;
		stale += st->stale;
		faults += st->faults;
		check(th[i].v.cpu == i + first, "smp: vCPU %u ran on CPU %u", i, th[i].v.cpu);
	}
	printf("smp: races: %llu lost (S2_EAGAIN), %llu faults found mapped, %llu found "
	       "relaxed by another CPU\n", (unsigned long long)lost, (unsigned long long)already,
	       (unsigned long long)stale);

	if (first) {
		unsigned leaves = arena_leaves(&p);
		check(rounds > 0 && faults - faults_before >= leaves,
		      "smp: %llu faults after the VMM's last of %llu rounds; each of the %u leaves "
		      "holding arena pages touched after it must take one",
		      (unsigned long long)(faults - faults_before), (unsigned long long)rounds, leaves);
		printf("smp: %llu faults after the VMM's last round, for %u leaves of arena pages\n",
		       (unsigned long long)(faults - faults_before), leaves);
	}

	write_lock(&vm.mmu_lock);
	for (unsigned i = 0; i < nv; i++)
		vcpu_destroy(&th[i].v);
	defer_drain(&vm.s2.pgt);
	printf("smp: deferred frees: %llu tables queued, %llu freed\n",
	       (unsigned long long)(ds->queued - queued), (unsigned long long)(ds->freed - freed));
	/* Each block the guest faults in replaces the VMM's table there
	   (the unmapping VMM's split blocks leave tables too, some gone
	   before a fault needs the block). */
	unsigned replaced = s->premap ? 2 : 0;
	check((ds->queued - queued == replaced || s->vmm == VMM_UNMAP) &&
	      ds->freed - freed == ds->queued - queued &&
	      defer_pending(&vm.s2.pgt) == 0,
	      "smp: %llu tables went to the deferred free (%u expected), %llu freed",
	      (unsigned long long)(ds->queued - queued), replaced,
	      (unsigned long long)(ds->freed - freed));
	check_tables();
	check_walker();
	check_guests(nv, &p);
	write_unlock(&vm.mmu_lock);
	check(vm_destroy(&vm) == 0, "smp: tables not freed");
	check(alloc_stats()->live_bytes == live, "smp: %lld bytes not returned to the allocator",
	      (long long)(alloc_stats()->live_bytes - live));
	r->lost = lost;
	r->other = already + stale;
}

void smptest_run(void)
{
	/* 16K pages: every page its own fault, so the lockstep pages race;
	   64K pages with FEAT_LPA and 4K LPA2 with 2 MiB blocks (few faults,
	   two tables replaced by blocks), both with RAM above 2^48; 16K
	   pages again with the VMM aging them meanwhile, and 4K (blocks)
	   with the VMM unmapping them. */
	static const struct smp_spec pages = { S2_GRANULE_16K, 40, false, VMM_VCPU };
	static const struct smp_spec lpa = { S2_GRANULE_64K, 52, false, VMM_VCPU };
	static const struct smp_spec blocks = { S2_GRANULE_4K, 52, true, VMM_VCPU };
	static const struct smp_spec aging = { S2_GRANULE_16K, 40, false, VMM_AGE };
	static const struct smp_spec unmapping = { S2_GRANULE_4K, 40, false, VMM_UNMAP };
	unsigned n = bring_up(), tries;
	struct races r;

	printf("\nsmp: %u CPUs\n", n);
	if (!check(n >= 2, "smp: only %u CPU (run QEMU with -smp 2 or more)", n))
		return;
	/* In lockstep all vCPUs fault on the same page at once: some must
	   find another CPU's work done, or lose to it. The host may still
	   run the CPUs' threads one after the other (fewer host cores than
	   CPUs, or a loaded host), so a run without races is repeated. */
	for (tries = 1;; tries++) {
		run_one(&pages, n, &r);
		if (r.lost + r.other || r.skipped || tries == 5)
			break;
	}
	check(r.lost + r.other > 0 || r.skipped, "smp: %u vCPUs in lockstep on shared pages never raced in %u "
	      "runs", n, tries);
	printf("smp: %llu races in run %u of the page-backed VM\n",
	       (unsigned long long)(r.lost + r.other), tries);
	run_one(&lpa, n, &r);
	/* All vCPUs start at once and write their stacks in the first block
	   while one of them replaces the VMM's table there by the block:
	   the others find the entry locked and must fault again. */
	for (tries = 1;; tries++) {
		run_one(&blocks, n, &r);
		if (r.lost || r.skipped || tries == 3)
			break;
	}
	check(r.lost > 0 || r.skipped, "smp: no fault lost a race (S2_EAGAIN) to a table's replacement in %u "
	      "runs", tries);
	printf("smp: %llu faults lost a race (S2_EAGAIN) in run %u of the block-backed VM\n",
	       (unsigned long long)r.lost, tries);
	run_one(&aging, n, &r);
	run_one(&unmapping, n, &r);
}
