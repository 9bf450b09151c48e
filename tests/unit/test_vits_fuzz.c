/* SPDX-License-Identifier: MIT */
/*
 * Random command streams through the emulated ITS.
 *
 * Against a model: an ITS that keeps its state in plain arrays (devices,
 * events, collections, property bytes, pending bits), written from the
 * architecture's rules for each command and its errors, checked after
 * every step: the error (kind) or none, the LPIs reported pending and
 * dropped, and at the end every pending table in guest memory.
 *
 * Hostile: random register writes, commands with random fields, random
 * bytes written over the guest's tables, MSIs and acknowledgements in
 * between. Nothing may crash (ASan, UBSan), hang, report an impossible
 * LPI or leave GITS_CREADR outside its queue.
 */
#include "vits_layout.h"

#define BIT64 (1ULL << 63)

/* ---- the model ---- */

#define M_DEVS   6
#define M_EVS    16
#define M_COLLS  5

struct model {
	const struct layout *l;
	uint32_t dev_id[M_DEVS], coll_id[M_COLLS];
	bool dev_valid[M_DEVS];
	unsigned dev_bits[M_DEVS];
	uint32_t ite_intid[M_DEVS][M_EVS];     /* 0: unmapped */
	unsigned ite_coll[M_DEVS][M_EVS];      /* index into coll_id */
	bool coll_valid[M_COLLS];
	unsigned coll_rd[M_COLLS];
	uint8_t prop[65536];
	bool pending[NV][65536], lpis_on[NV], its_on;
	struct lpi_event rep[64], clr[64];
	unsigned nrep, nclr;
};

static int dev_index(const struct model *m, uint32_t devid)
{
	for (int i = 0; i < M_DEVS; i++)
		if (m->dev_id[i] == devid)
			return i;
	return -1;
}

static void m_report(struct model *m, unsigned v, uint32_t intid)
{
	if (m->nrep < ARRAY_LEN(m->rep))
		m->rep[m->nrep++] = (struct lpi_event){ v, intid, m->prop[intid] & 0xfc };
}

static void m_cleared(struct model *m, unsigned v, uint32_t intid)
{
	if (m->nclr < ARRAY_LEN(m->clr))
		m->clr[m->nclr++] = (struct lpi_event){ v, intid, 0 };
}

/* An LPI becomes pending: reported if enabled and not pending before. */
static void m_set_pending(struct model *m, unsigned v, uint32_t intid)
{
	if (!m->lpis_on[v] || m->pending[v][intid])
		return;
	m->pending[v][intid] = true;
	if (m->prop[intid] & 1)
		m_report(m, v, intid);
}

static void m_clear_pending(struct model *m, unsigned v, uint32_t intid)
{
	if (m->lpis_on[v] && m->pending[v][intid]) {
		m->pending[v][intid] = false;
		m_cleared(m, v, intid);
	}
}

/* A configuration reload of a pending LPI (INV, INVALL, EnableLPIs). */
static void m_reload(struct model *m, unsigned v, uint32_t intid)
{
	if (!m->pending[v][intid])
		return;
	if (m->prop[intid] & 1)
		m_report(m, v, intid);
	else
		m_cleared(m, v, intid);
}

static bool dev_oor(const struct model *m, uint32_t devid)
{
	return devid >= 0x10000 || (!m->l->dev_ind && devid >= ids_covered(m->l, false));
}

/* Resolve devid/eventid to the event and its vCPU, or the error. */
static enum vits_err m_translate(const struct model *m, uint32_t devid, uint32_t ev, int *d, unsigned *v)
{
	int c;

	if (dev_oor(m, devid))
		return VITS_ERR_DEVICE_OOR;
	*d = dev_index(m, devid);
	if (*d < 0 || !m->dev_valid[*d])
		return VITS_ERR_UNMAPPED_DEVICE;
	if (ev >> m->dev_bits[*d])
		return VITS_ERR_EVENT_OOR;
	if (ev >= M_EVS || !m->ite_intid[*d][ev])
		return VITS_ERR_UNMAPPED_INTERRUPT;
	c = (int)m->ite_coll[*d][ev];
	if (!m->coll_valid[c])
		return VITS_ERR_UNMAPPED_COLLECTION;
	*v = m->coll_rd[c];
	return VITS_ERR_NONE;
}

struct mcmd {
	unsigned op;
	int d, e, c, c2;      /* pool indices (devices, events, collections) */
	uint32_t ev, intid;
	unsigned bits, rd, rd2;
	bool valid;
};

static enum vits_err m_exec(struct model *m, const struct mcmd *k)
{
	uint32_t devid = m->dev_id[k->d], icid = m->coll_id[k->c];
	int d, c = k->c;
	unsigned v, v2;
	enum vits_err r;

	switch (k->op) {
	case 0x08: /* MAPD */
		if (devid >= 0x10000 || devid >= ids_covered(m->l, false))
			return VITS_ERR_DEVICE_OOR;
		if (k->valid && k->bits > 16)
			return VITS_ERR_ITTSIZE_OOR;
		m->dev_valid[k->d] = k->valid;
		m->dev_bits[k->d] = k->bits;
		memset(m->ite_intid[k->d], 0, sizeof(m->ite_intid[k->d]));
		return VITS_ERR_NONE;
	case 0x09: /* MAPC */
		if (k->rd >= NV)
			return VITS_ERR_PROCNUM_OOR;
		if (icid >= ids_covered(m->l, true))
			return VITS_ERR_COLLECTION_OOR;
		m->coll_valid[c] = k->valid;
		m->coll_rd[c] = k->rd;
		return VITS_ERR_NONE;
	case 0x0a: /* MAPTI */
	case 0x0b: /* MAPI */ {
		uint32_t intid = k->op == 0x0a ? k->intid : k->ev;
		if (dev_oor(m, devid))
			return VITS_ERR_DEVICE_OOR;
		d = k->d;
		if (!m->dev_valid[d])
			return VITS_ERR_UNMAPPED_DEVICE;
		if (k->ev >> m->dev_bits[d])
			return VITS_ERR_EVENT_OOR;
		if (intid < 8192 || intid >= 65536)
			return VITS_ERR_PHYSICALID_OOR;
		if (icid >= ids_covered(m->l, true))
			return VITS_ERR_COLLECTION_OOR;
		if (!m->ite_intid[d][k->ev]) {       /* a second MAPTI is ignored */
			m->ite_intid[d][k->ev] = intid;
			m->ite_coll[d][k->ev] = (unsigned)c;
		}
		return VITS_ERR_NONE;
	}
	case 0x03: /* INT */
	case 0x04: /* CLEAR */
	case 0x0f: /* DISCARD */
	case 0x0c: /* INV */
		r = m_translate(m, devid, k->ev, &d, &v);
		if (r)
			return r;
		if (k->op == 0x03)
			m_set_pending(m, v, m->ite_intid[d][k->ev]);
		else if (k->op == 0x0c && m->lpis_on[v])
			m_reload(m, v, m->ite_intid[d][k->ev]);
		else if (k->op != 0x0c)
			m_clear_pending(m, v, m->ite_intid[d][k->ev]);
		if (k->op == 0x0f)
			m->ite_intid[d][k->ev] = 0;
		return VITS_ERR_NONE;
	case 0x0d: /* INVALL */
		if (!m->coll_valid[c])
			return VITS_ERR_UNMAPPED_COLLECTION;
		v = m->coll_rd[c];
		if (m->lpis_on[v])
			for (uint32_t i = 8192; i < 65536; i++)
				m_reload(m, v, i);
		return VITS_ERR_NONE;
	case 0x01: /* MOVI */
		r = m_translate(m, devid, k->ev, &d, &v);
		if (r)
			return r;
		if (!m->coll_valid[c])
			return VITS_ERR_UNMAPPED_COLLECTION;
		v2 = m->coll_rd[c];
		m->ite_coll[d][k->ev] = (unsigned)c;
		if (v != v2 && m->lpis_on[v] && m->pending[v][m->ite_intid[d][k->ev]]) {
			m_clear_pending(m, v, m->ite_intid[d][k->ev]);
			m_set_pending(m, v2, m->ite_intid[d][k->ev]);
		}
		return VITS_ERR_NONE;
	case 0x0e: /* MOVALL */
		if (k->rd >= NV || k->rd2 >= NV)
			return VITS_ERR_PROCNUM_OOR;
		if (k->rd == k->rd2 || !m->lpis_on[k->rd])
			return VITS_ERR_NONE;
		for (uint32_t i = 8192; i < 65536; i++)
			if (m->pending[k->rd][i]) {
				m_clear_pending(m, k->rd, i);
				m_set_pending(m, k->rd2, i);
			}
		return VITS_ERR_NONE;
	default: /* SYNC */
		return VITS_ERR_NONE;
	}
}

/* ---- the differential run ---- */

static const unsigned ops[] = { 0x08, 0x09, 0x0a, 0x0b, 0x03, 0x04, 0x0f, 0x0c, 0x0d, 0x01, 0x0e, 0x05 };

static struct cmd encode(const struct model *m, const struct mcmd *k)
{
	uint32_t devid = m->dev_id[k->d], icid = m->coll_id[k->c];

	switch (k->op) {
	case 0x08: return c_mapd(devid, k->bits, m->l->itt + 0x1000 * (uint64_t)k->d, k->valid);
	case 0x09: return c_mapc(icid, k->rd, k->valid);
	case 0x0a: return c_mapti(devid, k->ev, k->intid, icid);
	case 0x0b: return c_mapi(devid, k->ev, icid);
	case 0x0d: return c_invall(icid);
	case 0x01: return c_movi(devid, k->ev, icid);
	case 0x0e: return c_movall(k->rd, k->rd2);
	case 0x05: return c_sync(k->rd);
	default: return c_ev(k->op, devid, k->ev);
	}
}

static int cmp_event(const void *a, const void *b)
{
	const struct lpi_event *x = a, *y = b;

	if (x->vcpu != y->vcpu)
		return x->vcpu < y->vcpu ? -1 : 1;
	if (x->intid != y->intid)
		return x->intid < y->intid ? -1 : 1;
	return (int)x->prio - (int)y->prio;
}

/* The same events, in any order. */
static bool same_events(struct lpi_event *a, unsigned na, struct lpi_event *b, unsigned nb)
{
	if (na != nb)
		return false;
	qsort(a, na, sizeof(*a), cmp_event);
	qsort(b, nb, sizeof(*b), cmp_event);
	return memcmp(a, b, na * sizeof(*a)) == 0;
}

static const uint32_t intid_pool[] = { 8192, 8193, 8194, 8195, 8200, 9000, 16383, 65535, 8191, 65536, 0 };

static void test_vits_model(void **state)
{
	static struct model m;
	uint64_t seed = 0x17a5;

	(void)state;
	for (unsigned run = 0; run < 24; run++) {
		struct layout l = layout_make(run % 3, (run / 3) % 3, run & 1, (run >> 1) & 1);
		struct tguest g;
		unsigned steps = 0, errors = 0;

		layout_setup(&g, &l);
		memset(&m, 0, sizeof(m));
		m.l = &l;
		m.its_on = true;
		for (unsigned v = 0; v < NV; v++)
			m.lpis_on[v] = true;
		for (uint32_t i = 8192; i < 65536; i++)
			m.prop[i] = fake_get8(&g.f, l.prop + i - 8192);
		const uint32_t devs[M_DEVS] = { 0, 1, 5, ids_covered(&l, false) - 1,
						ids_covered(&l, false), 0x10000 };
		const uint32_t colls[M_COLLS] = { 0, 1, 2, ids_covered(&l, true) - 1, ids_covered(&l, true) };
		memcpy(m.dev_id, devs, sizeof(devs));
		memcpy(m.coll_id, colls, sizeof(colls));

		for (; steps < 1500; steps++) {
			uint64_t rnd = unit_rand(&seed);
			unsigned what = rnd % 100;
			enum vits_err want = VITS_ERR_NONE;
			bool was_cmd = false;

			m.nrep = m.nclr = 0;
			g.f.nsig = g.f.nclr = 0;
			if (what < 70) {
				struct mcmd k = {
					.op = ops[(rnd >> 8) % ARRAY_LEN(ops)],
					.d = (int)((rnd >> 12) % M_DEVS), .c = (int)((rnd >> 16) % M_COLLS),
					.ev = (uint32_t)((rnd >> 20) % 10), .bits = 1 + (unsigned)((rnd >> 24) % 4),
					.intid = intid_pool[(rnd >> 28) % ARRAY_LEN(intid_pool)],
					.rd = (unsigned)((rnd >> 32) % 3), .rd2 = (unsigned)((rnd >> 34) % 3),
					.valid = (rnd >> 36) % 8 != 0,
				};
				if ((rnd >> 40) % 16 == 0)
					k.bits = 17;
				if ((rnd >> 44) % 8 == 0)
					k.ev = 8192 + (uint32_t)((rnd >> 48) % 4);   /* MAPI-able */
				want = m_exec(&m, &k);
				send(&g, encode(&m, &k));
				was_cmd = true;
			} else if (what < 80) {
				uint32_t devid = m.dev_id[(rnd >> 8) % M_DEVS], ev = (uint32_t)((rnd >> 12) % 10);
				int d;
				unsigned v;
				enum vits_err r = m.its_on ? m_translate(&m, devid, ev, &d, &v) : VITS_ERR_ITS_DISABLED;

				if (!r && !m.lpis_on[v])
					r = VITS_ERR_LPIS_DISABLED;
				if (!r)
					m_set_pending(&m, v, m.ite_intid[d][ev]);
				CHECK_EQ(vits_signal(&g.its, devid, ev), r, "run %u step %u: MSI %#x/%u", run,
					 steps, devid, ev);
			} else if (what < 88) {
				/* The vCPU takes one of its pending LPIs. */
				unsigned v = (rnd >> 8) % NV;
				uint32_t intid = intid_pool[(rnd >> 12) % 7];
				if (m.lpis_on[v])
					m.pending[v][intid] = false;
				vits_lpi_taken(&g.its, v, intid);
			} else if (what < 95) {
				uint32_t intid = intid_pool[(rnd >> 8) % 7];
				m.prop[intid] = (uint8_t)(rnd >> 16);
				fake_put8(&g.f, l.prop + intid - 8192, m.prop[intid]);
			} else {
				/* EnableLPIs off or on (pending table read: no PTZ). */
				unsigned v = (rnd >> 8) % NV;
				bool on = !m.lpis_on[v];
				if (on) {
					gicr_w(&g, v, GICR_PENDBASER, enc_pendbaser(l.pend[v], false), 8);
					m.lpis_on[v] = true;
					for (uint32_t i = 8192; i < 65536; i++)
						m_reload(&m, v, i);
				} else {
					for (uint32_t i = 8192; i < 65536; i++)
						if (m.pending[v][i])
							m_cleared(&m, v, i);
					m.lpis_on[v] = false;
				}
				gicr_w(&g, v, GICR_CTLR, on, 4);
			}
			if (was_cmd) {
				CHECK_EQ(stalled(&g), want != VITS_ERR_NONE, "run %u step %u: stall", run, steps);
				if (want)
					CHECK_EQ(g.its.stats.last_error.kind, want, "run %u step %u: %s", run, steps,
						 vits_err_name(g.its.stats.last_error.kind));
				if (stalled(&g)) {
					errors++;
					its_w(&g, GITS_CTLR, 0, 4);
					its_w(&g, GITS_CBASER, enc_cbaser(l.cq, g.cq_pages), 8);
					its_w(&g, GITS_CTLR, 1, 4);
					g.cw = 0;
				}
			}
			if (!CHECK(same_events(g.f.sig, g.f.nsig, m.rep, m.nrep), "run %u step %u: reported",
				   run, steps) ||
			    !CHECK(same_events(g.f.clr, g.f.nclr, m.clr, m.nclr), "run %u step %u: dropped",
				   run, steps))
				break;
		}
		/* The guest-visible pending state is the model's. */
		for (unsigned v = 0; v < NV; v++)
			for (uint32_t i = 8192; i < 65536; i++)
				if (m.lpis_on[v] && !CHECK_EQ(pend_bit(&g, &l, v, i), m.pending[v][i],
							     "run %u: vCPU %u LPI %u pending", run, v, i))
					break;
		CHECK(errors > 10 && g.its.stats.commands > 150, "run %u: %u errors, %llu commands", run,
		      errors, (unsigned long long)g.its.stats.commands);
		CHECK_EQ(g.f.faults, 0, "run %u: the ITS asked only for RAM", run);
		fake_free(&g.f);
	}
}

/* ---- hostile input ---- */

static uint64_t pick_addr(const struct layout *l, uint64_t rnd)
{
	switch (rnd % 6) {
	case 0: return l->lo + (rnd >> 8) % 0x100000;
	case 1: return l->hi + (rnd >> 8) % 0x400000;
	case 2: return (1ULL << 52) - 0x800000;        /* not RAM */
	case 3: return (rnd >> 8) & MASK(51, 0);
	case 4: return l->cq;
	default: return l->itt + ((rnd >> 8) % 16) * 0x1000;
	}
}

static void test_vits_hostile(void **state)
{
	uint64_t seed = 0xbadc0de;

	(void)state;
	for (unsigned run = 0; run < 18; run++) {
		struct layout l = layout_make(run % 3, (run / 3) % 3, run & 1, run & 2);
		struct tguest g;

		layout_setup(&g, &l);
		for (unsigned step = 0; step < 3000; step++) {
			uint64_t rnd = unit_rand(&seed), r2 = unit_rand(&seed), val = 0;
			unsigned what = rnd % 100, size = (rnd >> 8) & 1 ? 8 : 4;
			uint64_t cb = its_r(&g, GITS_CBASER, 8), qsize = ((cb & 0xff) + 1) << 12;
			uint64_t q = cb & MASK(51, 12);

			if (what < 45) {
				/* A command with random fields at CWRITER, where the queue is. */
				uint64_t cw = its_r(&g, GITS_CWRITER, 8), c[4];
				c[0] = ((rnd >> 52) % 4 ? (r2 >> 32) % 8 << 32 : (r2 & ~0xffULL)) |
				       ((rnd >> 16) % 4 ? ops[(rnd >> 20) % ARRAY_LEN(ops)] : (uint8_t)(rnd >> 24));
				c[1] = unit_rand(&seed) & ((rnd >> 32) % 2 ? 0xffffffffffffULL : 0x1f0000001fULL);
				c[2] = (rnd >> 36) % 2 ? pick_addr(&l, unit_rand(&seed)) | (rnd & BIT64) :
					unit_rand(&seed) & (BIT64 | 0x3ffff);
				c[3] = unit_rand(&seed) & 0x3ffff;
				for (int i = 0; i < 4; i++) {
					uint8_t *p = fake_at(&g.f, q + cw + 8 * i, 8);
					if (p)
						memcpy(p, &c[i], 8);
				}
				val = (cw + 32) % qsize | ((rnd >> 40) % 4 == 0);
				vits_mmio(&g.its, GITS_CWRITER, true, &val, 8);
			} else if (what < 52) {
				/* What a guest does after a stall: a fresh queue. */
				its_w(&g, GITS_CTLR, 0, 4);
				its_w(&g, GITS_CBASER, enc_cbaser(l.cq, 16), 8);
				if ((rnd >> 16) % 4 == 0) {
					its_w(&g, GITS_BASER0, enc_baser(true, l.dev_ind, l.ps, l.dt, TABLE_PAGES), 8);
					its_w(&g, GITS_BASER0 + 8, enc_baser(true, l.coll_ind, l.ps, l.ct, TABLE_PAGES), 8);
				}
				its_w(&g, GITS_CTLR, 1, 4);
			} else if (what < 60) {
				static const uint64_t regs[] = { GITS_CTLR, GITS_CBASER, GITS_CWRITER, GITS_BASER0,
								 GITS_BASER0 + 8, GITS_CREADR, GITS_TYPER };
				uint64_t off = regs[(rnd >> 16) % ARRAY_LEN(regs)];
				val = (rnd >> 24) % 2 ? r2 : (pick_addr(&l, r2) | (r2 & 0xc0000000000003ffULL));
				if (off == GITS_CTLR)
					size = 4, val &= 1;
				vits_mmio(&g.its, off + (size == 4 && (rnd >> 30) % 2 && off != GITS_CTLR ? 4 : 0),
					  true, &val, size);
			} else if (what < 68) {
				unsigned v = (rnd >> 16) % NV;
				uint64_t off = (rnd >> 20) % 3 == 0 ? GICR_CTLR : (rnd >> 20) % 3 == 1 ?
					       GICR_PROPBASER : GICR_PENDBASER;
				val = off == GICR_CTLR ? r2 & 1 : pick_addr(&l, r2) | (r2 & 0x1f) | (r2 & BIT64 >> 1);
				vits_gicr_mmio(&g.its, v, off, true, &val, off == GICR_CTLR ? 4 : 8);
			} else if (what < 78) {
				/* Scribble over a table. */
				uint64_t a = (rnd >> 16) % 2 ? l.itt + r2 % 0x20000 : l.hi + r2 % 0x400000;
				uint8_t *p = fake_at(&g.f, a & ~7ULL, 8);
				uint64_t junk = unit_rand(&seed);
				if (p)
					memcpy(p, &junk, 8);
			} else if (what < 90) {
				vits_signal(&g.its, (uint32_t)r2 % 8 == 0 ? (uint32_t)r2 : (uint32_t)r2 % 4,
					    (uint32_t)(r2 >> 32) % 16);
			} else if (what < 95) {
				vits_lpi_taken(&g.its, (unsigned)(r2 % 3), (uint32_t)(r2 >> 8) % 70000);
			} else {
				val = r2;
				vits_mmio(&g.its, (rnd >> 16) % 0x20010, (rnd >> 40) % 2, &val, 1u << ((rnd >> 48) % 4));
				vits_gicr_mmio(&g.its, (unsigned)(r2 % 3), (rnd >> 20) % 0x100, true, &val,
					       1u << ((rnd >> 50) % 4));
			}
			uint64_t cr = its_r(&g, GITS_CREADR, 8);
			cb = its_r(&g, GITS_CBASER, 8);
			if (!CHECK((cr & MASK(19, 5)) < ((cb & 0xff) + 1) << 12 && !(cr & 0x1e),
				   "run %u step %u: CREADR %#llx", run, step, (unsigned long long)cr))
				break;
		}
		uint64_t sum = 0;
		for (unsigned k = 0; k < VITS_ERR_NR; k++)
			sum += g.its.stats.cmd_errors_by[k];
		CHECK_EQ(sum, g.its.stats.cmd_errors, "run %u: errors by kind add up", run);
		CHECK_EQ(g.f.bad_reports, 0, "run %u: no impossible LPI reported", run);
		CHECK(g.its.stats.cmd_errors > 0 && g.its.stats.commands > 0,
		      "run %u: both ran (%llu commands, %llu errors)", run,
		      (unsigned long long)g.its.stats.commands, (unsigned long long)g.its.stats.cmd_errors);
		fake_free(&g.f);
	}
}

static const struct CMUnitTest tests[] = {
	UNIT_TEST(test_vits_model),
	UNIT_TEST(test_vits_hostile),
};

UNIT_MAIN("vits_fuzz", tests)
