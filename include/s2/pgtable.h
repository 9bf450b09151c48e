/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 page tables for one VM.
 *
 * A table is built from a geometry (s2/geometry.h) and an environment
 * (struct s2_mm_ops): page allocation, virt/phys conversion, cache and TLB
 * maintenance. Every operation is a short visitor over one walker
 * (s2/walk.h). Operations are atomic with respect to allocation failure:
 * the table pages an operation needs are counted and allocated before any
 * descriptor changes, so S2_ENOMEM leaves the tables exactly as they were.
 *
 * Concurrency: two kinds of call. The hardware walker may run alongside
 * either; descriptors are written single-copy atomically and replaced
 * with break-before-make.
 *   shared     s2_map_cached() with S2_MAP_SHARED, s2_relax_perms(),
 *              s2_mkyoung(), s2_mark_dirty(), s2_translate(), s2_lookup():
 *              any number of them may run at once on one table, from any
 *              CPUs (the read side of a per-VM reader/writer lock, as
 *              Linux's KVM_PGTABLE_WALK_SHARED). They change entries with
 *              compare-and-swap (s2_arch_cmpxchg_pte), take table pages only
 *              from the caller's page cache, and hand tables they unlink to
 *              ops->free_unlinked (freed once no shared walker can be
 *              inside them). A call that loses a race returns S2_EAGAIN.
 *              Shared calls keep no valid-entry counts: the first entry
 *              they add to a table marks its count unknown (s2/desc.h),
 *              and the next exclusive call that needs it recounts.
 *   exclusive  everything else (s2_map, s2_unmap, s2_protect,
 *              s2_wrprotect, s2_harvest_dirty, s2_mkold, s2_split,
 *              s2_collapse, s2_flush, s2_dump, s2_walk, init, destroy,
 *              exclusive s2_map_cached): no other call of either kind on
 *              the same table (the write side of that lock).
 *
 * TLB maintenance: unmap, protect, wrprotect, harvest and mkold issue one
 * tlbi_range() at the end, and none when nothing changed. Blocks they cut
 * at the range ends are split without a TLBI of their own: the
 * replacement table is built and edited unlinked, the block entry is
 * broken, and the table is linked after that one range TLBI, which is
 * widened to cover the cut blocks. Mapping over empty entries needs no
 * TLBI. Replacing a live mapping by a different one (s2_map over a
 * mapping with another PA or memory type, s2_split, s2_collapse) goes
 * through break-before-make with one TLBI per replaced entry
 * (tlbi_ipa() with its level, or tlbi_range() over a replaced table).
 * Table pages freed by an operation are returned to the allocator only
 * after its TLB invalidation.
 */
#ifndef S2_PGTABLE_H
#define S2_PGTABLE_H

#include <s2/err.h>
#include <s2/geometry.h>
#include <s2/prot.h>

struct s2_pgtable;

/*
 * A caller-filled cache of zeroed table pages (as Linux's
 * kvm_mmu_memory_cache): filled with s2_cache_topup() before taking the
 * VM's lock, consumed by s2_map_cached(). One per CPU (or per caller): a
 * cache is never used by two calls at once. Zero-initialise it.
 */
struct s2_page_cache {
	void *head;         /* pages linked through their first word */
	uint64_t n;         /* pages held */
};

/*
 * The environment. Every callback gets the @ctx given to
 * s2_pgtable_init(). Exclusive calls invoke them under the caller's
 * exclusive rule; shared calls may invoke tlbi_ipa, tlbi_range,
 * dcache_clean_inval, icache_inval and free_unlinked from several CPUs at
 * once (never zalloc or free: shared calls take pages from the caller's
 * page cache).
 */
struct s2_mm_ops {
	/**
	 * zalloc() - a zeroed block of @size bytes (a power of two, at least
	 * one granule), naturally aligned in PA; NULL on failure, which the
	 * calling operation turns into S2_ENOMEM with nothing changed.
	 * s2_cache_topup() calls it outside the VM's lock. @ctx: as above
	 * (every callback gets it).
	 */
	void *(*zalloc)(void *ctx, size_t size);
	/**
	 * alloc() - optional: as zalloc() (@ctx, @size: the same), but the
	 * block need not be zeroed. Used for table pages that s2_map() writes
	 * whole (every entry a leaf) before linking them, so that a bulk map
	 * writes each descriptor once, not zero then descriptor; NULL on
	 * failure, as zalloc(). Optional (NULL: zalloc() is used).
	 */
	void *(*alloc)(void *ctx, size_t size);
	/**
	 * free() - give back @va, @size bytes from zalloc() or alloc() (@ctx:
	 * as above). The library calls it only once the TLB holds nothing
	 * that came from the block (after
	 * the operation's TLBI) and, for tables unlinked by shared calls,
	 * from s2_free_unlinked().
	 */
	void (*free)(void *ctx, void *va, size_t size);
	/**
	 * room() - optional: how many more blocks of @size zalloc() can give
	 * (@ctx: as above).
	 * An operation whose counted need is larger fails with S2_ENOMEM
	 * before allocating anything (NULL: found out by allocating).
	 */
	uint64_t (*room)(void *ctx, size_t size);
	/** virt_to_phys() - the physical address of @va, a block from zalloc() (@ctx: as above). */
	s2_pa_t (*virt_to_phys)(void *ctx, void *va);
	/** phys_to_virt() - where the library reads the table at @pa (@ctx: as above). */
	void *(*phys_to_virt)(void *ctx, s2_pa_t pa);
	/* Optional: when table memory is linearly mapped (va = pa +
	   linear_offset, as with an identity map at EL2), set `linear` and
	   the walks compute table addresses inline instead of calling
	   phys_to_virt at every level. */
	bool linear;
	intptr_t linear_offset;
	/**
	 * dcache_clean_inval() - optional (NULL: coherent, e.g. FWB): clean
	 * and invalidate guest memory [@pa, @pa + @size) to the PoC, before
	 * a mapping of it becomes valid (tables made with S2_PGT_NO_FWB) and
	 * for s2_flush(). Must complete before it returns (DSB). No TLBI.
	 * @ctx: as above.
	 */
	void (*dcache_clean_inval)(void *ctx, s2_pa_t pa, uint64_t size);
	/**
	 * icache_inval() - optional: invalidate the instruction cache to the
	 * PoU for [@pa, @pa + @size), before an executable mapping of it
	 * becomes valid (S2_PGT_NO_FWB). Must complete before it returns.
	 * No TLBI. @ctx: as above.
	 */
	void (*icache_inval)(void *ctx, s2_pa_t pa, uint64_t size);
	/**
	 * tlbi_ipa() - invalidate stage-2 TLB entries (and walk caches) of
	 * @pgt's VM (its VMID and VTCR) for @ipa, broadcast (TLBI IPAS2E1IS
	 * then DSB ISH, and TLBI VMALLE1IS for stage 1 when the caller
	 * needs it). @level is the level of the entry that changed (a TTL
	 * hint) or S2_TLBI_NO_LEVEL. The library has made the change visible
	 * (DSB ISHST) before the call; the invalidation must be complete when
	 * it returns. @ctx: as above.
	 */
	void (*tlbi_ipa)(void *ctx, const struct s2_pgtable *pgt, s2_ipa_t ipa, int level);
	/**
	 * tlbi_range() - as tlbi_ipa() for every entry of @pgt's VM in
	 * [@ipa, @ipa + @size), non-leaf entries (walk caches) included; the
	 * environment may invalidate more (the whole VMID). @ctx: as above.
	 */
	void (*tlbi_range)(void *ctx, const struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size);
	/**
	 * tlbi_vmid() - invalidate everything of @pgt's VMID, complete when it
	 * returns (s2_pgtable_destroy()). @ctx: as above.
	 */
	void (*tlbi_vmid)(void *ctx, const struct s2_pgtable *pgt);
	/**
	 * free_unlinked() - optional; required by shared maps
	 * (S2_MAP_SHARED), which may replace a table of @pgt by a block while
	 * other CPUs are still walking it (and even installing entries in it).
	 * @table is that table, at @level (its entries are level-@level
	 * entries), already unlinked and its TLB entries invalidated (the
	 * library's TLBI came first; the callback needs none). @ctx: as
	 * above. Once no
	 * shared call that started before this one can still be running (an
	 * RCU grace period, or the caller's own quiescent point), call
	 * s2_free_unlinked(pgt, table, level), which frees it and every table
	 * below it with free(). May be called from several CPUs at once. All
	 * such tables must be freed before s2_pgtable_destroy().
	 */
	void (*free_unlinked)(void *ctx, struct s2_pgtable *pgt, void *table, int level);
};

#define S2_TLBI_NO_LEVEL S2_LEVEL_NONE


/* Flags for s2_pgtable_init(). */
#define S2_PGT_HA       (1u << 0)   /* VTCR.HA: hardware sets AF; map with AF=0 not needed */
#define S2_PGT_HD       (1u << 1)   /* VTCR.HD: dirty logging uses DBM */
#define S2_PGT_NO_FWB   (1u << 2)   /* guest caches not forced WB: clean on map */

/* Flags for s2_map() and s2_map_cached(). */
#define S2_MAP_PAGES    (1u << 0)   /* last-level pages only, no blocks */
#define S2_MAP_SHARED   (1u << 1)   /* s2_map_cached() only: a shared call */

/* Counters kept by the library itself (independent of the environment);
   shared calls update them atomically. */
struct s2_pgt_stats {
	uint64_t table_bytes;   /* table memory held now, root included */
	uint64_t tables;        /* table pages held now (root counts concat) */
	uint64_t tlbi_ipa;      /* calls made to ops->tlbi_ipa */
	uint64_t tlbi_range;
	uint64_t tlbi_vmid;
	uint64_t cmo;           /* calls to dcache_clean_inval/icache_inval */
	uint64_t bbm;           /* break-before-make sequences */
};

/* Descriptor OA formats (struct s2_pgt_fast.fmt). */
#define S2_OA_PLAIN     0
#define S2_OA_LPA       1
#define S2_OA_DS        2

/*
 * What the one-page fault path needs, derived once from the geometry by
 * s2_pgtable_init() so that a fault does no geometry arithmetic. Not for
 * callers. All zero (a table set up some other way) only sends every
 * fault the general way.
 */
struct s2_pgt_fast {
	uint64_t leaf[16];      /* by S2_PROT_*: a page descriptor's bits
				   beside its OA (type included); 0 where the
				   combination is refused */
	uint64_t oa_lo;         /* OA bits held in place: [47 or 49:page_shift] */
	uint64_t hi_desc;       /* the root's OA bits above those, as a table
				   descriptor holds them (LPA, DS) */
	uint64_t hi_pa;         /* the same bits as a PA */
	uint64_t root_mask;     /* root_entries - 1 */
	uint64_t stride_mask;   /* entries per table - 1 */
	uint8_t root_shift;     /* IPA bit indexing the root */
	uint8_t stride;         /* IPA bits per level */
	uint8_t page_shift;
	uint8_t levels;         /* table levels above the last: 1..4 */
	uint8_t fmt;            /* S2_OA_PLAIN, S2_OA_LPA (PA[51:48] in
				   [15:12]), S2_OA_DS (PA[51:50] in [9:8]) */
};

struct s2_pgtable {
	struct s2_geometry geom;
	struct s2_pgt_fast fast;
	const struct s2_mm_ops *ops;
	void *ctx;
	uint64_t *root;
	s2_pa_t root_pa;
	unsigned vmid;
	unsigned flags;
	struct s2_pgt_stats stats;
};

/**
 * s2_pgtable_init() - set up @pgt for a VM: copy the geometry @g, keep
 * @ops and @ctx (passed to every callback), allocate the (concatenated)
 * root with ops->zalloc.
 * @vmid: the VM's VMID, for the environment's TLBI callbacks.
 * @flags: S2_PGT_*.
 * @d: message on failure (may be NULL).
 * No TLBI (nothing was mapped).
 * Return: 0; S2_ENOMEM; S2_ERANGE if the root's PA is beyond the geometry's
 * PA range or not aligned to root_align (an environment bug).
 */
int s2_pgtable_init(struct s2_pgtable *pgt, const struct s2_geometry *g,
		    const struct s2_mm_ops *ops, void *ctx, unsigned vmid,
		    unsigned flags, struct s2_diag *d);

/**
 * s2_pgtable_destroy() - free every table page of @pgt, root included,
 * after one tlbi_vmid() (its only TLBI). Exclusive; tables handed to
 * ops->free_unlinked must have been freed already. @pgt may not be used afterwards.
 */
void s2_pgtable_destroy(struct s2_pgtable *pgt);

/**
 * s2_map() - map [@ipa, @ipa + @size) of @pgt to [@pa, @pa + @size) with
 * @prot (S2_PROT_*) and @flags (S2_MAP_PAGES; @d: message on failure,
 * may be NULL).
 * Uses the largest block legal at each position where IPA, PA and the
 * remaining size are aligned (unless S2_MAP_PAGES). Existing mappings in
 * the range are replaced (break-before-make where they were valid and
 * differ); blocks partially covered are split first.
 * With S2_PGT_NO_FWB, newly mapped normal memory is cleaned to the PoC
 * (and the I-cache invalidated for executable mappings) before it
 * becomes valid.
 * Every mix of R, W and X is accepted (write-only and execute-only
 * included: S2AP and XN are independent); only executable device memory
 * is refused.
 * TLBI: none for entries that were empty or already held the same leaf;
 * one tlbi_ipa() (or tlbi_range() over a table) per valid entry replaced
 * by break-before-make; permission-only changes and blocks cut at the
 * range ends share one tlbi_range() at the end.
 * Return: 0; S2_EINVAL for size 0, addresses or size not granule-aligned,
 * overflow, executable device memory, or unknown prot bits;
 * S2_ERANGE for an IPA range beyond ipa_bits or a PA range beyond
 * ps_bits; S2_ENOMEM (nothing changed).
 */
int s2_map(struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size, s2_pa_t pa,
	   unsigned prot, unsigned flags, struct s2_diag *d);

/**
 * s2_cache_topup() - fill @cache until it holds at least @min zeroed table
 * pages, with @pgt's ops->zalloc (so the environment's allocator must be
 * callable without the VM's lock). Call it before taking the lock.
 * @d: message on failure (may be NULL).
 * Return: 0; S2_ENOMEM (the cache keeps the pages it got).
 */
int s2_cache_topup(const struct s2_pgtable *pgt, struct s2_page_cache *cache, uint64_t min,
		   struct s2_diag *d);

/** s2_cache_free() - give every page in @cache back to @pgt's ops->free. */
void s2_cache_free(const struct s2_pgtable *pgt, struct s2_page_cache *cache);

/**
 * s2_map_cache_pages() - the most table pages s2_map_cached(@pgt, @ipa,
 * @size, @pa, ..., @flags, ...) can take from a cache, whatever the
 * tables hold (the count for an empty table; e.g. 3 - start level for one page). A fault handler
 * tops up to this for the leaf it is about to map.
 */
uint64_t s2_map_cache_pages(const struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size,
			    s2_pa_t pa, unsigned flags);

/**
 * s2_map_cached() - s2_map(@pgt, @ipa, @size, @pa, @prot, ..., @d)
 * taking table pages only from @cache (no allocation under the lock).
 * @flags: S2_MAP_PAGES; S2_MAP_SHARED to run alongside other shared calls
 *         (see "Concurrency" above).
 * Exclusive: exactly as s2_map(); S2_ENOMEM if @cache holds fewer pages
 * than the map needs (nothing changed).
 * Shared: each entry is installed with compare-and-swap. New leaves over
 * empty entries need no TLBI. A leaf that already maps the same output
 * with the same memory type keeps its place: permissions the call asks
 * for and it lacks are added (no TLBI), none are removed. A block that
 * already maps part of the range identically is left whole. Anything
 * else valid in the way (another output or memory type, a block that
 * must be split, a table where a block goes) is locked, invalidated
 * (tlbi_ipa() for a leaf, tlbi_range() over a table's span) and replaced
 * (break-before-make); a table so replaced goes to ops->free_unlinked.
 * Return: as s2_map(); S2_EINVAL also for S2_MAP_SHARED without
 * ops->free_unlinked; S2_ENOMEM when @cache holds fewer pages than the
 * range can need (s2_map_cache_pages(): nothing changed); S2_EAGAIN when
 * another CPU held or changed an entry this call needed: the entries
 * already written are those asked for, unused pages stay in @cache.
 */
int s2_map_cached(struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size, s2_pa_t pa,
		  unsigned prot, unsigned flags, struct s2_page_cache *cache, struct s2_diag *d);

/**
 * s2_relax_perms() - add permissions to the leaf (page or block) of @pgt
 * at @ipa: the permission-fault path. Shared: may run alongside other shared
 * calls (compare-and-swap). Removes nothing; X is not added to device
 * memory. No TLBI: a stale, stricter TLB entry only causes one more
 * permission fault, after which the walk finds the new entry (Linux also
 * invalidates the faulting CPU's own TLB, __kvm_tlb_flush_vmid_ipa_nsh;
 * an embedder may do the same).
 * No diag (s2/err.h's diagnostics rule: the fault path).
 * @prot: S2_PROT_R/W/X (no S2_PROT_DEVICE).
 * Return: 1 changed, 0 already had them, S2_ENOENT unmapped, S2_ERANGE
 * beyond the IPA space, S2_EINVAL @prot has bits other than S2_PROT_R/W/X,
 * S2_EAGAIN a shared map on another CPU is replacing the entry.
 */
int s2_relax_perms(struct s2_pgtable *pgt, s2_ipa_t ipa, unsigned prot);

/**
 * s2_free_unlinked() - free @table, at @level, which @pgt handed to
 * ops->free_unlinked, and every table below it (ops->free). Call only
 * when no shared call can still be walking it. No TLBI: the library
 * invalidated the table before handing it over.
 */
void s2_free_unlinked(struct s2_pgtable *pgt, void *table, int level);

/**
 * s2_unmap() - remove every mapping of @pgt in [@ipa, @ipa + @size)
 * (@d: message on failure, may be NULL); blocks that
 * straddle the range ends are split so the rest stays mapped (the parts
 * outside the range are unmapped until the TLBI, as in any
 * break-before-make). Table pages left empty are freed; a table wholly
 * inside the range is dropped without visiting its entries. One
 * tlbi_range() if anything was valid.
 * Return: 0 (also when nothing was mapped); S2_EINVAL; S2_ERANGE;
 * S2_ENOMEM (only when a straddling block must be split; nothing changed).
 */
int s2_unmap(struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size, struct s2_diag *d);

/**
 * s2_protect() - set permissions @prot (S2_PROT_R/W/X; memory type
 * unchanged) on every mapped page of @pgt in [@ipa, @ipa + @size) (@d:
 * message on failure, may be NULL), splitting blocks at the range ends.
 * Device memory never becomes executable (X is ignored for it).
 * Unmapped holes are skipped. One tlbi_range().
 * Every mix of R, W and X is accepted.
 * Return: as s2_unmap(); S2_EINVAL for S2_PROT_DEVICE or unknown bits.
 */
int s2_protect(struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size,
	       unsigned prot, struct s2_diag *d);

/**
 * s2_wrprotect() - start dirty logging on [@ipa, @ipa + @size) of @pgt
 * (@d: message on failure, may be NULL): writable mappings lose
 * write permission but remember it (a software bit); with S2_PGT_HD they
 * get DBM so the hardware marks them dirty instead of faulting.
 * Blocks at the range ends are split. One tlbi_range().
 * Return: as s2_protect().
 */
int s2_wrprotect(struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size, struct s2_diag *d);

/**
 * s2_mark_dirty() - software write-fault path for dirty logging: if the
 * leaf of @pgt at @ipa was write-protected by s2_wrprotect(), make it
 * writable (no TLBI: relaxing permissions needs none; a stale entry only causes a
 * spurious fault).
 * Shared: may run alongside other shared calls (compare-and-swap).
 * No diag (s2/err.h's diagnostics rule: the fault path).
 * Return: 1 made writable (a logging fault); 0 the mapping is not
 * logging-protected (a real permission fault); S2_ENOENT unmapped;
 * S2_ERANGE beyond the IPA space; S2_EAGAIN a shared map on another CPU
 * is replacing the entry.
 */
int s2_mark_dirty(struct s2_pgtable *pgt, s2_ipa_t ipa);

/**
 * s2_harvest_dirty() - collect pages of @pgt written since the last
 * harvest (or s2_wrprotect()) in [@ipa, @ipa + @size) and write-protect
 * them again (@d: message on failure, may be NULL). Bit i of
 * @bitmap (@words uint64_t words, at least one bit per page of the range)
 * is set for page ipa + i * granule; other bits are left as they were.
 * One tlbi_range() if anything was dirty. Exclusive.
 * Return: the number of dirty pages; S2_EINVAL (no bitmap, or too short:
 * the message says how many words the range needs); S2_ERANGE.
 */
int64_t s2_harvest_dirty(struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size,
			 uint64_t *bitmap, size_t words, struct s2_diag *d);

/**
 * s2_mkold() - clear the Access flag of every leaf of @pgt in [@ipa, @ipa
 * + @size) (aging; @d: message on failure, may be NULL). A block that
 * reaches outside the range is aged as a whole (not split).
 * One tlbi_range() if any was young.
 * Return: number of leaves that were young (AF=1); S2_EINVAL (size 0,
 * not granule-aligned, or wrapping); S2_ERANGE (beyond the IPA space).
 */
int64_t s2_mkold(struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size, struct s2_diag *d);

/**
 * s2_mkyoung() - set the Access flag of the leaf of @pgt at @ipa (the
 * access-flag fault path). Shared, as s2_mark_dirty(). No TLBI. No diag
 * (s2/err.h's diagnostics rule: the fault path).
 * Return: 1 if it was old, 0 if already young, S2_ENOENT, S2_ERANGE,
 * S2_EAGAIN (as s2_mark_dirty).
 */
int s2_mkyoung(struct s2_pgtable *pgt, s2_ipa_t ipa);

/**
 * s2_split() - replace every block of @pgt in [@ipa, @ipa + @size) by a
 * table of the next smaller size, down to pages (eager splitting for
 * dirty logging; @d: message on failure, may be NULL). Each block goes
 * through break-before-make: one tlbi_ipa() at the block's level per
 * block split.
 * Return: 0; S2_EINVAL; S2_ERANGE; S2_ENOMEM (nothing changed).
 */
int s2_split(struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size, struct s2_diag *d);

/**
 * s2_collapse() - replace tables of @pgt in [@ipa, @ipa + @size) (@d:
 * message on failure, may be NULL) by blocks where the table
 * maps its whole span contiguously with uniform attributes (the Access
 * flag aside: the block is young if any part was) and a block is legal at
 * that level; each replacement is a break-before-make with one
 * tlbi_range() over the table's span; freed tables go back after the TLBI.
 * Return: number of blocks made; S2_EINVAL (size 0, not granule-aligned,
 * or wrapping); S2_ERANGE (beyond the IPA space).
 */
int64_t s2_collapse(struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size, struct s2_diag *d);

/**
 * s2_flush() - clean+invalidate the data cache for every mapped page of
 * @pgt in [@ipa, @ipa + @size) (via ops->dcache_clean_inval, one call per
 * leaf), at every level the table has (@d: message on failure, may be
 * NULL). Changes no descriptor: no TLBI.
 * Return: number of calls made; S2_EINVAL (size 0, not granule-aligned,
 * or wrapping); S2_ERANGE (beyond the IPA space).
 */
int64_t s2_flush(struct s2_pgtable *pgt, s2_ipa_t ipa, uint64_t size, struct s2_diag *d);

/* Result of a translation. */
struct s2_xlate {
	bool valid;
	s2_pa_t pa;
	unsigned prot;        /* S2_PROT_R/W/X|DEVICE */
	int level;            /* leaf level, or level of the fault */
	bool young;           /* AF */
	bool dirty_log;       /* write-protected by dirty logging */
	unsigned fsc;         /* on fault: the FSC the hardware would report */
	uint64_t desc;        /* the leaf descriptor (0 on fault) */
};

/**
 * s2_translate() - walk @ipa in @pgt as the hardware would (the lookup
 * walk, then a visitor on the entry where it ends) and describe the
 * result in *@x. An IPA beyond ipa_bits is a
 * translation fault at level 0 (as the architecture's out-of-range check
 * reports). Shared: may run alongside shared calls (it may see an entry
 * a concurrent call is replacing as a fault). No TLBI. No diag
 * (s2/err.h's diagnostics rule: the fault path).
 * Return: 0 (see x->valid), or S2_EINVAL for NULL arguments.
 */
int s2_translate(const struct s2_pgtable *pgt, s2_ipa_t ipa, struct s2_xlate *x);

/**
 * s2_lookup() - fast leaf lookup in @pgt without the walker: the leaf
 * descriptor for @ipa (0 if none) and, if @level is non-NULL, the level
 * where the walk ended in *@level (0 beyond the IPA space). Shared, as
 * s2_translate().
 */
uint64_t s2_lookup(const struct s2_pgtable *pgt, s2_ipa_t ipa, int *level);

/**
 * s2_dump() - write @pgt as a human-readable tree through @out, called
 * once per line (without a newline) with @arg. Exclusive.
 */
void s2_dump(const struct s2_pgtable *pgt, void (*out)(void *arg, const char *line),
	     void *arg);

#define S2_PROT_STRING_LEN 16
/**
 * s2_prot_string() - S2_PROT_* bits @prot as "rwx", "r-x,device", ...
 * into @buf of @len bytes (truncated to fit; S2_PROT_STRING_LEN always
 * does). Return: @buf.
 */
const char *s2_prot_string(unsigned prot, char *buf, size_t len);

#endif
