/* SPDX-License-Identifier: MIT */
/*
 * Physical CPUs. The boot CPU runs hyp_main(); the others are powered
 * off until smp_start() turns one on through PSCI CPU_ON (Arm DEN0022,
 * "PSCI"; QEMU's virt machine implements it itself, with the SMC conduit
 * when it starts the kernel at EL2). A started CPU gets its own EL2 stack
 * and the vectors, enables the shared EL2 stage 1 (mmu.c), its own GIC
 * redistributor and CPU interface (irq.c), and runs the function it was
 * given; when that returns it parks (WFE) until the next
 * smp_start(). Nothing else is per CPU here: the vCPU a CPU runs is the
 * caller's (vcpu.h), and the deferred-free state is defer.c's.
 */
#ifndef HYP_SMP_H
#define HYP_SMP_H

#include <stdbool.h>
#include <stdint.h>

#define NR_CPUS 8
#define SMP_STACK_SIZE 0x8000

/* PSCI return codes (DEN0022 5.2.2). */
#define PSCI_SUCCESS            0
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_ALREADY_ON         (-4)

enum cpu_state { CPU_OFF, CPU_STARTING, CPU_RUNNING, CPU_PARKED };

struct cpu {
	uint64_t stack_top;          /* first: boot.S loads SP from it */
	unsigned id;                 /* index in cpus[] */
	uint64_t mpidr;              /* MPIDR_EL1 affinity fields */
	uint64_t state;              /* enum cpu_state, atomically */
	uint64_t work;               /* bumped by smp_start() for a parked CPU */
	void (*fn)(void *arg);
	void *arg;
};

extern struct cpu cpus[NR_CPUS];

/* Record the boot CPU as cpus[0], running. */
void smp_init(void);

/* The CPU this code runs on (by MPIDR_EL1). */
struct cpu *this_cpu(void);

/*
 * smp_start() - run @fn(@arg) on CPU @id (1..NR_CPUS-1), powering it on
 * the first time. The CPU with @id is the one QEMU's virt machine gives
 * affinity Aff0 = @id.
 * Return: PSCI_SUCCESS; a PSCI error from CPU_ON (PSCI_INVALID_PARAMETERS:
 * no such CPU); PSCI_ALREADY_ON if it is busy running something else.
 */
int smp_start(unsigned id, void (*fn)(void *arg), void *arg);

/* True once CPU @id has returned from its function and parked. */
bool smp_parked(unsigned id);

#endif
