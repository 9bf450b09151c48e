/* SPDX-License-Identifier: MIT */
/*
 * Everything `s2vmm run` decides before it touches KVM: the layout, the
 * kernel and initrd read and placed, the command line and the device
 * tree. Bad input is refused here, on any machine, KVM or not.
 */
#ifndef VMM_PLAN_H
#define VMM_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "devtree.h"
#include "layout.h"
#include "loader.h"
#include "opts.h"

/* arm64 Linux's COMMAND_LINE_SIZE (asm/setup.h), its NUL included:
   Linux cuts a longer bootargs without a word. */
#define VMM_CMDLINE_MAX 2048

/* The IPA limit checked against before KVM says what it allows: the
   largest any arm64 KVM can have. */
#define VMM_PLAN_IPA_LIMIT 52

struct vmm_plan {
	bool pmu;                  /* a PMU node in the device tree */
	struct vmm_layout layout;
	struct vmm_boot boot;
	char bootargs[VMM_CMDLINE_MAX];
	uint8_t fdt[VMM_FDT_MAX];
};

/*
 * vmm_plan_inputs() - check @c and read its files without KVM: the
 * layout against --ipa-limit or, without it, VMM_PLAN_IPA_LIMIT; what
 * KVM decides is taken as asked (-c by default: the online CPUs; the
 * default irqchip: no ITS; --pmu and stolen time as given).
 * Return: 0, or the exit status (2 bad input, 1 failure) with the
 * message printed and nothing left allocated.
 */
int vmm_plan_inputs(const struct vmm_config *c, struct vmm_plan *p);

/*
 * vmm_plan_layout() - the layout for a KVM whose IPA limit is @limit
 * (@has_cap false: no KVM_CAP_ARM_VM_IPA_SIZE, so one 40-bit VM type),
 * the boot images placed in it and the device tree built. The files
 * must have been read by vmm_plan_inputs(); @c's host defaults (-c,
 * --irqchip) resolved and @p->pmu set.
 * Return: 0, or the exit status with the message printed.
 */
int vmm_plan_layout(const struct vmm_config *c, unsigned limit, bool has_cap,
		    struct vmm_plan *p);

/* --print-layout and --dtb-out. Return: 0, or 1 with the message printed. */
int vmm_plan_output(const struct vmm_config *c, const struct vmm_plan *p);

/* Free the files vmm_plan_inputs() read. */
void vmm_plan_free(struct vmm_plan *p);

#endif
