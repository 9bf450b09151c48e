/* SPDX-License-Identifier: MIT */
/*
 * Interrupts at EL2: the GICv3 of QEMU's virt machine and the EL2
 * physical timer, used to preempt guests so they can share the CPU (and a
 * guest that never exits can be stopped); the GIC's maintenance interrupt
 * and the EL1 virtual timer's, which the virtual GIC (vgic.c) handles.
 */
#ifndef HYP_IRQ_H
#define HYP_IRQ_H

#include <stdbool.h>
#include <stdint.h>
#include "gicv3.h"

/* The distributor, then this (the boot) CPU's part. */
void irq_init(void);
/* This CPU's redistributor and CPU interface (each secondary CPU). */
void irq_cpu_init(void);
/* Acknowledge the highest-priority pending interrupt; its INTID. */
unsigned irq_ack(void);
void irq_eoi(unsigned intid);
/* Forward PPI @intid to this CPU or not (its GICR_ISENABLER0/ICENABLER0). */
void irq_ppi_enable(unsigned intid, bool on);

/* Fire INTID_HYP_TIMER after @us microseconds; stop it. */
void timer_arm_us(uint64_t us);
void timer_disarm(void);

#endif
