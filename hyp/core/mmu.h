/* SPDX-License-Identifier: MIT */
/* EL2 stage-1 translation: identity map with caches on. */
#ifndef HYP_MMU_H
#define HYP_MMU_H

#include <stdint.h>

/* Host RAM on QEMU's virt machine (-m 1G). */
#define RAM_BASE 0x40000000ULL
#define RAM_SIZE 0x40000000ULL

/* Build the map and enable it on the boot CPU. */
void mmu_init(void);
/* Enable the map built by mmu_init() on this CPU (secondaries). */
void mmu_enable(void);

/* True if [pa, pa+size) is host RAM (has a cacheable alias at EL2). */
static inline int pa_is_ram(uint64_t pa, uint64_t size)
{
	return pa >= RAM_BASE && size <= RAM_SIZE && pa - RAM_BASE <= RAM_SIZE - size;
}

#endif
