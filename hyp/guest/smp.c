/* SPDX-License-Identifier: MIT */
/*
 * MODE_SMP: one of several vCPUs touching the arena at once, as
 * smp_proto.h plans it, so stage-2 faults arrive on several CPUs
 * together. Every access is a single aligned 64-bit load or store (the
 * MMU is off: Device memory). The vCPU checks what it reads, leaves its
 * result in the sync page and waits (WFI) for good.
 */
#include "guest.h"
#include "mmio.h"
#include "smp_proto.h"
#include "undef.h"

struct smp_guest {
	uint64_t ram, page, arena, sync;
	unsigned idx, n, npages;
	uint64_t round;            /* barriers passed */
	uint64_t flags;            /* SMP_F_* */
	struct smp_result r;
};

static uint64_t page_ipa(const struct smp_guest *g, unsigned k)
{
	return g->arena + (uint64_t)k * g->page;
}

static uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) :: "memory");
	return v;
}

/* Wait for every vCPU to arrive at @round; a vCPU that never comes
   (stopped by the hypervisor) costs SMP_BARRIER_S and a failure, not a
   hang. */
/* Wait for every vCPU (and, with @vmm, the VMM's word as well) to
   arrive at the next round. */
static void barrier(struct smp_guest *g, bool vmm)
{
	uint64_t freq, end, round = ++g->round;
	unsigned waits = g->n + (vmm && (g->flags & SMP_F_VMM));

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	end = counter() + freq * SMP_BARRIER_S;
	mmio_w64(g->sync + SMP_ARRIVE(g->idx), round);
	if (g->r.timeouts)
		return;   /* one vCPU is gone: do not wait for it again */
	for (unsigned j = 0; j < waits; j++)
		while (mmio_r64(g->sync + (j < g->n ? SMP_ARRIVE(j) : SMP_VMM_ARRIVE)) < round) {
			if (counter() > end) {
				g->r.failures++;
				g->r.timeouts++;
				return;
			}
			__asm__ volatile("yield" ::: "memory");
		}
}

static void smp_expect(struct smp_guest *g, bool ok, unsigned k)
{
	if (ok)
		return;
	if (!g->r.failures++)
		g->r.first_bad = k + 1;
}

static void own(struct smp_guest *g, const struct smp_plan *p)
{
	for (unsigned k = g->idx; k < p->own_end; k += g->n) {
		uint64_t a = page_ipa(g, k) + SMP_SLOT(g->idx);

		if ((k / g->n) % 2)
			smp_expect(g, mmio_r64(a) == 0, k);
		mmio_w64(a, smp_pattern(g->idx, k));
	}
}

/* The i-th shared page this vCPU visits. */
static unsigned shared_page(const struct smp_guest *g, const struct smp_plan *p, unsigned i)
{
	unsigned len = p->shared_end - p->own_end, half = len / 2;

	if (i < half || !(g->idx & 1))
		return p->own_end + i;
	return p->own_end + half + (len - 1 - i);
}

static void shared(struct smp_guest *g, const struct smp_plan *p)
{
	unsigned len = p->shared_end - p->own_end;

	for (unsigned i = 0; i < len; i++) {
		unsigned k = shared_page(g, p, i);
		uint64_t a = page_ipa(g, k) + SMP_SLOT(g->idx);

		if (i < len / 2)
			barrier(g, false);   /* lockstep: all at page k at once */
		if (!(k % 2))
			smp_expect(g, mmio_r64(a) == 0, k);
		mmio_w64(a, smp_pattern(g->idx, k));
	}
	for (unsigned k = p->shared_end; k < p->ro_end; k++) {
		barrier(g, false);   /* lockstep again */
		smp_expect(g, mmio_r64(page_ipa(g, k)) == 0 &&
			  mmio_r64(page_ipa(g, k) + SMP_SLOT(g->idx)) == 0, k);
	}
	/* movz x0, #ret; ret */
	for (unsigned k = p->ro_end; k < p->exec_end; k++) {
		uint64_t a = page_ipa(g, k) + SMP_SLOT(g->idx);

		mmio_w32(a, 0xd2800000u | smp_ret(g->idx, k) << 5);
		mmio_w32(a + 4, 0xd65f03c0u);
	}
}

static void verify(struct smp_guest *g, const struct smp_plan *p)
{
	for (unsigned k = g->idx; k < p->own_end; k += g->n)
		smp_expect(g, mmio_r64(page_ipa(g, k) + SMP_SLOT(g->idx)) == smp_pattern(g->idx, k), k);
	for (unsigned k = p->own_end; k < p->shared_end; k++)
		for (unsigned j = 0; j < g->n; j++)
			smp_expect(g, mmio_r64(page_ipa(g, k) + SMP_SLOT(j)) == smp_pattern(j, k), k);
	for (unsigned k = p->shared_end; k < p->ro_end; k++)
		smp_expect(g, mmio_r64(page_ipa(g, k) + SMP_SLOT(g->idx)) == 0, k);
	/* The functions were stored as data: make the instruction side see
	   them (Arm ARM, "Concurrent modification and execution of
	   instructions"). */
	__asm__ volatile("dsb ish; ic iallu; dsb ish; isb" ::: "memory");
	for (unsigned k = p->ro_end; k < p->exec_end; k++)
		for (unsigned j = 0; j < g->n; j++) {
			unsigned (*f)(void) = (unsigned (*)(void))(page_ipa(g, k) + SMP_SLOT(j));
			unsigned r = f();

			smp_expect(g, r == smp_ret(j, k), k);
			g->r.calls += r == smp_ret(j, k);
		}
}

void smp_guest_main(uint64_t ram, uint64_t ram_size, uint64_t page, uint64_t idx, uint64_t n,
		    uint64_t flags)
{
	struct smp_guest g = {
		.ram = ram, .page = page, .arena = ram + GUEST_ARENA, .sync = ram + GUEST_SMP_SYNC,
		.idx = (unsigned)idx, .n = (unsigned)n, .flags = flags,
		.npages = (unsigned)((ram_size - GUEST_ARENA) / page),
	};
	struct smp_plan p = smp_plan(g.npages);
	uint64_t res = g.sync + SMP_RESULT(g.idx);

	/* A trapped access nothing emulates, on whichever CPU this vCPU
	   runs: UNDEFINED at EL1 (EC 0, IL), from EL1h, at the instruction. */
	struct undef_rec u = { 0 };
	undef_take(&u, 0);
	g.r.undefs = u.esr == 1ULL << 25 && u.elr == u.pc && u.vec == 0x200 &&
		     (u.spsr & 0xf) == 0x5 && (u.in & 0x3c0) == 0x3c0;
	barrier(&g, false);
	own(&g, &p);
	barrier(&g, false);
	shared(&g, &p);
	barrier(&g, true);
	verify(&g, &p);
	mmio_w64(res + 8, g.r.failures);
	mmio_w64(res + 16, g.r.first_bad);
	mmio_w64(res + 24, g.r.calls);
	mmio_w64(res + 32, g.r.timeouts);
	mmio_w64(res + 40, g.r.undefs);
	mmio_w64(res, SMP_DONE);
	for (;;)
		__asm__ volatile("wfi" ::: "memory");
}
