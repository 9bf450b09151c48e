/* SPDX-License-Identifier: MIT */
/*
 * The contract between s2hyp and its guest image: entry registers, the
 * guest's RAM layout, the emulated test device's registers, and the
 * pseudo-random page choices both sides derive from a seed (so the
 * hypervisor knows, independently of the guest's report, which pages the
 * guest wrote or touched).
 */
#ifndef GUEST_PROTO_H
#define GUEST_PROTO_H

#include <stdint.h>

/* Entry: x0 RAM base IPA, x1 RAM size, x2 device base IPA, x3 IPA bits,
   x4 page size, x5 mode, x6 VM number, x7 base IPA of the interrupt
   controller's frames; SP = RAM base + STACK_TOP. */
enum guest_mode {
	MODE_NORMAL = 0,
	MODE_WILD_JUMP = 1,       /* branch into unmapped IPA space */
	MODE_PAST_IPA = 2,        /* unannounced load beyond the IPA size */
	MODE_SPIN = 3,            /* loop forever without exiting */
	MODE_BAD_ITS = 4,         /* passes, but programs its ITS wrongly too */
	MODE_SMP = 5,             /* one of several vCPUs (smp_proto.h): x6 is
				     the vCPU's index, x7 the number of vCPUs,
				     x2 flags (SMP_F_*) instead of a device */
};

/* RAM layout (offsets from the RAM base). */
#define GUEST_IMAGE_MAX  0x10000ULL   /* the image: one 64K page at most */
#define GUEST_STACK_TOP  0x20000ULL
#define GUEST_ITS_MEM    0x40000ULL   /* the ITS driver's tables, to the arena */
#define GUEST_ARENA      0x100000ULL  /* exercised memory, to the RAM end */

/* The interrupt controller's frames (offsets from the base in x7). */
#define GUEST_GICD       0x00000ULL
#define GUEST_GICR       0x20000ULL   /* RD_base, then SGI_base 64K above */
#define GUEST_GITS       0x40000ULL

/* Test device registers (64-bit unless noted; offsets from its base).
   Accesses must be single aligned loads/stores without writeback, so
   the abort syndrome describes them (ESR_EL2.ISV=1). */
#define DEV_ID       0x00   /* R: DEV_MAGIC */
#define DEV_CONSOLE  0x08   /* W: one character */
#define DEV_SCRATCH  0x10   /* W: value; R: its complement */
#define DEV_SEED     0x18   /* R: this VM's seed */
#define DEV_ARG      0x20   /* W: argument of the next command */
#define DEV_CMD      0x28   /* W: command; runs it */
#define DEV_RESULT   0x30   /* R: result of the last command */
#define DEV_PATTERN  0x38   /* R, any size: bytes 0x87 0x86 ... 0x80 (LE) */
#define DEV_HOSTPA   0x40   /* R: a host PA holding hypervisor code */
#define DEV_ARG2     0x48   /* W: second argument */
#define DEV_SIZE     0x10000

#define DEV_MAGIC    0x5332485950000001ULL
#define DEV_PATTERN_VALUE 0x8081828384858687ULL
#define PROBE_POISON 0xbad0bad0bad0bad0ULL

enum dev_cmd {
	CMD_PROBE = 1,       /* ARG = IPA the guest is about to access;
				RESULT afterwards: 1 faulted at EL2 (loads get
				PROBE_POISON), 2 taken by the guest's EL1 */
	CMD_DIRTY_START,     /* start dirty logging of the arena */
	CMD_DIRTY_ROUND,     /* ARG = round: harvest and compare */
	CMD_DIRTY_STOP,
	CMD_AGE_START,       /* ARG = round: mark the arena old */
	CMD_AGE_CHECK,       /* ARG = round: compare young pages */
	CMD_EL1_FAULT,       /* the guest's EL1 took an exception: ARG = ESR_EL1,
				ARG2 = FAR_EL1 */
	CMD_COLLAPSE,        /* logging and aging done: rebuild blocks;
				RESULT 1 if the hypervisor's checks passed */
	CMD_CHECKSUM,        /* ARG = sum of the first pass's values */
	CMD_FAIL,            /* ARG = guest-detected failure code */
	CMD_DONE,            /* ARG = number of failures the guest saw */
	CMD_SPI,             /* ARG = INTID: the device pulses that SPI's input
				(edge); RESULT 0, or 1 for an INTID it has not */
	CMD_GIC_REPORT,      /* ARG = IPA of the guest's struct proto_gic */
	CMD_SPI_LEVEL,       /* ARG = INTID | level << 16: the device drives
				that SPI's input; RESULT as CMD_SPI */
	CMD_MSI,             /* ARG = DeviceID << 32 | EventID: the device
				writes it to the ITS; RESULT 0 if the LPI is
				now pending, else why it was dropped (> 0) */
};

/* The interrupt test (guest/gic.c). SGI i has priority (15 - i) * 8, so
   the 16 sent at once must arrive as 15, 14, ... 0; SPIs PROTO_SPI_BASE..
   + PROTO_NR_SPIS - 1 are edge-triggered, and the device pulses each once,
   except PROTO_SPI_ELSEWHERE, routed to an absent PE (never delivered). */
#define PROTO_TIMER_TICKS   3
#define PROTO_SPI_BASE      32
#define PROTO_NR_SPIS       6
#define PROTO_SPI_DISABLED  (PROTO_SPI_BASE + 4)  /* raised while disabled */
#define PROTO_SPI_ELSEWHERE (PROTO_SPI_BASE + 5)  /* IROUTER Aff1 = 1 */
/* A level-sensitive SPI: the device holds its input high until the
   guest's handler lowers it, first at the first interrupt (one
   delivery), then at the second (the input still high after the first
   completion delivers it again): PROTO_SPI_LEVEL_TAKEN in all. */
#define PROTO_SPI_LEVEL     (PROTO_SPI_BASE + PROTO_NR_SPIS)
#define PROTO_SPI_LEVEL_TAKEN 3
/* Accesses of a size the register does not have (ignored, counted). */
#define PROTO_GIC_BAD_SIZES 3

/* Trapped accesses the hypervisor must make UNDEFINED in each guest
   (undef.c): PMCR_EL0 reads from EL1h and EL1t, with SCTLR_EL1.SPAN and
   DSSBS as they are and flipped; as many UDFs go with them. */
#define PROTO_UNDEFS 4

/* LPIs (guest/lpi.c): device d's event e is LPI PROTO_LPI(d, e). Device
   0 is the vCPU itself, writing GITS_TRANSLATER (the hypervisor gives
   those MSIs DeviceID PROTO_ITS_CPU_DEVID); the others' MSIs come from
   the test device (CMD_MSI), but for the last event of the last device,
   raised by an INT command. Each event is raised once. */
#define PROTO_ITS_CPU_DEVID 0x10
#define PROTO_ITS_NDEV      3
#define PROTO_ITS_NEV       8
#define PROTO_ITS_DEVID(d)  ((d) == 0 ? PROTO_ITS_CPU_DEVID : 0x100u * (d) + 0x21)
#define PROTO_LPI_BASE      8192
#define PROTO_LPI(d, e)     (PROTO_LPI_BASE + 16 * (d) + (e))
#define PROTO_NR_LPIS       (16 * PROTO_ITS_NDEV)

/* What the guest's interrupt handler saw; the hypervisor reads it from
   guest memory at CMD_GIC_REPORT. */
struct proto_gic {
	uint32_t sgi[16];           /* times each SGI was acknowledged */
	uint32_t order[16], norder; /* the burst's SGIs in arrival order */
	uint32_t vtimer;            /* virtual timer interrupts */
	uint32_t timer_early;       /* of which taken before CNTV_CVAL */
	uint32_t spi[PROTO_NR_SPIS];
	uint32_t spi_level;         /* PROTO_SPI_LEVEL interrupts */
	uint32_t lpi[PROTO_NR_LPIS]; /* LPI PROTO_LPI_BASE + i */
	int32_t its_status;         /* the ITS driver's result (0 ok) */
	int32_t its_stalls;         /* MODE_BAD_ITS: command stalls seen */
	uint32_t spurious;          /* IAR read 1023 on entry */
	uint32_t unexpected;        /* INTIDs nobody sent */
	uint32_t last_unexpected;
};

#define DIRTY_ROUNDS 4
#define AGE_ROUNDS   2

static inline uint64_t proto_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Pages chosen per round: a few dozen, never more than half the arena. */
static inline unsigned proto_picks(unsigned npages)
{
	return npages / 2 < 24 ? npages / 2 : 24;
}

/* The i-th page (index in the arena) written in dirty round @round, or
   read in aging round 0x100 + @round. */
static inline unsigned proto_page(uint64_t seed, unsigned round, unsigned i, unsigned npages)
{
	return (unsigned)(proto_mix(seed ^ ((uint64_t)round << 32) ^ i) % npages);
}

/* The value stored at offset 8 of a page written in a dirty round. */
static inline uint64_t proto_dirty_value(uint64_t seed, unsigned round, unsigned page)
{
	return proto_mix(seed + round * 0x10001ULL + page) | 1;
}

/* The value stored at offset 0 of every arena page by the first pass. */
static inline uint64_t proto_fill_value(uint64_t seed, unsigned page)
{
	return proto_mix(~seed ^ page);
}

#endif
