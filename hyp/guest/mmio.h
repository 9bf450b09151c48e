/* SPDX-License-Identifier: MIT */
/*
 * Test-device accesses. Each is one aligned load or store with a plain
 * base register and no writeback, so a stage-2 abort on it carries a
 * full syndrome (ESR_EL2.ISV=1: size, sign extension, register). The
 * compiler is kept from merging or splitting them (no ldp/stp).
 */
#ifndef GUEST_MMIO_H
#define GUEST_MMIO_H

#include <stdint.h>

static inline void mmio_w64(uint64_t a, uint64_t v)
{
	__asm__ volatile("str %x0, [%1]" :: "rZ"(v), "r"(a) : "memory");
}

static inline void mmio_w32(uint64_t a, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" :: "rZ"(v), "r"(a) : "memory");
}

static inline void mmio_w8(uint64_t a, uint8_t v)
{
	__asm__ volatile("strb %w0, [%1]" :: "rZ"(v), "r"(a) : "memory");
}

static inline uint64_t mmio_r64(uint64_t a)
{
	uint64_t v;
	__asm__ volatile("ldr %x0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline uint64_t mmio_r32(uint64_t a)
{
	uint64_t v;
	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline uint64_t mmio_r16(uint64_t a)
{
	uint64_t v;
	__asm__ volatile("ldrh %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline uint64_t mmio_r8(uint64_t a)
{
	uint64_t v;
	__asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

/* Sign-extending loads to 64 bits (SSE=1, SF=1). */
static inline int64_t mmio_rs32(uint64_t a)
{
	int64_t v;
	__asm__ volatile("ldrsw %x0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline int64_t mmio_rs16(uint64_t a)
{
	int64_t v;
	__asm__ volatile("ldrsh %x0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline int64_t mmio_rs8(uint64_t a)
{
	int64_t v;
	__asm__ volatile("ldrsb %x0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

/* Sign-extending to 32 bits (SSE=1, SF=0): the upper half is zero. */
static inline uint64_t mmio_rs8w(uint64_t a)
{
	uint64_t v;
	__asm__ volatile("ldrsb %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

#endif
