/* SPDX-License-Identifier: MIT */
/*
 * Emulated GICv3 ITS and the LPI half of the redistributors (GIC
 * architecture spec IHI 0069, chapters "Locality-specific Peripheral
 * Interrupts and the ITS" and "ITS commands"). The guest-visible
 * behaviour follows Linux KVM's vgic-its.c where the architecture leaves
 * a choice, except for command errors: KVM skips a failing command, this
 * ITS takes the architecture's other option and stalls (GITS_CREADR.
 * Stalled) until the guest retries or resets the queue, so that a
 * misprogrammed guest is seen.
 *
 * Nothing is cached: each command and each MSI walks the guest's tables
 * through the ops, which the architecture allows (software must not rely
 * on a table being cached or not, and must INV after a property change).
 */
#include <s2/err.h>
#include <s2/gic.h>
#include "vits.h"

#define BIT(n)        S2_BIT(n)
#define GENMASK(h, l) S2_GENMASK(h, l)

/* GITS_TYPER: Physical, ITT_entry_size-1 [7:4], ID_bits-1 [12:8],
   Devbits-1 [17:13]; SEIS, PTA, HCC, CIL and the GICv4 bits are 0. */
#define TYPER_VALUE   (1ULL | (uint64_t)(VITS_ENTRY_SIZE - 1) << 4 | \
		       (uint64_t)(VITS_EVENTBITS - 1) << 8 | (uint64_t)(VITS_DEVBITS - 1) << 13)
/* GITS_IIDR: Implementer Arm (0x43b), ProductID 'S'. */
#define IIDR_VALUE    (0x53u << 24 | 0x43bu)

#define BASER_VALID        BIT(63)
#define BASER_INDIRECT     BIT(62)
#define BASER_TYPE_SHIFT   56
#define BASER_ESZ_SHIFT    48
#define BASER_RO           (GENMASK(58, 56) | GENMASK(52, 48))
#define BASER_TYPE_DEVICE  1ULL
#define BASER_TYPE_COLL    4ULL
#define BASER_PAGE_MASK    (3ULL << S2_GITS_BASER_PAGE_SHIFT)
#define CBASER_VALID       BIT(63)
/* RES0 bits of GITS_CBASER, GICR_PROPBASER and GICR_PENDBASER. */
#define CBASER_RES0        (BIT(62) | GENMASK(58, 56) | BIT(52) | GENMASK(9, 8))
#define PROPBASER_RES0     (GENMASK(63, 59) | GENMASK(55, 52) | GENMASK(6, 5))
#define PENDBASER_RES0     (BIT(63) | GENMASK(61, 59) | GENMASK(55, 52) | GENMASK(15, 12) | GENMASK(6, 0))
#define PENDBASER_PTZ      BIT(62)
#define CMD_OFFSET_MASK    GENMASK(19, 5)
#define L1_VALID           BIT(63)
#define DTE_VALID          BIT(63)
#define CTE_VALID          BIT(63)
#define LPI_PROP_ENABLE    1u
#define LPI_PROP_PRIO      0xfcu

enum table { DEV_TABLE, COLL_TABLE };

/* An entry lookup that found no level-2 page (a two-level table). */
#define L1_INVALID VITS_ERR_NR

const char *vits_err_name(enum vits_err e)
{
	static const char *const names[VITS_ERR_NR] = {
		"NONE", "DEVICE_OOR", "ITTSIZE_OOR", "EVENT_OOR", "COLLECTION_OOR",
		"PROCNUM_OOR", "PHYSICALID_OOR", "UNMAPPED_DEVICE", "UNMAPPED_INTERRUPT",
		"UNMAPPED_COLLECTION", "MEMORY", "UNKNOWN_COMMAND", "LPIS_DISABLED",
		"ITS_DISABLED",
	};
	return (unsigned)e < VITS_ERR_NR ? names[e] : "?";
}

/* ---- guest memory ---- */

static bool in_ipa(const struct vits *its, uint64_t ipa, uint64_t len)
{
	uint64_t top = 1ULL << its->ipa_bits;

	return len <= top && ipa <= top - len;
}

static int mem_read(struct vits *its, uint64_t ipa, void *buf, size_t len)
{
	if (!in_ipa(its, ipa, len) || its->ops->read(its->ctx, ipa, buf, len))
		return VITS_EFAULT;
	return 0;
}

static int mem_write(struct vits *its, uint64_t ipa, const void *buf, size_t len)
{
	if (!in_ipa(its, ipa, len) || its->ops->write(its->ctx, ipa, buf, len))
		return VITS_EFAULT;
	return 0;
}

/* Table entries are little-endian whatever the host is. */
static int rd64(struct vits *its, uint64_t ipa, uint64_t *v)
{
	uint8_t b[8];

	if (mem_read(its, ipa, b, 8))
		return VITS_EFAULT;
	*v = 0;
	for (int i = 7; i >= 0; i--)
		*v = *v << 8 | b[i];
	return 0;
}

static int wr64(struct vits *its, uint64_t ipa, uint64_t v)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	return mem_write(its, ipa, b, 8);
}

static int zero_range(struct vits *its, uint64_t ipa, uint64_t len)
{
	static const uint8_t zeros[256];

	for (uint64_t done = 0; done < len; done += sizeof(zeros)) {
		uint64_t n = len - done < sizeof(zeros) ? len - done : sizeof(zeros);
		if (mem_write(its, ipa + done, zeros, (size_t)n))
			return VITS_EFAULT;
	}
	return 0;
}

/* The lowest IPA of a table the ITS has used, for the caller's reports. */
static void note_table(struct vits *its, uint64_t ipa)
{
	if (ipa < its->lowest_table)
		its->lowest_table = ipa;
}

int vits_lowest_table_ipa(const struct vits *its, uint64_t *ipa)
{
	if (its->lowest_table == ~0ULL)
		return S2_ENOENT;
	*ipa = its->lowest_table;
	return 0;
}

/* ---- device and collection tables (GITS_BASER<n>) ---- */

static uint64_t its_page(uint64_t baser)
{
	switch ((baser >> S2_GITS_BASER_PAGE_SHIFT) & 3) {
	case S2_GITS_BASER_PAGE_4K: return 1ULL << 12;
	case S2_GITS_BASER_PAGE_16K: return 1ULL << 14;
	default: return 1ULL << 16;
	}
}

/*
 * The IPA of entry @id of a table. A flat table holds Size+1 pages of
 * entries; a two-level table holds Size+1 pages of 8-byte level-1 entries,
 * each pointing at one ITS page of entries. IDs beyond the table or the
 * ID width are out of range; an invalid level-1 entry is L1_INVALID (the
 * caller decides: MAPD/MAPC call it out of range, as Linux KVM does, and
 * a lookup calls it unmapped).
 */
static enum vits_err entry_addr(struct vits *its, enum table t, uint32_t id, uint64_t *addr)
{
	uint64_t baser = its->baser[t];
	uint64_t page = its_page(baser);
	uint64_t size = ((baser & 0xff) + 1) * page;
	uint64_t base = s2_gic_base_pa(S2_GITS_BASER, baser).v;
	unsigned bits = t == DEV_TABLE ? VITS_DEVBITS : VITS_ICIDBITS;
	enum vits_err oor = t == DEV_TABLE ? VITS_ERR_DEVICE_OOR : VITS_ERR_COLLECTION_OOR;
	uint64_t per_page = page / VITS_ENTRY_SIZE, l1;

	if (!(baser & BASER_VALID) || (id >> bits))
		return oor;
	if (!(baser & BASER_INDIRECT)) {
		if (id >= size / VITS_ENTRY_SIZE)
			return oor;
		*addr = base + (uint64_t)id * VITS_ENTRY_SIZE;
		note_table(its, base);
		return VITS_ERR_NONE;
	}
	if (id / per_page >= size / 8)
		return oor;
	if (rd64(its, base + id / per_page * 8, &l1))
		return VITS_ERR_MEMORY;
	if (!(l1 & L1_VALID))
		return L1_INVALID;
	note_table(its, base);
	*addr = (l1 & GENMASK(51, 12) & ~(page - 1)) + id % per_page * VITS_ENTRY_SIZE;
	note_table(its, *addr - id % per_page * VITS_ENTRY_SIZE);
	return VITS_ERR_NONE;
}

struct dte {
	uint64_t itt;
	unsigned eventbits;
};

/* The valid DTE of @devid, or why there is none. */
static enum vits_err dte_get(struct vits *its, uint32_t devid, struct dte *d)
{
	uint64_t a, e;
	enum vits_err r = entry_addr(its, DEV_TABLE, devid, &a);

	if (r == L1_INVALID)
		return VITS_ERR_UNMAPPED_DEVICE;
	if (r)
		return r;
	if (rd64(its, a, &e))
		return VITS_ERR_MEMORY;
	if (!(e & DTE_VALID))
		return VITS_ERR_UNMAPPED_DEVICE;
	d->itt = (e & GENMASK(48, 5)) >> 5 << 8;
	d->eventbits = (unsigned)(e & 0x1f) + 1;
	if (d->eventbits > VITS_EVENTBITS)    /* the guest wrote it */
		return VITS_ERR_UNMAPPED_DEVICE;
	return VITS_ERR_NONE;
}

/* The vCPU collection @icid is mapped to. */
static enum vits_err cte_get(struct vits *its, uint32_t icid, unsigned *vcpu)
{
	uint64_t a, e, rd;
	enum vits_err r = entry_addr(its, COLL_TABLE, icid, &a);

	if (r == VITS_ERR_MEMORY)
		return r;
	if (r)
		return VITS_ERR_UNMAPPED_COLLECTION;
	if (rd64(its, a, &e))
		return VITS_ERR_MEMORY;
	rd = (e & GENMASK(51, 16)) >> 16;
	/* The table is guest memory: whatever is there is checked. */
	if (!(e & CTE_VALID) || rd >= its->nr_vcpus || (e & 0xffff) != icid)
		return VITS_ERR_UNMAPPED_COLLECTION;
	*vcpu = (unsigned)rd;
	return VITS_ERR_NONE;
}

/* ---- LPI property and pending tables ---- */

static uint32_t lpi_limit(const struct vits *its)
{
	unsigned bits = (unsigned)(its->propbaser & 0x1f) + 1;

	return 1u << (bits < VITS_LPI_IDBITS ? bits : VITS_LPI_IDBITS);
}

static bool lpi_in_range(const struct vits *its, uint32_t intid)
{
	return intid >= VITS_LPI_BASE && intid < lpi_limit(its);
}

static int prop_get(struct vits *its, uint32_t intid, uint8_t *prop)
{
	uint64_t base = s2_gic_base_pa(S2_GICR_PROPBASER, its->propbaser).v;

	if (mem_read(its, base + intid - VITS_LPI_BASE, prop, 1))
		return VITS_EFAULT;
	note_table(its, base);
	return 0;
}

static uint64_t pend_base(const struct vits *its, unsigned vcpu)
{
	return s2_gic_base_pa(S2_GICR_PENDBASER, its->rd[vcpu].pendbaser).v;
}

static int pend_test(struct vits *its, unsigned vcpu, uint32_t intid, bool *set)
{
	uint8_t b;

	if (mem_read(its, pend_base(its, vcpu) + intid / 8, &b, 1))
		return VITS_EFAULT;
	note_table(its, pend_base(its, vcpu));
	*set = b & (1u << (intid % 8));
	return 0;
}

/* Set or clear @intid's pending bit; *@was gets the old state. */
static int pend_update(struct vits *its, unsigned vcpu, uint32_t intid, bool set, bool *was)
{
	uint64_t a = pend_base(its, vcpu) + intid / 8;
	uint8_t b, bit = (uint8_t)(1u << (intid % 8)), nb;

	if (mem_read(its, a, &b, 1))
		return VITS_EFAULT;
	note_table(its, pend_base(its, vcpu));
	*was = b & bit;
	nb = set ? (uint8_t)(b | bit) : (uint8_t)(b & ~bit);
	if (nb != b && mem_write(its, a, &nb, 1))
		return VITS_EFAULT;
	return 0;
}

static void notify_cleared(struct vits *its, unsigned vcpu, uint32_t intid)
{
	if (its->ops->lpi_cleared)
		its->ops->lpi_cleared(its->ctx, vcpu, intid);
}

/*
 * Make @intid pending on @vcpu: reported if enabled in the property table
 * and not pending already (pending LPIs merge, as edge interrupts do).
 */
static enum vits_err make_pending(struct vits *its, unsigned vcpu, uint32_t intid)
{
	uint8_t prop;
	bool was;

	if (!its->rd[vcpu].lpis_enabled)
		return VITS_ERR_LPIS_DISABLED;
	if (!lpi_in_range(its, intid))
		return VITS_ERR_UNMAPPED_INTERRUPT;
	if (prop_get(its, intid, &prop) || pend_update(its, vcpu, intid, true, &was))
		return VITS_ERR_MEMORY;
	if (!was && (prop & LPI_PROP_ENABLE)) {
		its->stats.lpis_signalled++;
		its->ops->lpi_pending(its->ctx, vcpu, intid, prop & LPI_PROP_PRIO);
	}
	return VITS_ERR_NONE;
}

/* Drop @intid's pending state on @vcpu (nothing to do if LPIs are off:
   the redistributor does not own its pending table then). */
static enum vits_err clear_pending(struct vits *its, unsigned vcpu, uint32_t intid)
{
	bool was;

	if (!its->rd[vcpu].lpis_enabled || !lpi_in_range(its, intid))
		return VITS_ERR_NONE;
	if (pend_update(its, vcpu, intid, false, &was))
		return VITS_ERR_MEMORY;
	if (was)
		notify_cleared(its, vcpu, intid);
	return VITS_ERR_NONE;
}

/* Re-read @intid's configuration (INV, INVALL, EnableLPIs): a pending LPI
   is reported if enabled, dropped if not. */
static enum vits_err refresh(struct vits *its, unsigned vcpu, uint32_t intid, bool pending)
{
	uint8_t prop;

	if (!pending)
		return VITS_ERR_NONE;
	if (prop_get(its, intid, &prop))
		return VITS_ERR_MEMORY;
	if (prop & LPI_PROP_ENABLE) {
		its->stats.lpis_signalled++;
		its->ops->lpi_pending(its->ctx, vcpu, intid, prop & LPI_PROP_PRIO);
	} else {
		notify_cleared(its, vcpu, intid);
	}
	return VITS_ERR_NONE;
}

enum scan_op { SCAN_REFRESH, SCAN_DROP, SCAN_MOVE };

/*
 * Visit every pending LPI in @vcpu's pending table (INTIDs 8192 up to
 * what GICR_PROPBASER.IDbits covers), 64 bytes of the table at a time.
 * SCAN_MOVE moves each to @to (MOVALL).
 */
static enum vits_err scan_pending(struct vits *its, unsigned vcpu, enum scan_op op, unsigned to)
{
	uint64_t base = pend_base(its, vcpu);
	uint32_t limit = lpi_limit(its);
	uint8_t chunk[64];

	for (uint32_t id0 = VITS_LPI_BASE; id0 < limit; id0 += 8 * sizeof(chunk)) {
		uint32_t n = (limit - id0) / 8 < sizeof(chunk) ? (limit - id0) / 8 : sizeof(chunk);

		if (mem_read(its, base + id0 / 8, chunk, n))
			return VITS_ERR_MEMORY;
		note_table(its, base);
		for (uint32_t i = 0; i < n * 8; i++) {
			uint32_t intid = id0 + i;
			enum vits_err r = VITS_ERR_NONE;

			if (!(chunk[i / 8] & (1u << (i % 8))))
				continue;
			if (op == SCAN_REFRESH) {
				r = refresh(its, vcpu, intid, true);
			} else if (op == SCAN_DROP) {
				notify_cleared(its, vcpu, intid);
			} else {
				r = clear_pending(its, vcpu, intid);
				if (!r)
					r = make_pending(its, to, intid);
				if (r == VITS_ERR_LPIS_DISABLED)
					r = VITS_ERR_NONE;
			}
			if (r)
				return r;
		}
	}
	return VITS_ERR_NONE;
}

/* ---- commands ---- */

struct ite {
	uint64_t addr;
	uint32_t intid;
	uint32_t icid;
};

/* The valid ITE for @devid/@eventid, or why there is none. */
static enum vits_err ite_get(struct vits *its, uint32_t devid, uint32_t eventid, struct ite *ite)
{
	struct dte d;
	uint64_t e;
	enum vits_err r = dte_get(its, devid, &d);

	if (r)
		return r;
	if ((uint64_t)eventid >> d.eventbits)
		return VITS_ERR_EVENT_OOR;
	ite->addr = d.itt + (uint64_t)eventid * VITS_ENTRY_SIZE;
	if (rd64(its, ite->addr, &e))
		return VITS_ERR_MEMORY;
	ite->intid = (uint32_t)(e >> 16);
	ite->icid = (uint32_t)(e & 0xffff);
	if (!lpi_in_range(its, ite->intid))
		return VITS_ERR_UNMAPPED_INTERRUPT;
	return VITS_ERR_NONE;
}

/* The ITE and the vCPU its collection targets. */
static enum vits_err ite_target(struct vits *its, uint32_t devid, uint32_t eventid,
				struct ite *ite, unsigned *vcpu)
{
	enum vits_err r = ite_get(its, devid, eventid, ite);

	return r ? r : cte_get(its, ite->icid, vcpu);
}

static uint32_t rdbase(uint64_t dw)
{
	uint64_t rd = (dw & GENMASK(51, 16)) >> 16;

	/* GITS_TYPER.PTA=0: RDbase is a processor number. */
	return rd > 0xffffffffULL ? 0xffffffffu : (uint32_t)rd;
}

static enum vits_err cmd_mapd(struct vits *its, const uint64_t *c)
{
	uint32_t devid = (uint32_t)(c[0] >> 32);
	unsigned bits = (unsigned)(c[1] & 0x1f) + 1;
	uint64_t itt = c[2] & GENMASK(51, 8);
	bool valid = c[2] & BIT(63);
	uint64_t a, old;
	enum vits_err r = entry_addr(its, DEV_TABLE, devid, &a);

	if (r == L1_INVALID)
		return VITS_ERR_DEVICE_OOR;
	if (r)
		return r;
	/* The DTE must be RAM before anything is written. */
	if (rd64(its, a, &old))
		return VITS_ERR_MEMORY;
	if (!valid)
		return wr64(its, a, 0) ? VITS_ERR_MEMORY : VITS_ERR_NONE;
	if (bits > VITS_EVENTBITS)
		return VITS_ERR_ITTSIZE_OOR;
	/* A new mapping starts with no events mapped (remapping a device
	   forgets its old events, as Linux KVM does): the ITT is zeroed,
	   which also finds an ITT outside RAM before the DTE points at it. */
	if (zero_range(its, itt, (uint64_t)VITS_ENTRY_SIZE << bits))
		return VITS_ERR_MEMORY;
	if (wr64(its, a, DTE_VALID | itt >> 8 << 5 | (bits - 1)))
		return VITS_ERR_MEMORY;
	note_table(its, itt);
	return VITS_ERR_NONE;
}

static enum vits_err cmd_mapc(struct vits *its, const uint64_t *c)
{
	uint32_t icid = (uint32_t)(c[2] & 0xffff), rd = rdbase(c[2]);
	bool valid = c[2] & BIT(63);
	uint64_t a;
	enum vits_err r;

	/* Checked for an unmap too, as Linux KVM does. */
	if (rd >= its->nr_vcpus)
		return VITS_ERR_PROCNUM_OOR;
	r = entry_addr(its, COLL_TABLE, icid, &a);
	if (r == L1_INVALID)
		return VITS_ERR_COLLECTION_OOR;
	if (r)
		return r;
	if (wr64(its, a, valid ? CTE_VALID | (uint64_t)rd << 16 | icid : 0))
		return VITS_ERR_MEMORY;
	return VITS_ERR_NONE;
}

static enum vits_err cmd_mapti(struct vits *its, const uint64_t *c, bool mapti)
{
	uint32_t devid = (uint32_t)(c[0] >> 32), eventid = (uint32_t)c[1];
	uint32_t intid = mapti ? (uint32_t)(c[1] >> 32) : eventid;
	uint32_t icid = (uint32_t)(c[2] & 0xffff);
	struct dte d;
	uint64_t a, e;
	enum vits_err r = dte_get(its, devid, &d);

	if (r)
		return r;
	if ((uint64_t)eventid >> d.eventbits)
		return VITS_ERR_EVENT_OOR;
	if (!lpi_in_range(its, intid))
		return VITS_ERR_PHYSICALID_OOR;
	r = entry_addr(its, COLL_TABLE, icid, &a);
	if (r == L1_INVALID)
		return VITS_ERR_COLLECTION_OOR;
	if (r)
		return r;
	a = d.itt + (uint64_t)eventid * VITS_ENTRY_SIZE;
	if (rd64(its, a, &e))
		return VITS_ERR_MEMORY;
	/* Mapping a mapped event is UNPREDICTABLE; Linux KVM keeps the old
	   mapping and reports no error, and so do we. */
	if (e >> 16)
		return VITS_ERR_NONE;
	if (wr64(its, a, (uint64_t)intid << 16 | icid))
		return VITS_ERR_MEMORY;
	return VITS_ERR_NONE;
}

static enum vits_err cmd_movi(struct vits *its, const uint64_t *c)
{
	uint32_t devid = (uint32_t)(c[0] >> 32), eventid = (uint32_t)c[1];
	uint32_t icid = (uint32_t)(c[2] & 0xffff);
	struct ite ite;
	unsigned from, to;
	bool was;
	enum vits_err r = ite_target(its, devid, eventid, &ite, &from);

	if (!r)
		r = cte_get(its, icid, &to);
	if (r)
		return r;
	if (wr64(its, ite.addr, (uint64_t)ite.intid << 16 | icid))
		return VITS_ERR_MEMORY;
	if (from == to || !its->rd[from].lpis_enabled)
		return VITS_ERR_NONE;
	/* The pending state moves with the interrupt. */
	if (pend_update(its, from, ite.intid, false, &was))
		return VITS_ERR_MEMORY;
	if (!was)
		return VITS_ERR_NONE;
	notify_cleared(its, from, ite.intid);
	r = make_pending(its, to, ite.intid);
	return r == VITS_ERR_LPIS_DISABLED ? VITS_ERR_NONE : r;
}

static enum vits_err cmd_movall(struct vits *its, const uint64_t *c)
{
	uint32_t rd1 = rdbase(c[2]), rd2 = rdbase(c[3]);

	if (rd1 >= its->nr_vcpus || rd2 >= its->nr_vcpus)
		return VITS_ERR_PROCNUM_OOR;
	if (rd1 == rd2 || !its->rd[rd1].lpis_enabled)
		return VITS_ERR_NONE;
	return scan_pending(its, rd1, SCAN_MOVE, rd2);
}

/* INT, CLEAR, DISCARD and INV: one event of one device. */
static enum vits_err cmd_event(struct vits *its, const uint64_t *c, unsigned cmd)
{
	uint32_t devid = (uint32_t)(c[0] >> 32), eventid = (uint32_t)c[1];
	struct ite ite;
	unsigned vcpu;
	bool was;
	enum vits_err r = ite_target(its, devid, eventid, &ite, &vcpu);

	if (r)
		return r;
	switch (cmd) {
	case VITS_CMD_INT:
		r = make_pending(its, vcpu, ite.intid);
		/* Linux KVM drops an INT for a redistributor with LPIs off. */
		return r == VITS_ERR_LPIS_DISABLED ? VITS_ERR_NONE : r;
	case VITS_CMD_CLEAR:
		return clear_pending(its, vcpu, ite.intid);
	case VITS_CMD_DISCARD:
		r = clear_pending(its, vcpu, ite.intid);
		if (!r && wr64(its, ite.addr, 0))
			r = VITS_ERR_MEMORY;
		return r;
	default: /* INV */
		if (!its->rd[vcpu].lpis_enabled)
			return VITS_ERR_NONE;
		if (pend_test(its, vcpu, ite.intid, &was))
			return VITS_ERR_MEMORY;
		return refresh(its, vcpu, ite.intid, was);
	}
}

static enum vits_err cmd_invall(struct vits *its, const uint64_t *c)
{
	unsigned vcpu;
	enum vits_err r = cte_get(its, (uint32_t)(c[2] & 0xffff), &vcpu);

	if (r)
		return r;
	if (!its->rd[vcpu].lpis_enabled)
		return VITS_ERR_NONE;
	return scan_pending(its, vcpu, SCAN_REFRESH, 0);
}

static enum vits_err execute(struct vits *its, const uint64_t *c)
{
	switch (c[0] & 0xff) {
	case VITS_CMD_MAPD: return cmd_mapd(its, c);
	case VITS_CMD_MAPC: return cmd_mapc(its, c);
	case VITS_CMD_MAPTI: return cmd_mapti(its, c, true);
	case VITS_CMD_MAPI: return cmd_mapti(its, c, false);
	case VITS_CMD_MOVI: return cmd_movi(its, c);
	case VITS_CMD_MOVALL: return cmd_movall(its, c);
	case VITS_CMD_INVALL: return cmd_invall(its, c);
	case VITS_CMD_INT:
	case VITS_CMD_CLEAR:
	case VITS_CMD_DISCARD:
	case VITS_CMD_INV:
		return cmd_event(its, c, (unsigned)(c[0] & 0xff));
	case VITS_CMD_SYNC:
		/* Every command completes before the next one starts; like
		   Linux KVM, SYNC has nothing to wait for (nor to check). */
		return VITS_ERR_NONE;
	default:
		return VITS_ERR_UNKNOWN_COMMAND;
	}
}

/*
 * The architecture's error encoding as Linux's E_ITS_* names it. Where
 * Linux KVM finds no ITE for an event (unmapped device, EventID out of
 * range, no collection) it reports the command's "unmapped interrupt"
 * code; so do we, the kind saying more.
 */
static uint32_t error_code(unsigned cmd, enum vits_err kind)
{
	bool no_ite = kind == VITS_ERR_DEVICE_OOR || kind == VITS_ERR_UNMAPPED_DEVICE ||
		      kind == VITS_ERR_EVENT_OOR || kind == VITS_ERR_UNMAPPED_INTERRUPT;

	switch (cmd) {
	case VITS_CMD_MOVI:
		return no_ite ? 0x010107 : kind == VITS_ERR_UNMAPPED_COLLECTION ? 0x010109 : 0;
	case VITS_CMD_INT:
	case VITS_CMD_CLEAR:
	case VITS_CMD_INV:
	case VITS_CMD_DISCARD:
		if (!no_ite && kind != VITS_ERR_UNMAPPED_COLLECTION)
			return 0;
		return cmd == VITS_CMD_INT ? 0x010307 : cmd == VITS_CMD_CLEAR ? 0x010507 :
		       cmd == VITS_CMD_INV ? 0x010c07 : 0x010f07;
	case VITS_CMD_MAPD:
		return kind == VITS_ERR_DEVICE_OOR ? 0x010801 :
		       kind == VITS_ERR_ITTSIZE_OOR ? 0x010802 : 0;
	case VITS_CMD_MAPC:
		return kind == VITS_ERR_PROCNUM_OOR ? 0x010902 :
		       kind == VITS_ERR_COLLECTION_OOR ? 0x010903 : 0;
	case VITS_CMD_MAPTI:
	case VITS_CMD_MAPI:
		return kind == VITS_ERR_DEVICE_OOR || kind == VITS_ERR_UNMAPPED_DEVICE ? 0x010a04 :
		       kind == VITS_ERR_EVENT_OOR ? 0x010a05 :
		       kind == VITS_ERR_PHYSICALID_OOR ? 0x010a06 :
		       kind == VITS_ERR_COLLECTION_OOR ? 0x010903 : 0;
	case VITS_CMD_INVALL:
		return kind == VITS_ERR_UNMAPPED_COLLECTION ? 0x010d09 : 0;
	case VITS_CMD_MOVALL:
		return kind == VITS_ERR_PROCNUM_OOR ? 0x010e01 : 0;
	}
	return 0;
}

static uint64_t queue_size(const struct vits *its)
{
	return ((its->cbaser & 0xff) + 1) << 12;
}

static void record_error(struct vits *its, const uint64_t *c, enum vits_err kind)
{
	struct vits_error *e = &its->stats.last_error;
	unsigned cmd = (unsigned)(c[0] & 0xff);

	its->stats.cmd_errors++;
	its->stats.cmd_errors_by[kind]++;
	e->cmd = (uint8_t)cmd;
	e->kind = kind;
	e->code = error_code(cmd, kind);
	e->offset = (uint32_t)its->creadr;
	e->devid = (uint32_t)(c[0] >> 32);
	e->eventid = (uint32_t)c[1];
}

/* Run the queue from GITS_CREADR to GITS_CWRITER, stopping at an error. */
static void process(struct vits *its)
{
	uint64_t base = s2_gic_base_pa(S2_GITS_CBASER, its->cbaser).v;

	if (!its->enabled || its->stalled)
		return;
	while (its->creadr != its->cwriter) {
		uint64_t c[4] = { 0, 0, 0, 0 };
		enum vits_err r = VITS_ERR_NONE;

		for (int i = 0; i < 4 && !r; i++)
			if (rd64(its, base + its->creadr + 8 * i, &c[i]))
				r = VITS_ERR_MEMORY;
		if (!r) {
			note_table(its, base);
			r = execute(its, c);
		}
		if (r) {
			record_error(its, c, r);
			its->stalled = true;
			return;
		}
		its->stats.commands++;
		its->creadr = (its->creadr + VITS_CMD_SIZE) % queue_size(its);
	}
}

/* ---- MSIs ---- */

int vits_translater(struct vits *its, uint32_t devid, uint32_t eventid)
{
	struct ite ite;
	unsigned vcpu;
	enum vits_err r;

	its->stats.msis++;
	r = its->enabled ? ite_target(its, devid, eventid, &ite, &vcpu) : VITS_ERR_ITS_DISABLED;
	if (!r)
		r = make_pending(its, vcpu, ite.intid);
	if (r) {
		its->stats.msis_dropped++;
		its->stats.last_drop = r;
	}
	return (int)r;
}

int vits_signal(struct vits *its, uint32_t devid, uint32_t eventid)
{
	return vits_translater(its, devid, eventid);
}

void vits_set_translater_devid(struct vits *its, uint32_t devid)
{
	its->translater_devid = devid;
}

void vits_lpi_taken(struct vits *its, unsigned vcpu, uint32_t intid)
{
	bool was;

	if (vcpu >= its->nr_vcpus || !its->rd[vcpu].lpis_enabled || !lpi_in_range(its, intid))
		return;
	if (pend_update(its, vcpu, intid, false, &was))
		its->stats.table_faults++;
	else if (was)
		its->stats.lpis_taken++;
}

/* ---- registers ---- */

static int access_ok(uint64_t offset, unsigned size)
{
	return (size == 4 || size == 8) && !(offset & (size - 1));
}

/* A 64-bit register read or written whole or by 32-bit halves. */
static uint64_t reg_read(uint64_t reg, uint64_t offset, unsigned size)
{
	return size == 8 ? reg : (reg >> (8 * (offset & 4))) & 0xffffffffULL;
}

static uint64_t reg_write(uint64_t reg, uint64_t offset, unsigned size, uint64_t val)
{
	unsigned shift = 8 * (unsigned)(offset & 4);

	if (size == 8)
		return val;
	return (reg & ~(0xffffffffULL << shift)) | (val & 0xffffffffULL) << shift;
}

static uint64_t baser_reset(unsigned n)
{
	uint64_t type = n == DEV_TABLE ? BASER_TYPE_DEVICE : BASER_TYPE_COLL;

	return type << BASER_TYPE_SHIFT | (uint64_t)(VITS_ENTRY_SIZE - 1) << BASER_ESZ_SHIFT |
	       (uint64_t)S2_GITS_BASER_PAGE_64K << S2_GITS_BASER_PAGE_SHIFT;
}

static void write_baser(struct vits *its, unsigned n, uint64_t offset, unsigned size, uint64_t val)
{
	uint64_t old = its->baser[n], v;

	if (its->enabled) {
		its->stats.reg_ignored++;
		return;
	}
	v = reg_write(old, offset, size, val);
	v = (v & ~BASER_RO) | (baser_reset(n) & BASER_RO);
	/* Page_Size 0b11 is reserved: the field keeps its value. */
	if ((v & BASER_PAGE_MASK) == BASER_PAGE_MASK) {
		v = (v & ~BASER_PAGE_MASK) | (old & BASER_PAGE_MASK);
		its->stats.reg_ignored++;
	}
	its->baser[n] = v;
}

static void write_ctlr(struct vits *its, uint64_t val)
{
	bool enable = val & VITS_GITS_CTLR_ENABLED;

	/* Enabling without a valid queue and tables is UNPREDICTABLE; Linux
	   KVM ignores it. */
	if (enable && !its->enabled &&
	    (!(its->cbaser & CBASER_VALID) || !(its->baser[DEV_TABLE] & BASER_VALID) ||
	     !(its->baser[COLL_TABLE] & BASER_VALID))) {
		its->stats.reg_ignored++;
		return;
	}
	its->enabled = enable;
	process(its);
}

static void write_cbaser(struct vits *its, uint64_t offset, unsigned size, uint64_t val)
{
	if (its->enabled) {
		its->stats.reg_ignored++;
		return;
	}
	its->cbaser = reg_write(its->cbaser, offset, size, val) & ~CBASER_RES0;
	/* A new queue starts empty (GITS_CREADR resets to 0 when CBASER is
	   written; Linux KVM resets CWRITER too) and unstalled. */
	its->creadr = its->cwriter = 0;
	its->stalled = false;
}

static void write_cwriter(struct vits *its, uint64_t offset, unsigned size, uint64_t val)
{
	uint64_t v = reg_write(its->cwriter, offset, size, val);

	if ((v & CMD_OFFSET_MASK) >= queue_size(its)) {
		its->stats.reg_ignored++;
		return;
	}
	its->cwriter = v & CMD_OFFSET_MASK;
	if ((v & VITS_GITS_CWRITER_RETRY) && its->stalled)
		its->stalled = false;
	process(its);
}

static uint32_t id_reg(uint64_t offset)
{
	switch (offset) {
	case 0xffd0: return 0x40;   /* PIDR4: one 64K page of registers */
	case 0xffe0: return 0x92;   /* PIDR0/1: part number */
	case 0xffe4: return 0xb4;
	case VITS_GITS_PIDR2: return 0x3b;  /* ArchRev 3: GICv3 */
	case 0xfff0: return 0x0d;   /* CIDR0..3: the component preamble */
	case 0xfff4: return 0xf0;
	case 0xfff8: return 0x05;
	case 0xfffc: return 0xb1;
	}
	return 0;
}

int vits_mmio(struct vits *its, uint64_t offset, bool write, uint64_t *val, unsigned size)
{
	uint64_t reg = offset & ~7ULL;

	if (offset >= VITS_FRAME_SIZE)
		return S2_ERANGE;
	/* GITS_TRANSLATER also takes 16-bit writes (MSI data of PCI's
	   16-bit format). */
	if (offset == VITS_GITS_TRANSLATER && size == 2 && write) {
		vits_translater(its, its->translater_devid, (uint16_t)*val);
		return 0;
	}
	if (!access_ok(offset, size))
		return S2_EINVAL;
	/* 32-bit registers: 32-bit accesses only. */
	if (size == 8 && (offset < VITS_GITS_TYPER || (offset >= 0xffd0 && offset < 0x10000) ||
			  offset == VITS_GITS_TRANSLATER))
		return S2_EINVAL;

	if (!write) {
		uint64_t v = 0;

		if (offset == VITS_GITS_CTLR)
			v = (its->enabled ? VITS_GITS_CTLR_ENABLED : 0) |
			    (its->creadr == its->cwriter ? VITS_GITS_CTLR_QUIESCENT : 0);
		else if (offset == VITS_GITS_IIDR)
			v = IIDR_VALUE;
		else if (reg == VITS_GITS_TYPER)
			v = reg_read(TYPER_VALUE, offset, size);
		else if (reg == VITS_GITS_CBASER)
			v = reg_read(its->cbaser, offset, size);
		else if (reg == VITS_GITS_CWRITER)
			v = reg_read(its->cwriter, offset, size);
		else if (reg == VITS_GITS_CREADR)
			v = reg_read(its->creadr | (its->stalled ? VITS_GITS_CREADR_STALLED : 0),
				     offset, size);
		else if (reg >= VITS_GITS_BASER(0) && reg < VITS_GITS_BASER(2))
			v = reg_read(its->baser[(reg - VITS_GITS_BASER(0)) / 8], offset, size);
		else if (offset >= 0xffd0 && offset < 0x10000)
			v = id_reg(offset);
		*val = v;
		return 0;
	}

	if (offset == VITS_GITS_CTLR)
		write_ctlr(its, *val);
	else if (reg == VITS_GITS_CBASER)
		write_cbaser(its, offset, size, *val);
	else if (reg == VITS_GITS_CWRITER)
		write_cwriter(its, offset, size, *val);
	else if (reg >= VITS_GITS_BASER(0) && reg < VITS_GITS_BASER(2))
		write_baser(its, (unsigned)(reg - VITS_GITS_BASER(0)) / 8, offset, size, *val);
	else if (offset == VITS_GITS_TRANSLATER)
		vits_translater(its, its->translater_devid, (uint32_t)*val);
	return 0;
}

static void set_enable_lpis(struct vits *its, unsigned vcpu, bool on)
{
	struct vits_rd *rd = &its->rd[vcpu];

	if (on == rd->lpis_enabled)
		return;
	if (on) {
		rd->lpis_enabled = true;
		/* Pending LPIs left in the table are delivered, unless the
		   guest said the table is zero (PTZ), as Linux KVM does. */
		if (!(rd->pendbaser & PENDBASER_PTZ) && scan_pending(its, vcpu, SCAN_REFRESH, 0))
			its->stats.table_faults++;
	} else {
		/* The pending bits stay in the table for the next enable;
		   the vCPU interface forgets them. */
		if (its->ops->lpi_cleared && scan_pending(its, vcpu, SCAN_DROP, 0))
			its->stats.table_faults++;
		rd->lpis_enabled = false;
	}
}

int vits_gicr_mmio(struct vits *its, unsigned vcpu, uint64_t offset, bool write,
		   uint64_t *val, unsigned size)
{
	struct vits_rd *rd;
	uint64_t reg = offset & ~7ULL;

	if (vcpu >= its->nr_vcpus || !access_ok(offset, size) ||
	    (offset < 8 && size == 8))
		return S2_EINVAL;
	rd = &its->rd[vcpu];
	if (!write) {
		if (offset == VITS_GICR_CTLR)
			*val = rd->lpis_enabled ? VITS_GICR_CTLR_ENABLE_LPIS : 0;
		else if (reg == VITS_GICR_PROPBASER)
			*val = reg_read(its->propbaser, offset, size);
		else if (reg == VITS_GICR_PENDBASER)
			*val = reg_read(rd->pendbaser & ~PENDBASER_PTZ, offset, size);
		else
			*val = 0;
		return 0;
	}
	if (offset == VITS_GICR_CTLR) {
		set_enable_lpis(its, vcpu, *val & VITS_GICR_CTLR_ENABLE_LPIS);
	} else if (reg == VITS_GICR_PROPBASER || reg == VITS_GICR_PENDBASER) {
		/* UNPREDICTABLE while EnableLPIs is 1: ignored, as Linux KVM does. */
		if (rd->lpis_enabled)
			its->stats.reg_ignored++;
		else if (reg == VITS_GICR_PROPBASER)
			its->propbaser = reg_write(its->propbaser, offset, size, *val) & ~PROPBASER_RES0;
		else
			rd->pendbaser = reg_write(rd->pendbaser, offset, size, *val) & ~PENDBASER_RES0;
	}
	return 0;
}

int vits_init(struct vits *its, const struct vits_ops *ops, void *ctx,
	      unsigned nr_vcpus, unsigned ipa_bits)
{
	if (!its || !ops || !ops->read || !ops->write || !ops->lpi_pending ||
	    nr_vcpus < 1 || nr_vcpus > VITS_MAX_VCPUS || ipa_bits < 32 || ipa_bits > 52)
		return S2_EINVAL;
	*its = (struct vits){ .ops = ops, .ctx = ctx, .nr_vcpus = nr_vcpus, .ipa_bits = ipa_bits,
			      .lowest_table = ~0ULL };
	its->baser[DEV_TABLE] = baser_reset(DEV_TABLE);
	its->baser[COLL_TABLE] = baser_reset(COLL_TABLE);
	return 0;
}
