/* SPDX-License-Identifier: MIT */
/*
 * The emulated ITS's command queue (GIC architecture spec IHI 0069, "ITS
 * commands") and its MSIs. A command that fails stalls the queue at
 * itself (GITS_CREADR.Stalled) and is recorded; the guest restarts it
 * with GITS_CWRITER.Retry or gives a new queue.
 */
#include "vits_priv.h"

/* ---- commands ---- */

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
	enum vits_err r = vits_entry_addr(its, DEV_TABLE, devid, &a);

	if (r == L1_INVALID)
		return VITS_ERR_DEVICE_OOR;
	if (r)
		return r;
	/* The DTE must be RAM before anything is written. */
	if (vits_rd64(its, a, &old))
		return VITS_ERR_MEMORY;
	if (!valid)
		return vits_wr64(its, a, 0) ? VITS_ERR_MEMORY : VITS_ERR_NONE;
	if (bits > VITS_EVENTBITS)
		return VITS_ERR_ITTSIZE_OOR;
	/* A new mapping starts with no events mapped (remapping a device
	   forgets its old events, as Linux KVM does): the ITT is zeroed,
	   which also finds an ITT outside RAM before the DTE points at it
	   (one that leaves RAM half way has its first part zeroed: memory
	   the guest gave the ITS). */
	if (vits_zero_range(its, itt, (uint64_t)VITS_ENTRY_SIZE << bits))
		return VITS_ERR_MEMORY;
	if (vits_wr64(its, a, DTE_VALID | itt >> 8 << 5 | (bits - 1)))
		return VITS_ERR_MEMORY;
	vits_note_table(its, itt);
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
	r = vits_entry_addr(its, COLL_TABLE, icid, &a);
	if (r == L1_INVALID)
		return VITS_ERR_COLLECTION_OOR;
	if (r)
		return r;
	if (vits_wr64(its, a, valid ? CTE_VALID | (uint64_t)rd << 16 | icid : 0))
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
	enum vits_err r = vits_dte_get(its, devid, &d);

	if (r)
		return r;
	if ((uint64_t)eventid >> d.eventbits)
		return VITS_ERR_EVENT_OOR;
	if (!vits_lpi_in_range(its, intid))
		return VITS_ERR_PHYSICALID_OOR;
	r = vits_entry_addr(its, COLL_TABLE, icid, &a);
	if (r == L1_INVALID)
		return VITS_ERR_COLLECTION_OOR;
	if (r)
		return r;
	a = d.itt + (uint64_t)eventid * VITS_ENTRY_SIZE;
	if (vits_rd64(its, a, &e))
		return VITS_ERR_MEMORY;
	/* Mapping a mapped event is UNPREDICTABLE; Linux KVM keeps the old
	   mapping and reports no error, and so do we. */
	if (e >> 16)
		return VITS_ERR_NONE;
	if (vits_wr64(its, a, (uint64_t)intid << 16 | icid))
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
	enum vits_err r = vits_ite_target(its, devid, eventid, &ite, &from);

	if (!r)
		r = vits_cte_get(its, icid, &to);
	if (r)
		return r;
	if (vits_wr64(its, ite.addr, (uint64_t)ite.intid << 16 | icid))
		return VITS_ERR_MEMORY;
	if (from == to || !its->rd[from].lpis_enabled)
		return VITS_ERR_NONE;
	/* The pending state moves with the interrupt. */
	if (vits_pend_update(its, from, ite.intid, false, &was))
		return VITS_ERR_MEMORY;
	if (!was)
		return VITS_ERR_NONE;
	vits_notify_cleared(its, from, ite.intid);
	r = vits_make_pending(its, to, ite.intid);
	return r == VITS_ERR_LPIS_DISABLED ? VITS_ERR_NONE : r;
}

static enum vits_err cmd_movall(struct vits *its, const uint64_t *c)
{
	uint32_t rd1 = rdbase(c[2]), rd2 = rdbase(c[3]);

	if (rd1 >= its->nr_vcpus || rd2 >= its->nr_vcpus)
		return VITS_ERR_PROCNUM_OOR;
	if (rd1 == rd2 || !its->rd[rd1].lpis_enabled)
		return VITS_ERR_NONE;
	return vits_scan_pending(its, rd1, SCAN_MOVE, rd2);
}

/* INT, CLEAR, DISCARD and INV: one event of one device. */
static enum vits_err cmd_event(struct vits *its, const uint64_t *c, unsigned cmd)
{
	uint32_t devid = (uint32_t)(c[0] >> 32), eventid = (uint32_t)c[1];
	struct ite ite;
	unsigned vcpu;
	bool was;
	enum vits_err r = vits_ite_target(its, devid, eventid, &ite, &vcpu);

	if (r)
		return r;
	switch (cmd) {
	case VITS_CMD_INT:
		r = vits_make_pending(its, vcpu, ite.intid);
		/* Linux KVM drops an INT for a redistributor with LPIs off. */
		return r == VITS_ERR_LPIS_DISABLED ? VITS_ERR_NONE : r;
	case VITS_CMD_CLEAR:
		return vits_clear_pending(its, vcpu, ite.intid);
	case VITS_CMD_DISCARD:
		r = vits_clear_pending(its, vcpu, ite.intid);
		if (!r && vits_wr64(its, ite.addr, 0))
			r = VITS_ERR_MEMORY;
		return r;
	default: /* INV */
		if (!its->rd[vcpu].lpis_enabled)
			return VITS_ERR_NONE;
		if (vits_pend_test(its, vcpu, ite.intid, &was))
			return VITS_ERR_MEMORY;
		return vits_refresh(its, vcpu, ite.intid, was);
	}
}

static enum vits_err cmd_invall(struct vits *its, const uint64_t *c)
{
	unsigned vcpu;
	enum vits_err r = vits_cte_get(its, (uint32_t)(c[2] & 0xffff), &vcpu);

	if (r)
		return r;
	if (!its->rd[vcpu].lpis_enabled)
		return VITS_ERR_NONE;
	return vits_scan_pending(its, vcpu, SCAN_REFRESH, 0);
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

uint64_t vits_queue_size(const struct vits *its)
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
void vits_process(struct vits *its)
{
	uint64_t base = s2_gic_base_pa(S2_GITS_CBASER, its->cbaser).v;

	if (!its->enabled || its->stalled)
		return;
	while (its->creadr != its->cwriter) {
		uint64_t c[4] = { 0, 0, 0, 0 };
		enum vits_err r = VITS_ERR_NONE;

		for (int i = 0; i < 4 && !r; i++)
			if (vits_rd64(its, base + its->creadr + 8 * i, &c[i]))
				r = VITS_ERR_MEMORY;
		if (!r) {
			vits_note_table(its, base);
			r = execute(its, c);
		}
		if (r) {
			record_error(its, c, r);
			its->stalled = true;
			return;
		}
		its->stats.commands++;
		its->creadr = (its->creadr + VITS_CMD_SIZE) % vits_queue_size(its);
	}
}

/* ---- MSIs ---- */

int vits_translater(struct vits *its, uint32_t devid, uint32_t eventid)
{
	struct ite ite;
	unsigned vcpu;
	enum vits_err r;

	its->stats.msis++;
	r = its->enabled ? vits_ite_target(its, devid, eventid, &ite, &vcpu) : VITS_ERR_ITS_DISABLED;
	if (!r)
		r = vits_make_pending(its, vcpu, ite.intid);
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
