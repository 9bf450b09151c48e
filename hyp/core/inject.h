/* SPDX-License-Identifier: MIT */
/*
 * Exceptions the hypervisor makes a guest's EL1 take in place of an
 * instruction that trapped to EL2, as Linux's kvm_inject_undefined()
 * (arch/arm64/kvm/inject_fault.c) does with enter_exception64()
 * (arch/arm64/kvm/hyp/exception.c).
 */
#ifndef HYP_INJECT_H
#define HYP_INJECT_H

#include <stdint.h>
#include "frame.h"

/*
 * inject_undef() - make the instruction at @g->elr UNDEFINED for the
 * guest: an exception to EL1 with ESR_EL1.EC 0 (unknown reason) and IL
 * from @esr_el2 (the trapped instruction's length), ELR_EL1 that
 * instruction, SPSR_EL1 the guest's PSTATE (@g->spsr); the guest resumes
 * at its EL1 vector for the mode it was in, in EL1h with DAIF masked.
 * @g:       the guest's registers as its exit saved them; elr and spsr
 *           are rewritten
 * @esr_el2: ESR_EL2 of the trap
 * The guest's EL1 system registers must be the ones loaded on this CPU
 * (between vm_load() and vm_put(), or inside vcpu_run()): it reads
 * SCTLR_EL1 and VBAR_EL1 and writes ESR_EL1, ELR_EL1 and SPSR_EL1.
 * No TLB maintenance.
 */
void inject_undef(struct gregs *g, uint64_t esr_el2);

#endif
