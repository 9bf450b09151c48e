/* SPDX-License-Identifier: MIT */
/* Sizes and addresses on the command line, kvmtool style, and back. */
#ifndef VMM_SIZE_H
#define VMM_SIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * vmm_parse_u64() - a whole number: decimal, or hex after "0x". Nothing
 * else: no blanks, no sign, no suffix.
 * Return: 0; -EINVAL if @s is not such a number; -ERANGE past 2^64 - 1.
 */
int vmm_parse_u64(const char *s, uint64_t *out);

/*
 * vmm_parse_size() - "512", "512M", "4G", "256T", "0x80000000".
 * Decimal numbers take a K/M/G/T/P suffix (either case) and default to
 * MiB, as kvmtool's -m does; 0x-prefixed numbers are bytes.
 * Return: 0, or -1 with a message in @err (names the text and why).
 */
int vmm_parse_size(const char *s, uint64_t *out, char *err, size_t errlen);

/* A RAM bank as given by -m SIZE[@ADDR]. */
struct vmm_bank_arg {
	uint64_t size;
	uint64_t addr;
	bool has_addr;
};

/* vmm_parse_bank() - "SIZE[@ADDR]". Return: 0, or -1 with @err. */
int vmm_parse_bank(const char *s, struct vmm_bank_arg *b, char *err, size_t errlen);

/*
 * vmm_fmt_size() - "4096 GiB", "1.5 GiB", "16 TiB", "17 bytes": the
 * largest binary unit up to GiB, larger units only from 10000 of the
 * unit below; one decimal when the number is not whole.
 */
const char *vmm_fmt_size(uint64_t v, char *buf, size_t len);

/* Index of the highest set bit plus one (fls64); 0 for 0. */
static inline unsigned vmm_fls64(uint64_t v)
{
	return v ? 64u - (unsigned)__builtin_clzll(v) : 0;
}

#endif
