/* SPDX-License-Identifier: MIT */
/*
 * The EL1 virtual timer, per VM. Its output is high while CNTV_CTL_EL0
 * has ENABLE set, IMASK clear and ISTATUS set (Arm ARM, "The Generic
 * Timer: timer output signal"); the GIC sees it as PPI 27, level-
 * sensitive, as KVM's arch_timer emulation presents it to its vGIC.
 */
#include "irq.h"
#include "sysreg.h"
#include "vm.h"

#define CNTV_ENABLE  (1ULL << 0)
#define CNTV_IMASK   (1ULL << 1)
#define CNTV_ISTATUS (1ULL << 2)

/* Whether the physical PPI 27 is forwarded to this CPU now. */
static bool forwarded = true;

void vtimer_cpu_init(void)
{
	write_sysreg(0, cntvoff_el2);
	isb();
}

void vtimer_load(struct vm *vm)
{
	write_sysreg(vm->vtimer.cval, cntv_cval_el0);
	write_sysreg(vm->vtimer.ctl, cntv_ctl_el0);
	isb();
}

void vtimer_put(struct vm *vm)
{
	vm->vtimer.ctl = read_sysreg(cntv_ctl_el0);
	vm->vtimer.cval = read_sysreg(cntv_cval_el0);
	write_sysreg(0, cntv_ctl_el0);
	isb();
}

bool vtimer_sample(struct vm *vm)
{
	const uint64_t high = CNTV_ENABLE | CNTV_ISTATUS;
	bool level = (read_sysreg(cntv_ctl_el0) & (high | CNTV_IMASK)) == high;

	(void)vm;
	if (forwarded == level) {
		irq_ppi_enable(INTID_VTIMER, !level);
		forwarded = !level;
	}
	return level;
}

bool vtimer_armed(const struct vm *vm)
{
	(void)vm;
	return (read_sysreg(cntv_ctl_el0) & (CNTV_ENABLE | CNTV_IMASK)) == CNTV_ENABLE;
}
