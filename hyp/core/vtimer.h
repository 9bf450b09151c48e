/* SPDX-License-Identifier: MIT */
/*
 * The EL1 virtual timer (CNTV_*_EL0) of a VM: the guest programs it
 * directly, without trapping; the hypervisor keeps it with the VM across
 * switches and feeds its output, a level, to the virtual GIC as PPI 27.
 */
#ifndef HYP_VTIMER_H
#define HYP_VTIMER_H

#include <stdbool.h>
#include <stdint.h>

struct vm;

/* CNTV_CTL_EL0 and CNTV_CVAL_EL0 while the VM is not loaded. */
struct vtimer {
	uint64_t ctl, cval;
};

/* Once per CPU: the virtual counter is the physical one (CNTVOFF_EL2 0). */
void vtimer_cpu_init(void);
/* World switch: restore @vm's timer; save it and stop it (so the next VM
   does not get its interrupt). */
void vtimer_load(struct vm *vm);
void vtimer_put(struct vm *vm);
/**
 * vtimer_sample() - the timer output of the loaded @vm, for the virtual
 * GIC's PPI 27. While it is high the physical PPI is not forwarded (it
 * would bring the CPU back at once); while low it is, so the timer
 * firing during the guest's run exits to EL2.
 * Return: the level.
 */
bool vtimer_sample(struct vm *vm);
/* True if the loaded VM's timer is enabled and not masked. */
bool vtimer_armed(const struct vm *vm);

#endif
