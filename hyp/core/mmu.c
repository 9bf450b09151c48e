/* SPDX-License-Identifier: MIT */
/*
 * EL2 stage 1: a 4K-granule, 32-bit identity map made of four 1 GiB
 * level-1 blocks (Arm ARM, "Translation table descriptor formats").
 * 0-1 GiB holds the virt machine's devices (GIC, PL011): Device-nGnRE,
 * execute-never. 1-2 GiB is RAM: Normal write-back, inner shareable, so
 * the hypervisor runs with caches on as a real one would. Stage-2 tables
 * are built in this cacheable memory; the stage-2 walker is coherent with
 * it because VTCR_EL2 says IRGN0/ORGN0 write-back and SH0 inner.
 *
 * This is the hypervisor's own map, not stage-2 code: four constant
 * descriptors, no allocation.
 */
#include "mmu.h"
#include "sysreg.h"

#define MAIR_DEVICE_IDX 0
#define MAIR_NORMAL_IDX 1
/* MAIR attr0 = Device-nGnRE (0x04), attr1 = Normal WB RW-allocate (0xff). */
#define MAIR_VALUE ((0x04ULL << (8 * MAIR_DEVICE_IDX)) | (0xffULL << (8 * MAIR_NORMAL_IDX)))

#define DESC_BLOCK   0x1ULL
#define DESC_ATTR(i) ((uint64_t)(i) << 2)
#define DESC_SH_INNER (3ULL << 8)
#define DESC_AF      (1ULL << 10)
#define DESC_XN      (1ULL << 54)

/* TCR_EL2 (non-VHE): T0SZ=32 (4 GiB, start level 1 with 4K), IRGN0/ORGN0
   write-back write-allocate, SH0 inner, TG0 4K, PS 40 bits; bits 23 and
   31 are RES1. */
#define TCR_VALUE (32ULL | (1ULL << 8) | (1ULL << 10) | (3ULL << 12) | \
		   (2ULL << 16) | (1ULL << 23) | (1ULL << 31))

/* SCTLR_EL2 RES1 bits (4, 5, 11, 16, 18, 22, 23, 28, 29) plus M (MMU),
   C (data cache), SA (SP alignment check), I (instruction cache). */
#define SCTLR_RES1 0x30c50830ULL
#define SCTLR_M  (1ULL << 0)
#define SCTLR_C  (1ULL << 2)
#define SCTLR_SA (1ULL << 3)
#define SCTLR_I  (1ULL << 12)

static uint64_t l1_table[512] __attribute__((aligned(4096)));

void mmu_init(void)
{
	l1_table[0] = 0x00000000ULL | DESC_BLOCK | DESC_ATTR(MAIR_DEVICE_IDX) | DESC_AF | DESC_XN;
	l1_table[1] = RAM_BASE | DESC_BLOCK | DESC_ATTR(MAIR_NORMAL_IDX) | DESC_SH_INNER | DESC_AF;

	mmu_enable();
}

/* Every CPU: the shared identity map, caches on. */
void mmu_enable(void)
{
	write_sysreg(MAIR_VALUE, mair_el2);
	write_sysreg(TCR_VALUE, tcr_el2);
	write_sysreg((uint64_t)l1_table, ttbr0_el2);
	/* The table was written with the MMU off (Device, uncached), so
	   the walker sees it; drop any stale EL2 TLB entries from reset
	   (this CPU's only: the others start with the MMU off). */
	dsb_sy();
	__asm__ volatile("tlbi alle2" ::: "memory");
	dsb_sy();
	isb();
	write_sysreg(SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I, sctlr_el2);
	isb();
}
