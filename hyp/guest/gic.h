/* SPDX-License-Identifier: MIT */
/*
 * The guest's side of the interrupt controller: a GICv3 driver for the
 * distributor, the redistributor and the CPU interface (system
 * registers), its interrupt handler, and the interrupt test.
 */
#ifndef GUEST_GIC_H
#define GUEST_GIC_H

#include <stdint.h>
#include "proto.h"

struct genv;

struct gic {
	uint64_t gicd, gicr, sgi;     /* frame IPAs */
	uint64_t dev;                 /* the test device, for level inputs */
	uint32_t level_lower_at;      /* lower PROTO_SPI_LEVEL at this count */
	struct proto_gic seen;        /* what the handler saw */
	uint64_t timer_cval;          /* the deadline last programmed */
	unsigned burst;               /* recording the SGI burst's order */
};

/* Bring up the distributor, redistributor and CPU interface at @base;
   checks the identification registers (failures through @g). */
void gic_init(struct genv *g, struct gic *c, uint64_t base);

/* The interrupt test: SGIs, the virtual timer, SPIs; then reports. */
void gic_test(struct genv *g, struct gic *c);

/* The IRQ exception handler's body: acknowledge and count until none. */
void gic_handle(struct gic *c);

#endif
