/* SPDX-License-Identifier: MIT */
/*
 * Interrupts at EL2: the GICv3 of QEMU's virt machine and the EL2
 * physical timer, used to preempt guests so they can share the CPU (and a
 * guest that never exits can be stopped).
 */
#ifndef HYP_IRQ_H
#define HYP_IRQ_H

#include <stdint.h>

/* PPI 10 on the virt machine: the non-secure EL2 physical timer. */
#define INTID_HYP_TIMER 26

void irq_init(void);
/* Acknowledge the highest-priority pending interrupt; its INTID. */
unsigned irq_ack(void);
void irq_eoi(unsigned intid);

/* Fire INTID_HYP_TIMER after @us microseconds; stop it. */
void timer_arm_us(uint64_t us);
void timer_disarm(void);

#endif
