/* SPDX-License-Identifier: MIT */
/*
 * xorshift64*: random IPAs generated inline, so the lookup loops do not
 * stream an address array through the caches they are measuring.
 */
#ifndef BENCH_RNG_H
#define BENCH_RNG_H

#include <stdint.h>

static inline uint64_t bench_rng(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1Dull;
}

#endif
