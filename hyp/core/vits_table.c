/* SPDX-License-Identifier: MIT */
/*
 * The emulated ITS's guest memory: every access through the VM's ops,
 * none beyond its IPA size; the device and collection tables (GITS_BASER
 * <n>: flat or two-level, 4K/16K/64K ITS pages, 52-bit with 64K pages)
 * and the ITTs, whose entries live there (Linux KVM's ITS table format,
 * see vits.h).
 */
#include "vits_priv.h"

/* ---- guest memory ---- */

static bool in_ipa(const struct vits *its, uint64_t ipa, uint64_t len)
{
	uint64_t top = 1ULL << its->ipa_bits;

	return len <= top && ipa <= top - len;
}

int vits_mem_read(struct vits *its, uint64_t ipa, void *buf, size_t len)
{
	if (!in_ipa(its, ipa, len) || its->ops->read(its->ctx, ipa, buf, len))
		return VITS_EFAULT;
	return 0;
}

int vits_mem_write(struct vits *its, uint64_t ipa, const void *buf, size_t len)
{
	if (!in_ipa(its, ipa, len) || its->ops->write(its->ctx, ipa, buf, len))
		return VITS_EFAULT;
	return 0;
}

/* Table entries are little-endian whatever the host is. */
int vits_rd64(struct vits *its, uint64_t ipa, uint64_t *v)
{
	uint8_t b[8];

	if (vits_mem_read(its, ipa, b, 8))
		return VITS_EFAULT;
	*v = 0;
	for (int i = 7; i >= 0; i--)
		*v = *v << 8 | b[i];
	return 0;
}

int vits_wr64(struct vits *its, uint64_t ipa, uint64_t v)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	return vits_mem_write(its, ipa, b, 8);
}

int vits_zero_range(struct vits *its, uint64_t ipa, uint64_t len)
{
	static const uint8_t zeros[256];

	for (uint64_t done = 0; done < len; done += sizeof(zeros)) {
		uint64_t n = len - done < sizeof(zeros) ? len - done : sizeof(zeros);
		if (vits_mem_write(its, ipa + done, zeros, (size_t)n))
			return VITS_EFAULT;
	}
	return 0;
}

/* The lowest IPA of a table the ITS has used, for the caller's reports. */
void vits_note_table(struct vits *its, uint64_t ipa)
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
enum vits_err vits_entry_addr(struct vits *its, enum table t, uint32_t id, uint64_t *addr)
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
		vits_note_table(its, base);
		return VITS_ERR_NONE;
	}
	if (id / per_page >= size / 8)
		return oor;
	if (vits_rd64(its, base + id / per_page * 8, &l1))
		return VITS_ERR_MEMORY;
	if (!(l1 & L1_VALID))
		return L1_INVALID;
	vits_note_table(its, base);
	*addr = (l1 & GENMASK(51, 12) & ~(page - 1)) + id % per_page * VITS_ENTRY_SIZE;
	vits_note_table(its, *addr - id % per_page * VITS_ENTRY_SIZE);
	return VITS_ERR_NONE;
}


/* The valid DTE of @devid, or why there is none. */
enum vits_err vits_dte_get(struct vits *its, uint32_t devid, struct dte *d)
{
	uint64_t a, e;
	enum vits_err r = vits_entry_addr(its, DEV_TABLE, devid, &a);

	if (r == L1_INVALID)
		return VITS_ERR_UNMAPPED_DEVICE;
	if (r)
		return r;
	if (vits_rd64(its, a, &e))
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
enum vits_err vits_cte_get(struct vits *its, uint32_t icid, unsigned *vcpu)
{
	uint64_t a, e, rd;
	enum vits_err r = vits_entry_addr(its, COLL_TABLE, icid, &a);

	if (r == VITS_ERR_MEMORY)
		return r;
	if (r)
		return VITS_ERR_UNMAPPED_COLLECTION;
	if (vits_rd64(its, a, &e))
		return VITS_ERR_MEMORY;
	rd = (e & GENMASK(51, 16)) >> 16;
	/* The table is guest memory: whatever is there is checked. */
	if (!(e & CTE_VALID) || rd >= its->nr_vcpus || (e & 0xffff) != icid)
		return VITS_ERR_UNMAPPED_COLLECTION;
	*vcpu = (unsigned)rd;
	return VITS_ERR_NONE;
}

/* ---- interrupt translation tables ---- */


/* The valid ITE for @devid/@eventid, or why there is none. */
enum vits_err vits_ite_get(struct vits *its, uint32_t devid, uint32_t eventid, struct ite *ite)
{
	struct dte d;
	uint64_t e;
	enum vits_err r = vits_dte_get(its, devid, &d);

	if (r)
		return r;
	if ((uint64_t)eventid >> d.eventbits)
		return VITS_ERR_EVENT_OOR;
	ite->addr = d.itt + (uint64_t)eventid * VITS_ENTRY_SIZE;
	if (vits_rd64(its, ite->addr, &e))
		return VITS_ERR_MEMORY;
	ite->intid = (uint32_t)(e >> 16);
	ite->icid = (uint32_t)(e & 0xffff);
	if (!vits_lpi_in_range(its, ite->intid))
		return VITS_ERR_UNMAPPED_INTERRUPT;
	return VITS_ERR_NONE;
}

/* The ITE and the vCPU its collection targets. */
enum vits_err vits_ite_target(struct vits *its, uint32_t devid, uint32_t eventid,
				struct ite *ite, unsigned *vcpu)
{
	enum vits_err r = vits_ite_get(its, devid, eventid, ite);

	return r ? r : vits_cte_get(its, ite->icid, vcpu);
}
