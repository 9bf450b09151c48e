/* SPDX-License-Identifier: MIT */
/*
 * A guest for the emulated ITS tests: guest RAM as a few regions at
 * chosen IPAs (anything else is not RAM), a log of the LPIs the ITS
 * reports, and the guest's side of the programming, with every register
 * and command encoded here from the GICv3 architecture (IHI 0069), not
 * from the ITS's own definitions:
 *
 *   GITS_BASER<n>  [63] Valid [62] Indirect [61:59] InnerCache [58:56] Type
 *                  [55:53] OuterCache [52:48] Entry_Size-1 [47:12] PA
 *                  (64K pages: [47:16] PA[47:16], [15:12] PA[51:48])
 *                  [11:10] Shareability [9:8] Page_Size [7:0] Size (pages-1)
 *   GITS_CBASER    [63] Valid [61:59] InnerCache [55:53] OuterCache
 *                  [51:12] PA [11:10] Shareability [7:0] Size (4K pages-1)
 *   GITS_CWRITER   [19:5] Offset [0] Retry;  GITS_CREADR [19:5] Offset [0] Stalled
 *   GICR_PROPBASER [58:56] OuterCache [51:12] PA [11:10] Shareability
 *                  [9:7] InnerCache [4:0] IDbits (bits-1)
 *   GICR_PENDBASER [62] PTZ [58:56] OuterCache [51:16] PA [11:10]
 *                  Shareability [9:7] InnerCache
 *   Commands (4 doublewords): DW0 [7:0] command, [63:32] DeviceID;
 *   DW1 [31:0] EventID, [63:32] pINTID (MAPTI), [4:0] Size (MAPD);
 *   DW2 [15:0] ICID, [51:16] RDbase (MAPC, MOVALL, SYNC), [51:8] ITT
 *   address (MAPD), [63] Valid (MAPD, MAPC); DW3 [51:16] RDbase2 (MOVALL).
 */
#ifndef TESTS_VITS_GUEST_H
#define TESTS_VITS_GUEST_H

#include "unit.h"
#include "vits.h"

#define MASK(h, l) ((~0ULL >> (63 - (h))) & (~0ULL << (l)))

/* ---- guest RAM ---- */

#define FAKE_REGIONS 4
#define FAKE_LOG     512

struct fake_region {
	uint64_t ipa, size;
	uint8_t *mem;
};

struct lpi_event {
	unsigned vcpu;
	uint32_t intid;
	uint8_t prio;
};

struct fake {
	struct fake_region r[FAKE_REGIONS];
	unsigned nr;
	unsigned long reads, writes, faults;
	struct lpi_event sig[FAKE_LOG], clr[FAKE_LOG];
	unsigned nsig, nclr;
	unsigned bad_reports;      /* callbacks with impossible arguments */
	unsigned nr_vcpus;
};

static inline uint8_t *fake_at(struct fake *f, uint64_t ipa, uint64_t len)
{
	for (unsigned i = 0; i < f->nr; i++) {
		struct fake_region *r = &f->r[i];
		if (ipa >= r->ipa && len <= r->size && ipa - r->ipa <= r->size - len)
			return r->mem + (ipa - r->ipa);
	}
	return NULL;
}

static inline int fake_read(void *ctx, uint64_t ipa, void *buf, size_t len)
{
	struct fake *f = ctx;
	uint8_t *p = fake_at(f, ipa, len);

	f->reads++;
	if (!p) {
		f->faults++;
		return VITS_EFAULT;
	}
	memcpy(buf, p, len);
	return 0;
}

static inline int fake_write(void *ctx, uint64_t ipa, const void *buf, size_t len)
{
	struct fake *f = ctx;
	uint8_t *p = fake_at(f, ipa, len);

	f->writes++;
	if (!p) {
		f->faults++;
		return VITS_EFAULT;
	}
	memcpy(p, buf, len);
	return 0;
}

static inline void fake_pending(void *ctx, unsigned vcpu, uint32_t intid, uint8_t prio)
{
	struct fake *f = ctx;

	if (vcpu >= f->nr_vcpus || intid < 8192 || intid >= 65536 || (prio & 3))
		f->bad_reports++;
	if (f->nsig < FAKE_LOG)
		f->sig[f->nsig++] = (struct lpi_event){ vcpu, intid, prio };
}

static inline void fake_cleared(void *ctx, unsigned vcpu, uint32_t intid)
{
	struct fake *f = ctx;

	if (vcpu >= f->nr_vcpus || intid < 8192 || intid >= 65536)
		f->bad_reports++;
	if (f->nclr < FAKE_LOG)
		f->clr[f->nclr++] = (struct lpi_event){ vcpu, intid, 0 };
}

static const struct vits_ops fake_ops = {
	.read = fake_read, .write = fake_write,
	.lpi_pending = fake_pending, .lpi_cleared = fake_cleared,
};

static inline void fake_add(struct fake *f, uint64_t ipa, uint64_t size)
{
	assert_true(f->nr < FAKE_REGIONS);
	f->r[f->nr].ipa = ipa;
	f->r[f->nr].size = size;
	f->r[f->nr].mem = calloc(1, size);
	assert_non_null(f->r[f->nr].mem);
	f->nr++;
}

static inline void fake_free(struct fake *f)
{
	for (unsigned i = 0; i < f->nr; i++)
		free(f->r[i].mem);
	f->nr = 0;
}

static inline uint64_t fake_get64(struct fake *f, uint64_t ipa)
{
	uint8_t *p = fake_at(f, ipa, 8);
	uint64_t v = 0;

	assert_non_null(p);
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static inline void fake_put64(struct fake *f, uint64_t ipa, uint64_t v)
{
	uint8_t *p = fake_at(f, ipa, 8);

	assert_non_null(p);
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint8_t fake_get8(struct fake *f, uint64_t ipa)
{
	uint8_t *p = fake_at(f, ipa, 1);

	assert_non_null(p);
	return *p;
}

static inline void fake_put8(struct fake *f, uint64_t ipa, uint8_t v)
{
	uint8_t *p = fake_at(f, ipa, 1);

	assert_non_null(p);
	*p = v;
}

/* How many times @intid was reported pending on @vcpu. */
static inline unsigned fake_count(const struct fake *f, unsigned vcpu, uint32_t intid)
{
	unsigned n = 0;

	for (unsigned i = 0; i < f->nsig; i++)
		n += f->sig[i].vcpu == vcpu && f->sig[i].intid == intid;
	return n;
}

static inline unsigned fake_cleared_count(const struct fake *f, unsigned vcpu, uint32_t intid)
{
	unsigned n = 0;

	for (unsigned i = 0; i < f->nclr; i++)
		n += f->clr[i].vcpu == vcpu && f->clr[i].intid == intid;
	return n;
}

/* ---- register and command encodings (see the top of this file) ---- */

#define GITS_CTLR      0x0000
#define GITS_IIDR      0x0004
#define GITS_TYPER     0x0008
#define GITS_CBASER    0x0080
#define GITS_CWRITER   0x0088
#define GITS_CREADR    0x0090
#define GITS_BASER0    0x0100
#define GITS_TRANSLATER 0x10040
#define GICR_CTLR      0x0000
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078

enum { PS_4K = 0, PS_16K = 1, PS_64K = 2 };

static inline uint64_t ps_bytes(unsigned ps)
{
	return ps == PS_4K ? 0x1000 : ps == PS_16K ? 0x4000 : 0x10000;
}

static inline uint64_t enc_baser(bool valid, bool indirect, unsigned ps, uint64_t pa, unsigned pages)
{
	uint64_t v = (uint64_t)valid << 63 | (uint64_t)indirect << 62 | (uint64_t)ps << 8 |
		     (uint64_t)(pages - 1);

	if (ps == PS_64K)
		return v | (pa & MASK(47, 16)) | ((pa >> 48) & 0xf) << 12;
	return v | (pa & MASK(47, 12));
}

static inline uint64_t enc_cbaser(uint64_t pa, unsigned pages)
{
	return 1ULL << 63 | (pa & MASK(51, 12)) | (uint64_t)(pages - 1);
}

static inline uint64_t enc_propbaser(uint64_t pa, unsigned idbits)
{
	return (pa & MASK(51, 12)) | (uint64_t)(idbits - 1);
}

static inline uint64_t enc_pendbaser(uint64_t pa, bool ptz)
{
	return (pa & MASK(51, 16)) | (uint64_t)ptz << 62;
}

struct cmd {
	uint64_t dw[4];
};

static inline struct cmd c_mapd(uint32_t devid, unsigned bits, uint64_t itt, bool valid)
{
	return (struct cmd){ { 0x08 | (uint64_t)devid << 32, (uint64_t)(bits - 1) & 0x1f,
			       (uint64_t)valid << 63 | (itt & MASK(51, 8)), 0 } };
}

static inline struct cmd c_mapc(uint32_t icid, uint64_t rd, bool valid)
{
	return (struct cmd){ { 0x09, 0, (uint64_t)valid << 63 | (rd << 16 & MASK(51, 16)) | icid, 0 } };
}

static inline struct cmd c_mapti(uint32_t devid, uint32_t ev, uint32_t intid, uint32_t icid)
{
	return (struct cmd){ { 0x0a | (uint64_t)devid << 32, ev | (uint64_t)intid << 32, icid, 0 } };
}

static inline struct cmd c_mapi(uint32_t devid, uint32_t ev, uint32_t icid)
{
	return (struct cmd){ { 0x0b | (uint64_t)devid << 32, ev, icid, 0 } };
}

/* INT 0x03, CLEAR 0x04, INV 0x0c, DISCARD 0x0f. */
static inline struct cmd c_ev(unsigned op, uint32_t devid, uint32_t ev)
{
	return (struct cmd){ { op | (uint64_t)devid << 32, ev, 0, 0 } };
}

static inline struct cmd c_movi(uint32_t devid, uint32_t ev, uint32_t icid)
{
	return (struct cmd){ { 0x01 | (uint64_t)devid << 32, ev, icid, 0 } };
}

static inline struct cmd c_invall(uint32_t icid)
{
	return (struct cmd){ { 0x0d, 0, icid, 0 } };
}

static inline struct cmd c_movall(uint64_t rd1, uint64_t rd2)
{
	return (struct cmd){ { 0x0e, 0, rd1 << 16 & MASK(51, 16), rd2 << 16 & MASK(51, 16) } };
}

static inline struct cmd c_sync(uint64_t rd)
{
	return (struct cmd){ { 0x05, 0, rd << 16 & MASK(51, 16), 0 } };
}

#define OP_INT     0x03
#define OP_CLEAR   0x04
#define OP_INV     0x0c
#define OP_DISCARD 0x0f

/* ---- the guest ---- */

struct tguest {
	struct vits its;
	struct fake f;
	uint64_t cq;          /* command queue IPA */
	unsigned cq_pages;
	uint64_t cw;          /* the guest's idea of CWRITER */
};

static inline uint64_t its_r(struct tguest *g, uint64_t off, unsigned size)
{
	uint64_t v = 0xdeadbeef;

	assert_int_equal(vits_mmio(&g->its, off, false, &v, size), 0);
	return v;
}

static inline void its_w(struct tguest *g, uint64_t off, uint64_t v, unsigned size)
{
	assert_int_equal(vits_mmio(&g->its, off, true, &v, size), 0);
}

static inline uint64_t gicr_r(struct tguest *g, unsigned vcpu, uint64_t off, unsigned size)
{
	uint64_t v = 0xdeadbeef;

	assert_int_equal(vits_gicr_mmio(&g->its, vcpu, off, false, &v, size), 0);
	return v;
}

static inline void gicr_w(struct tguest *g, unsigned vcpu, uint64_t off, uint64_t v, unsigned size)
{
	assert_int_equal(vits_gicr_mmio(&g->its, vcpu, off, true, &v, size), 0);
}

/* Queue @c at the guest's CWRITER and tell the ITS. */
static inline void send(struct tguest *g, struct cmd c)
{
	for (int i = 0; i < 4; i++)
		fake_put64(&g->f, g->cq + g->cw + 8 * i, c.dw[i]);
	g->cw = (g->cw + 32) % ((uint64_t)g->cq_pages << 12);
	its_w(g, GITS_CWRITER, g->cw, 8);
}

/* Queue without telling the ITS (several commands, one CWRITER write). */
static inline void queue(struct tguest *g, struct cmd c)
{
	for (int i = 0; i < 4; i++)
		fake_put64(&g->f, g->cq + g->cw + 8 * i, c.dw[i]);
	g->cw = (g->cw + 32) % ((uint64_t)g->cq_pages << 12);
}

static inline bool stalled(struct tguest *g)
{
	return its_r(g, GITS_CREADR, 8) & 1;
}

#endif
