/* SPDX-License-Identifier: MIT */
/* System register access and barriers for EL2 code. */
#ifndef HYP_SYSREG_H
#define HYP_SYSREG_H

#include <stdint.h>

#define read_sysreg(r) ({ uint64_t __v; __asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(v, r) __asm__ volatile("msr " #r ", %0" :: "r"((uint64_t)(v)) : "memory")

static inline void isb(void) { __asm__ volatile("isb" ::: "memory"); }
static inline void dsb_ish(void) { __asm__ volatile("dsb ish" ::: "memory"); }
static inline void dsb_ishst(void) { __asm__ volatile("dsb ishst" ::: "memory"); }
static inline void dsb_sy(void) { __asm__ volatile("dsb sy" ::: "memory"); }

/* HCR_EL2 (Arm ARM, HCR_EL2): VM enables stage 2, SWIO makes set/way
   invalidation clean too, FMO/IMO/AMO route physical interrupts here,
   DC makes a disabled stage 1 behave as Normal WB, TWI/TWE trap WFI/WFE,
   TSC traps SMC, RW makes EL1 AArch64. */
#define HCR_VM   (1ULL << 0)
#define HCR_SWIO (1ULL << 1)
#define HCR_FMO  (1ULL << 3)
#define HCR_IMO  (1ULL << 4)
#define HCR_AMO  (1ULL << 5)
#define HCR_DC   (1ULL << 12)
#define HCR_TWI  (1ULL << 13)
#define HCR_TWE  (1ULL << 14)
#define HCR_TSC  (1ULL << 19)
#define HCR_RW   (1ULL << 31)

/* MDCR_EL2 (Arm ARM, MDCR_EL2): HPMN the event counters EL1 may use,
   TPMCR traps PMCR_EL0, TPM every Performance Monitors register from
   EL0 and EL1. */
#define MDCR_HPMN  0x1fULL
#define MDCR_TPMCR (1ULL << 5)
#define MDCR_TPM   (1ULL << 6)

#endif
