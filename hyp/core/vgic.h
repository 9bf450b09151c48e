/* SPDX-License-Identifier: MIT */
/*
 * The virtual GICv3 of a VM with one vCPU, through the GIC's
 * virtualization interface (IHI 0069, chapter 6 "Virtual interrupt
 * handling"): the hypervisor emulates the distributor and redistributor
 * (vgic_mmio.c) and presents pending interrupts to the vCPU in the list
 * registers (ICH_LR<n>_EL2); the vCPU acknowledges and completes them
 * itself through the ICV_* registers, without trapping.
 *
 * Interrupts: SGIs (the vCPU's ICC_SGI1R_EL1 writes trap to EL2), PPI 27
 * for the EL1 virtual timer (level: it follows CNTV_CTL_EL0.ISTATUS of
 * the VM's own timer, saved and restored with the VM), SPIs 32..
 * (VGIC_NR_IRQS - 1) from emulated devices, and LPIs from the VM's ITS
 * (vits.c, wired in by vgic_its.c).
 *
 * List registers are the VM's: saved and restored on every switch with
 * ICH_VMCR_EL2 and the active-priority registers. When more interrupts
 * are pending than there are list registers, ICH_HCR_EL2.UIE asks for the
 * underflow maintenance interrupt, taken when at most one list register
 * is still in use, and the rest are put in then.
 */
#ifndef HYP_VGIC_H
#define HYP_VGIC_H

#include <stdbool.h>
#include <stdint.h>
#include <s2/err.h>
#include "gicv3.h"
#include "vits.h"

struct vm;

/* Frames at the top of the IPA space: VM_GIC_TOP below the end, 64 KiB
   aligned for every granule. The ITS frame is reserved for vits. */
#define VM_GIC_TOP       0x300000ULL
#define VGIC_GICD_OFF    0x00000ULL
#define VGIC_GICR_OFF    0x20000ULL
#define VGIC_GITS_OFF    0x40000ULL
/* The DeviceID of MSIs the vCPU writes to GITS_TRANSLATER itself. */
#define VGIC_ITS_CPU_DEVID 0x10
#define VGIC_NR_SPIS     64
#define VGIC_NR_IRQS     (GIC_NR_PRIVATE + VGIC_NR_SPIS)
/* LPIs queued for the list registers at once. */
#define VGIC_LPI_QUEUE   64

struct vgic_irq {
	uint8_t priority;
	bool group1, enabled, edge;
	bool latch;               /* pending, set by a device or the guest */
	bool line;                /* a level-sensitive input's level */
	bool active;              /* active while not in a list register */
	int8_t lr;                /* list register holding it, or -1 */
	bool lr_latched;          /* it went there with its latch set */
	uint64_t route;           /* GICD_IROUTER (SPIs) */
};

struct vgic_stats {
	uint64_t sgis, spis, vtimer, lpis;     /* acknowledged by the vCPU */
	uint64_t maint, underflows, eois;      /* maintenance interrupts */
	uint64_t overflows;       /* entries with more pending than LRs */
	uint64_t lpi_dropped;     /* LPIs lost to a full queue */
	uint64_t bad_mmio;        /* RAZ/WI accesses to unknown registers */
};

struct vgic {
	uint64_t base;            /* IPA of the frames */
	struct vgic_irq irq[VGIC_NR_IRQS];
	uint32_t gicd_ctlr, gicr_waker;
	/* The virtual CPU interface, as saved. */
	uint64_t lr[ICH_MAX_LRS];
	uint64_t vmcr, ap0r[4], ap1r[4];
	/* LPIs pending but not yet in a list register. */
	struct { uint32_t intid; uint8_t priority; } lpiq[VGIC_LPI_QUEUE];
	unsigned nr_lpiq;
	uint64_t misr;            /* ICH_MISR_EL2 at the last exit */
	struct vits its;
	struct vgic_stats st;
};

/* Read the virtualization interface's limits (ICH_VTR_EL2); once. */
void vgic_probe(void);
/* The number of list registers the CPU implements. */
unsigned vgic_nr_lrs(void);
/* The priority bits the virtual interface implements (ICH_VTR_EL2.PRIbits). */
uint8_t vgic_prio_mask(void);

/**
 * vgic_init() - reset state for @vm and register its GICD and GICR frames
 * with the VM's MMIO emulation.
 * Return: 0, or vm_mmio_register()'s error (message in @d).
 */
int vgic_init(struct vm *vm, struct s2_diag *d);

/* Reset the distributor and redistributor and register their frames
   with the VM's MMIO emulation (vgic_mmio.c). Return: as vgic_init(). */
int vgic_mmio_init(struct vm *vm, struct s2_diag *d);

/* The ITS (vgic_its.c): its frame registered with the VM's MMIO; the
   redistributor's LPI registers (true if @off is one); an MSI from an
   emulated device (vits_signal()'s result); an LPI the vCPU took. */
int vgic_its_init(struct vm *vm, struct s2_diag *d);
bool vgic_its_gicr(struct vm *vm, uint64_t off, bool write, uint64_t *val, unsigned len);
int vgic_its_signal(struct vm *vm, uint32_t devid, uint32_t eventid);
void vgic_lpi_taken(struct vm *vm, uint32_t intid);

/* World switch: restore or save the virtual CPU interface and the
   virtual timer (vtimer.c). */
void vgic_load(struct vm *vm);
void vgic_put(struct vm *vm);

/* Around each guest entry: fill the list registers; read them back. */
void vgic_flush(struct vm *vm);
void vgic_sync(struct vm *vm);

/**
 * vgic_set_level() - drive SPI @intid's input: for an edge-triggered SPI
 * a rising edge makes it pending; for a level one it is pending while high.
 * Return: 0, or S2_EINVAL for an INTID that is not one of the VM's SPIs.
 */
int vgic_set_level(struct vm *vm, uint32_t intid, bool level);

/**
 * vgic_queue_lpi() - LPI @intid with @priority became pending: it goes to
 * a list register at the next entry. Already queued: nothing changes.
 */
void vgic_queue_lpi(struct vm *vm, uint32_t intid, uint8_t priority);

/* LPI @intid is no longer pending: out of the queue and of any list
   register the vCPU has not taken it from. */
void vgic_drop_lpi(struct vm *vm, uint32_t intid);

/* A write to ICC_SGI1R_EL1/ICC_ASGI1R_EL1/ICC_SGI0R_EL1 trapped (ESR_EL2
   EC 0x18, @iss its syndrome). Return: false for any other register. */
bool vgic_sysreg(struct vm *vm, uint64_t iss);

/* True if an interrupt the vCPU can take is pending (WFI need not wait). */
bool vgic_pending(const struct vm *vm);

/* A physical interrupt for the virtual GIC arrived while @vm ran. */
void vgic_irq(struct vm *vm, unsigned intid);

#endif
