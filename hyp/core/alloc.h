/* SPDX-License-Identifier: MIT */
/*
 * Physical page allocator for the hypervisor: a buddy allocator over the
 * RAM after the image. Every block is naturally aligned to its size (a
 * power of two from 4K up): concatenated stage-2 roots need up to 16
 * pages aligned to their whole size (Arm ARM, VTTBR_EL2.BADDR), and
 * 16K/64K table pages their own size.
 */
#ifndef HYP_ALLOC_H
#define HYP_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#define ALLOC_MIN_SHIFT 12
#define ALLOC_MAX_SHIFT 28          /* 256 MiB */

struct alloc_stats {
	uint64_t pool_bytes, free_bytes, live_bytes, peak_bytes;
	uint64_t allocs, frees, failures;
};

/*
 * Words the owner of a block in use may keep with it outside the block,
 * one set per 4K page (a block's are its first page's), as Linux keeps
 * an rcu_head and page_private in each struct page: a table unlinked
 * from a stage 2 waits on a list linked through these while other CPUs
 * may still walk its own memory. The allocator never reads them; they
 * hold garbage until the owner writes them.
 */
struct alloc_meta {
	struct alloc_meta *next;
	void *owner;
	uint64_t priv;
};

/* Hand the RAM from the end of the image to the end of RAM to the pool. */
void alloc_init(void);

/* A naturally aligned block of @size bytes (power of two, >= 4K), not
   zeroed; NULL when no block is free. */
void *alloc_pages(size_t size);
void alloc_free(void *p, size_t size);

/* The words of the block in use that starts at @p (panics when no block
   in use starts there: an owner's bug). */
struct alloc_meta *alloc_meta(void *p);
/* The block whose words @m are. */
void *alloc_meta_block(const struct alloc_meta *m);

/* Fail the @k-th allocation from now (1-based; 0 disables): for testing
   that callers survive ENOMEM. */
void alloc_fail_at(uint64_t k);

const struct alloc_stats *alloc_stats(void);

#endif
