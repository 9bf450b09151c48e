/* SPDX-License-Identifier: MIT */
/*
 * The several-CPU run's expectations and checks, made on the boot CPU
 * with the other CPUs parked, independently of the fault path: what each
 * RAM page must end with (from the guest's plan), the leaves and the
 * fewest tables that hold them, QEMU's walker against s2_translate(), and
 * what the guests saw.
 */
#include <s2/err.h>
#include "check.h"
#include "oracle.h"
#include "printf.h"
#include "smprun.h"
#include "sysreg.h"

/* What each RAM page must end with: @must bits present, nothing outside
   @may; MAPPED: it must be mapped at all. */
#define MAPPED 0x10u
static uint8_t must[MAX_PAGES], may[MAX_PAGES];

/* The pages a VMM maps itself before the run (premap): those holding
   the guest image, in the first 2 MiB, and three near the end of RAM. */
bool premapped(unsigned i, uint64_t image_size, uint64_t page)
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
unsigned arena_leaves(const struct smp_plan *p)
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
void plan(unsigned n, uint64_t page, uint64_t image_size, const struct smp_spec *s)
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
void check_tables(void)
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
void check_walker(void)
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

void check_guests(unsigned n, const struct smp_plan *p)
{
	for (unsigned i = 0; i < n; i++) {
		struct smp_result r;

		check(th[i].x.kind == VCPU_EXIT_WFI, "smp: vCPU %u ended with exit %u (IPA %#llx, "
		      "ESR_EL2 %#llx, ELR %#llx): %s", i, th[i].x.kind,
		      (unsigned long long)th[i].x.ipa, (unsigned long long)th[i].x.esr,
		      (unsigned long long)th[i].v.regs.elr, th[i].x.why);
		if (vm_read(&vm, vm.ram_ipa + GUEST_SMP_SYNC + SMP_RESULT(i), &r, sizeof(r))) {
			check(false, "smp: vCPU %u: result unreadable", i);
			continue;
		}
		check(r.undefs == 1 && th[i].v.st.undefs == 1,
		      "smp: vCPU %u: PMCR_EL0 read UNDEFINED as it must be: %s; %llu injected, 1 "
		      "expected", i, r.undefs == 1 ? "yes" : "no",
		      (unsigned long long)th[i].v.st.undefs);
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
