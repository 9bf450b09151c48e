/* SPDX-License-Identifier: MIT */
/*
 * Buddy allocator (Knuth, TAOCP vol. 1, 2.5). Blocks are aligned in
 * absolute physical address, not relative to the pool start, so the
 * buddy of a block at pa of order o is pa ^ (4K << o) and every block is
 * naturally aligned. One byte of state per 4K page: for the first page
 * of a block, FREE|order or USED|order; 0 otherwise. And per page the
 * owner's words (struct alloc_meta), never read here. One lock: CPUs top
 * up their stage-2 page caches concurrently (s2_cache_topup()).
 */
#include "alloc.h"
#include "atomic.h"
#include "mmu.h"
#include "panic.h"

#define NORDERS (ALLOC_MAX_SHIFT - ALLOC_MIN_SHIFT + 1)
#define NPAGES  (RAM_SIZE >> ALLOC_MIN_SHIFT)
#define ST_FREE 0x80
#define ST_USED 0x40

struct block {
	struct block *next, *prev;
};

static struct block free_head[NORDERS];   /* circular lists */
static uint8_t state[NPAGES];
static struct alloc_meta meta[NPAGES];
static struct alloc_stats st;
static struct spinlock lock;
static uint64_t pool_lo, pool_hi, fail_countdown;

extern char __image_end[];

static uint8_t *st_of(uint64_t pa)
{
	return &state[(pa - RAM_BASE) >> ALLOC_MIN_SHIFT];
}

static void list_add(unsigned o, uint64_t pa)
{
	struct block *b = (struct block *)pa, *h = &free_head[o];

	b->next = h->next;
	b->prev = h;
	h->next->prev = b;
	h->next = b;
	*st_of(pa) = (uint8_t)(ST_FREE | o);
}

static void list_del(uint64_t pa)
{
	struct block *b = (struct block *)pa;

	b->prev->next = b->next;
	b->next->prev = b->prev;
	*st_of(pa) = 0;
}

void alloc_init(void)
{
	for (unsigned o = 0; o < NORDERS; o++)
		free_head[o].next = free_head[o].prev = &free_head[o];
	pool_lo = ((uint64_t)__image_end + 0xffff) & ~0xffffULL;
	pool_hi = RAM_BASE + RAM_SIZE;
	/* Carve the pool into the largest naturally aligned blocks. */
	for (uint64_t pa = pool_lo; pa < pool_hi;) {
		unsigned o = NORDERS - 1;
		while (o && ((pa & ((1ULL << (ALLOC_MIN_SHIFT + o)) - 1)) ||
			     pa + (1ULL << (ALLOC_MIN_SHIFT + o)) > pool_hi))
			o--;
		list_add(o, pa);
		pa += 1ULL << (ALLOC_MIN_SHIFT + o);
	}
	st.pool_bytes = st.free_bytes = pool_hi - pool_lo;
}

static int order_of(size_t size)
{
	for (unsigned o = 0; o < NORDERS; o++)
		if ((size_t)1 << (ALLOC_MIN_SHIFT + o) == size)
			return (int)o;
	return -1;
}

static void *alloc_locked(size_t size)
{
	int want = order_of(size);
	unsigned o;

	if (want < 0)
		panic("alloc_pages: size %#llx is not a power of two from 4K to 256M",
		      (unsigned long long)size);
	if (fail_countdown && --fail_countdown == 0) {
		st.failures++;
		return NULL;
	}
	for (o = (unsigned)want; o < NORDERS && free_head[o].next == &free_head[o]; o++)
		;
	if (o == NORDERS) {
		st.failures++;
		return NULL;
	}
	uint64_t pa = (uint64_t)free_head[o].next;
	list_del(pa);
	while (o > (unsigned)want) {
		o--;
		list_add(o, pa + (1ULL << (ALLOC_MIN_SHIFT + o)));
	}
	*st_of(pa) = (uint8_t)(ST_USED | o);
	st.allocs++;
	st.free_bytes -= size;
	st.live_bytes += size;
	if (st.live_bytes > st.peak_bytes)
		st.peak_bytes = st.live_bytes;
	return (void *)pa;
}

void *alloc_pages(size_t size)
{
	void *p;

	spin_lock(&lock);
	p = alloc_locked(size);
	spin_unlock(&lock);
	return p;
}

static void free_locked(void *p, size_t size)
{
	uint64_t pa = (uint64_t)p;
	int o = order_of(size);

	if (o < 0 || pa < pool_lo || pa >= pool_hi || (pa & (size - 1)) ||
	    *st_of(pa) != (ST_USED | o))
		panic("alloc_free(%#llx, %#llx): not a block of that size in use",
		      (unsigned long long)pa, (unsigned long long)size);
	st.frees++;
	st.free_bytes += size;
	st.live_bytes -= size;
	for (; o < NORDERS - 1; o++) {
		uint64_t buddy = pa ^ (1ULL << (ALLOC_MIN_SHIFT + o));
		if (buddy < pool_lo || buddy >= pool_hi || *st_of(buddy) != (ST_FREE | o))
			break;
		list_del(buddy);
		pa &= ~(1ULL << (ALLOC_MIN_SHIFT + o));
	}
	list_add((unsigned)o, pa);
}

void alloc_free(void *p, size_t size)
{
	spin_lock(&lock);
	free_locked(p, size);
	spin_unlock(&lock);
}

struct alloc_meta *alloc_meta(void *p)
{
	uint64_t pa = (uint64_t)p;

	/* A block in use keeps its state byte until it is freed: no lock. */
	if (pa < pool_lo || pa >= pool_hi || (pa & ((1ULL << ALLOC_MIN_SHIFT) - 1)) ||
	    !(*st_of(pa) & ST_USED))
		panic("alloc_meta(%#llx): no block in use starts there", (unsigned long long)pa);
	return &meta[(pa - RAM_BASE) >> ALLOC_MIN_SHIFT];
}

void *alloc_meta_block(const struct alloc_meta *m)
{
	return (void *)(RAM_BASE + ((uint64_t)(m - meta) << ALLOC_MIN_SHIFT));
}

void alloc_fail_at(uint64_t k)
{
	fail_countdown = k;
}

const struct alloc_stats *alloc_stats(void)
{
	return &st;
}
