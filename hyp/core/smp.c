/* SPDX-License-Identifier: MIT */
/*
 * Secondary CPUs: PSCI CPU_ON (DEN0022 5.6) with the SMC conduit, which
 * QEMU's virt machine selects when it starts the kernel at EL2 without
 * firmware (its device tree's /psci node says method = "smc"). A CPU
 * turned on enters secondary_entry (boot.S) at EL2 with the MMU off and
 * x0 = the context ID, here its struct cpu.
 */
#include "atomic.h"
#include "irq.h"
#include "mmu.h"
#include "panic.h"
#include "smp.h"
#include "sysreg.h"

#define PSCI_CPU_ON_64 0xc4000003ULL

struct cpu cpus[NR_CPUS];
static uint8_t stacks[NR_CPUS][SMP_STACK_SIZE] __attribute__((aligned(16)));

extern char secondary_entry[];

static uint64_t affinity(uint64_t mpidr)
{
	return mpidr & 0xff00ffffffULL;
}

void smp_init(void)
{
	cpus[0].mpidr = affinity(read_sysreg(mpidr_el1));
	cpus[0].state = CPU_RUNNING;
	for (unsigned i = 0; i < NR_CPUS; i++)
		cpus[i].id = i;
}

struct cpu *this_cpu(void)
{
	uint64_t m = affinity(read_sysreg(mpidr_el1));

	for (unsigned i = 0; i < NR_CPUS; i++)
		if (cpus[i].mpidr == m && atomic_load(&cpus[i].state) != CPU_OFF)
			return &cpus[i];
	panic("this_cpu: MPIDR %#llx is no CPU started here", (unsigned long long)m);
}

static int64_t psci_smc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) :: "memory");
	return (int64_t)x0;
}

/* The CPU starts with its MMU and caches off: what it reads before it
   enables them must be in memory (the PoC), not only in our caches. */
static void clean_to_poc(const void *p, uint64_t size)
{
	for (uint64_t a = (uint64_t)p & ~63ULL; a < (uint64_t)p + size; a += 64)
		__asm__ volatile("dc cvac, %0" :: "r"(a) : "memory");
	dsb_sy();
}

/* C entry of a secondary CPU, on its own stack. */
void secondary_main(struct cpu *c);
void secondary_main(struct cpu *c)
{
	mmu_enable();
	irq_cpu_init();
	write_sysreg(HCR_RW, hcr_el2);
	write_sysreg(0, cntvoff_el2);
	isb();
	for (;;) {
		uint64_t work = atomic_load(&c->work);

		atomic_store(&c->state, CPU_RUNNING);
		c->fn(c->arg);
		atomic_store(&c->state, CPU_PARKED);
		__asm__ volatile("sev" ::: "memory");
		while (atomic_load(&c->work) == work)
			__asm__ volatile("wfe" ::: "memory");
	}
}

int smp_start(unsigned id, void (*fn)(void *arg), void *arg)
{
	struct cpu *c;
	int64_t rc;

	if (id == 0 || id >= NR_CPUS)
		return PSCI_INVALID_PARAMETERS;
	c = &cpus[id];
	switch (atomic_load(&c->state)) {
	case CPU_PARKED:
		c->fn = fn;
		c->arg = arg;
		atomic_store(&c->state, CPU_STARTING);
		atomic_add(&c->work, 1);
		dsb_sy();
		__asm__ volatile("sev" ::: "memory");
		return PSCI_SUCCESS;
	case CPU_OFF:
		break;
	default:
		return PSCI_ALREADY_ON;
	}
	/* QEMU's virt machine: Aff0 is the CPU's index within a cluster of
	   up to 16 (GICv3), Aff1 the cluster. */
	c->mpidr = ((uint64_t)(id / 16) << 8) | (id % 16);
	c->stack_top = (uint64_t)&stacks[id][SMP_STACK_SIZE];
	c->fn = fn;
	c->arg = arg;
	atomic_store(&c->state, CPU_STARTING);
	clean_to_poc(c, sizeof(*c));
	rc = psci_smc(PSCI_CPU_ON_64, c->mpidr, (uint64_t)secondary_entry, (uint64_t)c);
	if (rc != PSCI_SUCCESS)
		atomic_store(&c->state, CPU_OFF);
	return (int)rc;
}

bool smp_parked(unsigned id)
{
	return id < NR_CPUS && atomic_load(&cpus[id].state) == CPU_PARKED;
}
