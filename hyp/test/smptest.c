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
 */
#include <s2/err.h>
#include "alloc.h"
#include "check.h"
#include "defer.h"
#include "guest/smp_proto.h"
#include "host.h"
#include "oracle.h"
#include "printf.h"
#include "smp.h"
#include "smptest.h"
#include "sysreg.h"
#include "vcpu.h"

#define SMP_TIMEOUT_S 120
#define SMP_VM_ID     40
#define MAX_PAGES     1024        /* VM_RAM_SIZE / 4K */
#define VMM_ROUNDS_HZ 2000        /* the VMM's rounds at most, per second */

extern const char guest_image[], guest_image_end[];

struct vthread {
	struct vcpu v;
	struct vcpu_exit x;
	unsigned runs;
};

static struct vm vm;
static struct vthread th[SMP_MAX_VCPUS];

/* What each RAM page must end with: @must bits present, nothing outside
   @may; MAPPED: it must be mapped at all. */
#define MAPPED 0x10u
static uint8_t must[MAX_PAGES], may[MAX_PAGES];

/* What the boot CPU does while the vCPUs run. */
enum vmm_work {
	VMM_VCPU,                 /* runs vCPU 0 */
	VMM_AGE,                  /* ages the arena, as the VMM (vCPUs on CPUs 1..) */
	VMM_UNMAP,                /* unmaps the arena, as the VMM */
};

struct smp_spec {
	enum s2_granule granule;
	uint64_t type;
	bool premap;              /* the VMM maps pages of both 2 MiB blocks first */
	enum vmm_work vmm;        /* what the boot CPU does meanwhile */
};

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
static uint64_t vmm_while_running(enum vmm_work w, unsigned nv, const struct smp_plan *p,
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

/* The pages a VMM maps itself before the run (premap): those holding
   the guest image, in the first 2 MiB, and three near the end of RAM. */
static bool premapped(unsigned i, uint64_t image_size, uint64_t page)
{
	unsigned last = (unsigned)(VM_RAM_SIZE / page) - 1;

	return i < (image_size + page - 1) / page || i == last || i == last - 3 || i == last - 6;
}

static void expect_page(unsigned p, unsigned m, unsigned y)
{
	must[p] |= (uint8_t)m;
	may[p] |= (uint8_t)y;
}

/* Leaves (pages or blocks) that hold the arena pages the plan touches. */
static unsigned arena_leaves(const struct smp_plan *p)
{
	uint64_t last = ~0ULL;
	unsigned n = 0;

	for (unsigned k = 0; k < p->exec_end; k++) {
		uint64_t ipa = vm.ram_ipa + GUEST_ARENA + k * vm_page(&vm);
		struct s2_xlate x;

		if (s2_translate(&vm.s2.pgt, s2_ipa(ipa), &x) || !x.valid)
			continue;   /* reported by check_tables() */
		ipa &= ~(s2_level_size(&vm.s2.pgt.geom, x.level) - 1);
		n += ipa != last;
		last = ipa;
	}
	return n;
}

/* The plan as the harness reads it: what each page must end with. */
static void plan(unsigned n, uint64_t page, uint64_t image_size, const struct smp_spec *s)
{
	unsigned npages = (unsigned)(VM_RAM_SIZE / page), arena = (unsigned)(GUEST_ARENA / page);
	struct smp_plan p = smp_plan((unsigned)((VM_RAM_SIZE - GUEST_ARENA) / page));
	const unsigned R = S2_PROT_R, W = S2_PROT_W, X = S2_PROT_X;

	for (unsigned i = 0; i < MAX_PAGES; i++)
		must[i] = may[i] = 0;
	/* Outside the arena the compiler decides what is touched: the image
	   is read and run (never written), the entry page runs; each stack's
	   top and the sync page are written. */
	for (uint64_t a = 0; a < image_size; a += page)
		expect_page((unsigned)(a / page), 0, R | X);
	expect_page(0, MAPPED | R | X, R | X);
	for (unsigned i = 0; i < n; i++) {
		uint64_t top = GUEST_STACK_TOP - i * SMP_VCPU_STACK;
		for (uint64_t a = top - SMP_VCPU_STACK; a < top; a += page)
			expect_page((unsigned)(a / page), 0, R | W);
		expect_page((unsigned)((top - 8) / page), MAPPED | R | W, R | W);
	}
	expect_page((unsigned)(GUEST_SMP_SYNC / page), MAPPED | R | W, R | W);
	/* After the VMM's last unmap only the vCPUs' verifying maps them:
	   reads, and the calls. */
	for (unsigned k = 0; k < p.exec_end; k++) {
		unsigned m = k < p.shared_end ? R | W : k < p.ro_end ? R : R | W | X;
		if (s->vmm == VMM_UNMAP)
			m &= ~W;
		expect_page(arena + k, MAPPED | m, m);
	}
	/* Pages the VMM mapped itself (RWX). */
	for (unsigned i = 0; s->premap && i < npages; i++)
		if (premapped(i, image_size, page))
			expect_page(i, 0, R | W | X);
}

/* Check one leaf against the pages it covers; false on a mismatch. */
static bool check_leaf(uint64_t ipa, uint64_t size, const struct s2_xlate *x)
{
	uint64_t page = vm_page(&vm);
	unsigned first = (unsigned)((ipa - vm.ram_ipa) / page), m = 0, y = 0;

	for (unsigned i = 0; i < size / page; i++) {
		m |= must[first + i] & 7u;
		y |= may[first + i];
	}
	return check(x->pa.v == vm.ram_pa + (ipa - vm.ram_ipa) && (x->prot & m) == m &&
		     !(x->prot & ~y & 7u) && x->young,
		     "smp: leaf at %#llx (%#llx bytes, level %d): PA %#llx prot %#x AF %d; "
		     "wanted PA %#llx, prot at least %#x, at most %#x",
		     (unsigned long long)ipa, (unsigned long long)size, x->level,
		     (unsigned long long)x->pa.v, x->prot, x->young,
		     (unsigned long long)(vm.ram_pa + (ipa - vm.ram_ipa)), m, y & 7u);
}

/* Walk RAM: leaves against the plan, and the fewest tables holding them. */
static void check_tables(void)
{
	const struct s2_geometry *g = &vm.s2.pgt.geom;
	uint64_t page = vm_page(&vm), tables = 0, last[5] = { 0 };
	bool seen[5] = { false };
	unsigned leaves = 0, bad = 0;

	for (uint64_t ipa = vm.ram_ipa; ipa < vm.ram_ipa + vm.ram_size;) {
		struct s2_xlate x;
		unsigned p = (unsigned)((ipa - vm.ram_ipa) / page);

		s2_translate(&vm.s2.pgt, s2_ipa(ipa), &x);
		if (!x.valid) {
			bad += !check(!(must[p] & MAPPED), "smp: page at %#llx not mapped",
				      (unsigned long long)ipa);
			ipa += page;
			continue;
		}
		uint64_t size = s2_level_size(g, x.level);
		leaves++;
		bad += !check_leaf(ipa, size, &x);
		/* A leaf at level L sits in one table at each level from
		   start + 1 to L, the one covering its span at level - 1. */
		for (int l = g->start_level + 1; l <= x.level; l++) {
			uint64_t span = ipa / s2_level_size(g, l - 1);
			unsigned i = (unsigned)(l + 1);
			if (!seen[i] || last[i] != span) {
				seen[i] = true;
				last[i] = span;
				tables++;
			}
		}
		ipa += size;
	}
	/* The root (its concatenated pages one table, allocated whole and
	   at least one 4K block) and the rest. */
	uint64_t bytes = (g->root_bytes > 4096 ? g->root_bytes : 4096) + tables * page;
	check(vm.s2.pgt.stats.tables == 1 + tables && vm.s2.pgt.stats.table_bytes == bytes,
	      "smp: %llu tables (%llu bytes) held, the root and %llu (%llu bytes) needed for "
	      "the %u leaves", (unsigned long long)vm.s2.pgt.stats.tables,
	      (unsigned long long)vm.s2.pgt.stats.table_bytes, (unsigned long long)tables,
	      (unsigned long long)bytes, leaves);
	check(vm.s2.live_bytes == bytes,
	      "smp: the VM holds %llu bytes of table memory from the allocator, %llu needed",
	      (unsigned long long)vm.s2.live_bytes, (unsigned long long)bytes);
	printf("smp: %u leaves in the root and %llu tables below it, the fewest that hold them "
	       "(%llu bytes)%s\n", leaves, (unsigned long long)tables, (unsigned long long)bytes,
	       bad ? ", MISMATCHES above" : "");
}

/* QEMU's walker against s2_translate() on every RAM page. */
static void check_walker(void)
{
	struct octx o = { .s = vm.s2, .g = &vm.s2.pgt.geom, .phase = "smp" };

	write_sysreg(read_sysreg(sctlr_el1) & ~1ULL, sctlr_el1);
	write_sysreg(HCR_RW | HCR_VM | HCR_DC, hcr_el2);
	stage2_load(&vm.s2);
	/* This CPU ran vCPU 0: stricter entries it cached before other CPUs
	   relaxed them may remain (no TLBI is owed for relaxing). */
	__asm__ volatile("dsb ish; tlbi vmalls12e1; dsb nsh; isb" ::: "memory");
	for (uint64_t ipa = vm.ram_ipa; ipa < vm.ram_ipa + vm.ram_size; ipa += vm_page(&vm))
		oracle_compare(&o, ipa);
	write_sysreg(HCR_RW, hcr_el2);
	isb();
	check(o.differed == 0 && o.compared == 2 * (vm.ram_size / vm_page(&vm)),
	      "smp: AT S12E1R/W disagreed with s2_translate() %llu times",
	      (unsigned long long)o.differed);
	printf("smp: AT S12E1R/W on %llu RAM pages: %llu translations compared, %llu differences\n",
	       (unsigned long long)o.ipas, (unsigned long long)o.compared,
	       (unsigned long long)o.differed);
}

static void check_guests(unsigned n, const struct smp_plan *p)
{
	for (unsigned i = 0; i < n; i++) {
		struct smp_result r;

		check(th[i].x.kind == VCPU_EXIT_WFI, "smp: vCPU %u ended with exit %u: %s", i,
		      th[i].x.kind, th[i].x.why);
		if (vm_read(&vm, vm.ram_ipa + GUEST_SMP_SYNC + SMP_RESULT(i), &r, sizeof(r))) {
			check(false, "smp: vCPU %u: result unreadable", i);
			continue;
		}
		check(r.done == SMP_DONE && r.failures == 0 &&
		      r.calls == (uint64_t)n * (p->exec_end - p->ro_end),
		      "smp: vCPU %u: done %d, %llu failures (first at arena page %lld, %llu barrier "
		      "timeouts), %llu of %u calls right", i, r.done == SMP_DONE,
		      (unsigned long long)r.failures, (long long)r.first_bad - 1,
		      (unsigned long long)r.timeouts, (unsigned long long)r.calls,
		      n * (p->exec_end - p->ro_end));
	}
	/* The data as the hypervisor reads it through the stage 2. */
	unsigned wrong = 0;
	for (unsigned k = 0; k < p->shared_end; k++)
		for (unsigned j = 0; j < n; j++) {
			uint64_t v = 0;
			bool mine = k >= p->own_end || k % n == j;
			vm_read(&vm, vm.ram_ipa + GUEST_ARENA + k * vm_page(&vm) + SMP_SLOT(j), &v, 8);
			wrong += v != (mine ? smp_pattern(j, k) : 0);
		}
	check(wrong == 0, "smp: %u slots in guest memory hold the wrong value", wrong);
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
		       "%llu top-ups, %llu interrupts\n",
		       i, th[i].v.cpu, (unsigned long long)st->exits, (unsigned long long)st->faults,
		       (unsigned long long)st->maps, (unsigned long long)st->already,
		       (unsigned long long)st->relaxed, (unsigned long long)st->stale,
		       (unsigned long long)st->young, (unsigned long long)st->lost,
		       (unsigned long long)st->topups, (unsigned long long)st->irqs);
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
