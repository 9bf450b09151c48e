/* SPDX-License-Identifier: MIT */
/*
 * The guest's side of a GICv3 (Arm IHI 0069): enable the distributor,
 * wake a redistributor, enable a PPI, take interrupts by polling
 * ICC_IAR1_EL1 (which acknowledges whatever the CPU interface has
 * pending whatever PSTATE.I says), and an ITS driven through its
 * command queue.
 */
#ifndef GUEST_GICV3_H
#define GUEST_GICV3_H

#include <stdbool.h>
#include <stdint.h>

#define INTID_SPURIOUS 1023
#define LPI_BASE       8192

struct gic {
	uint64_t gicd, gicr, its;
};

/* Read the GIC's frames from the device tree; false if absent. */
bool gic_find(const void *fdt, struct gic *g);
/* Distributor on (affinity routing, group 1), redistributor @cpu awake,
   CPU interface on with every priority unmasked. */
void gic_init_cpu(const struct gic *g, unsigned cpu);
void gic_enable_ppi(const struct gic *g, unsigned cpu, unsigned intid);
/* Acknowledge the highest pending interrupt, waiting up to @ms; returns
   its INTID (EOI done) or INTID_SPURIOUS. */
unsigned gic_ack(unsigned ms);

/*
 * its_setup() - LPIs for redistributor @cpu (1 << 14 INTIDs: property and
 * pending tables) and the ITS's device, collection and command tables.
 * Return: false (printed) when the GIC has no LPIs or the ITS refuses.
 */
bool its_setup(const struct gic *g, unsigned cpu);
/* Map (@dev, @event) to LPI @intid on collection 0 (redistributor @cpu). */
bool its_map(const struct gic *g, unsigned cpu, uint32_t dev, uint32_t event, uint32_t intid);
/* The same in two steps, for several events of one device: MAPD (16
   events) and MAPC, then MAPTI and SYNC for each event. */
bool its_map_device(const struct gic *g, unsigned cpu, uint32_t dev);
bool its_map_event(const struct gic *g, unsigned cpu, uint32_t dev, uint32_t event, uint32_t intid);
/* GITS_TRANSLATER's address: where a device's MSI writes its event. */
uint64_t its_translater(const struct gic *g);
/* The ITS INT command: what a device's MSI write would do. */
bool its_int(const struct gic *g, uint32_t dev, uint32_t event);

#endif
