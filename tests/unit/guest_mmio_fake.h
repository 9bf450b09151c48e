/* SPDX-License-Identifier: MIT */
/*
 * The host fake of the guest's MMIO accessors (hyp/guest/mmio.h), forced
 * into a host build of a guest driver with -include: it takes that
 * header's include guard, so the driver's own #include "mmio.h" adds
 * nothing, and its accesses go to functions the test defines.
 */
#ifndef GUEST_MMIO_H
#define GUEST_MMIO_H

#include <stdint.h>

void mmio_w64(uint64_t a, uint64_t v);
void mmio_w32(uint64_t a, uint32_t v);
uint64_t mmio_r64(uint64_t a);
uint64_t mmio_r32(uint64_t a);

#define guest_dsb() __asm__ volatile("" ::: "memory")

#endif
