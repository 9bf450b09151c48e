/* SPDX-License-Identifier: MIT */
/*
 * GICv3 register layout (Arm GIC architecture specification, IHI 0069,
 * chapter 12 "Programmers' model"), shared by the driver of the physical
 * GIC (irq.c) and the emulated one the guests see (vgic_mmio.c), and the
 * virtualization interface's system registers (ICH_*_EL2, 12.4).
 */
#ifndef HYP_GICV3_H
#define HYP_GICV3_H

#include <stdint.h>

/* INTID ranges. */
#define GIC_NR_SGIS        16
#define GIC_NR_PRIVATE     32          /* SGIs and PPIs */
#define GIC_LPI_BASE       8192
#define GIC_SPURIOUS       1023

/* Distributor (GICD_*), offsets in its 64 KiB frame. */
#define GICD_CTLR          0x0000
#define GICD_TYPER         0x0004
#define GICD_IIDR          0x0008
#define GICD_TYPER2        0x000c
#define GICD_STATUSR       0x0010
#define GICD_IGROUPR       0x0080
#define GICD_ISENABLER     0x0100
#define GICD_ICENABLER     0x0180
#define GICD_ISPENDR       0x0200
#define GICD_ICPENDR       0x0280
#define GICD_ISACTIVER     0x0300
#define GICD_ICACTIVER     0x0380
#define GICD_IPRIORITYR    0x0400
#define GICD_ICFGR         0x0c00
#define GICD_IROUTER       0x6000
#define GICD_PIDR2         0xffe8
#define GICD_CTLR_GRP0     (1u << 0)
#define GICD_CTLR_GRP1     (1u << 1)    /* EnableGrp1 (one security state) */
#define GICD_CTLR_ARE      (1u << 4)
#define GICD_CTLR_DS       (1u << 6)
#define GICD_CTLR_RWP      (1u << 31)
#define GICD_IROUTER_IRM   (1ULL << 31)
/* PIDR2.ArchRev [7:4] = 3 (GICv3); [3:0] the JEDEC bits of an Arm part. */
#define GIC_PIDR2_V3       0x3b

/* Redistributor: RD_base frame, then SGI_base frame 64 KiB above it. */
#define GICR_FRAME         0x10000
#define GICR_SIZE          (2 * GICR_FRAME)
#define GICR_CTLR          0x0000
#define GICR_IIDR          0x0004
#define GICR_TYPER         0x0008
#define GICR_STATUSR       0x0010
#define GICR_WAKER         0x0014
#define GICR_PROPBASER     0x0070
#define GICR_PENDBASER     0x0078
#define GICR_PIDR2         0xffe8
#define GICR_CTLR_ENABLE_LPIS (1u << 0)
#define GICR_TYPER_PLPIS   (1ULL << 0)
#define GICR_TYPER_LAST    (1ULL << 4)
#define GICR_WAKER_PSLEEP  (1u << 1)
#define GICR_WAKER_CASLEEP (1u << 2)
/* In the SGI_base frame (offsets from it). */
#define GICR_IGROUPR0      0x0080
#define GICR_ISENABLER0    0x0100
#define GICR_ICENABLER0    0x0180
#define GICR_ISPENDR0      0x0200
#define GICR_ICPENDR0      0x0280
#define GICR_ISACTIVER0    0x0300
#define GICR_ICACTIVER0    0x0380
#define GICR_IPRIORITYR0   0x0400
#define GICR_ICFGR0        0x0c00

/* ICH_HCR_EL2. */
#define ICH_HCR_EN         (1ULL << 0)
#define ICH_HCR_UIE        (1ULL << 1)
/* ICH_MISR_EL2. */
#define ICH_MISR_EOI       (1ULL << 0)
#define ICH_MISR_U         (1ULL << 1)
/* ICH_VTR_EL2: ListRegs [4:0] (count - 1), PREbits [28:26], PRIbits [31:29]
   (each the number of bits - 1). */
#define ICH_VTR_LISTREGS(v) ((unsigned)((v) & 0x1f) + 1)
#define ICH_VTR_PREBITS(v)  ((unsigned)(((v) >> 26) & 7) + 1)
#define ICH_VTR_PRIBITS(v)  ((unsigned)(((v) >> 29) & 7) + 1)
/* ICH_VMCR_EL2: VENG1 [1], VBPR1 [20:18], VBPR0 [23:21], VPMR [31:24]. */
#define ICH_VMCR_VENG1     (1ULL << 1)
#define ICH_VMCR_VBPR1_SHIFT 18
#define ICH_VMCR_VBPR0_SHIFT 21
#define ICH_VMCR_VPMR_SHIFT  24
/* ICH_LR<n>_EL2: vINTID [31:0], EOI [41] (maintenance on deactivation of
   a software interrupt), Priority [55:48], Group [60], HW [61],
   State [63:62]. */
#define ICH_LR_EOI         (1ULL << 41)
#define ICH_LR_PRIO_SHIFT  48
#define ICH_LR_GROUP       (1ULL << 60)
#define ICH_LR_PENDING     (1ULL << 62)
#define ICH_LR_ACTIVE      (1ULL << 63)
#define ICH_LR_STATE       (ICH_LR_PENDING | ICH_LR_ACTIVE)
#define ICH_LR_INTID(lr)   ((uint32_t)(lr))
#define ICH_MAX_LRS        16

/* ICC_SGI1R_EL1 (and SGI0R/ASGI1R) fields: TargetList [15:0], Aff1 [23:16],
   INTID [27:24], Aff2 [39:32], IRM [40], RS [47:44], Aff3 [55:48]. */
#define ICC_SGIR_INTID(v)  ((unsigned)((v) >> 24) & 0xf)
#define ICC_SGIR_IRM       (1ULL << 40)

/* PPIs of QEMU's virt machine (its device tree's timer and GIC nodes). */
#define INTID_MAINT        25          /* the GIC's maintenance interrupt */
#define INTID_HYP_TIMER    26          /* EL2 physical timer */
#define INTID_VTIMER       27          /* EL1 virtual timer */

#endif
