/* SPDX-License-Identifier: MIT */
/*
 * The guest's GICv3 ITS driver: it places every ITS table in a block of
 * its RAM the caller chooses (above 2^48 where the VM's RAM is), programs
 * GITS_BASER (a two-level device table, a flat collection table),
 * GITS_CBASER, GICR_PROPBASER and GICR_PENDBASER, enables LPIs and the
 * ITS, and issues commands through the command queue. Freestanding and
 * position independent: all state lives in the caller's struct its_guest.
 *
 * The ITS page size is the VM's page size, except that tables above 2^48
 * need 64K ITS pages (only they carry PA[51:48] in GITS_BASER); one the
 * ITS refuses falls back to 64K, as Linux's driver does.
 *
 * Every command call returns 0, or ITS_GUEST_STALLED if the ITS stopped
 * on it (GITS_CREADR.Stalled): the queue then stays stalled until
 * its_guest_recover().
 */
#ifndef GUEST_ITS_H
#define GUEST_ITS_H

#include <stdbool.h>
#include <stdint.h>

/* Table memory the driver needs (64K aligned). */
#define ITS_GUEST_MEM_MIN  0xc0000ULL
/* LPIs the driver configures: INTIDs 8192 .. 8192 + ITS_GUEST_LPIS - 1. */
#define ITS_GUEST_IDBITS   14
#define ITS_GUEST_LPIS     ((1u << ITS_GUEST_IDBITS) - 8192u)
#define ITS_GUEST_PRIO     0xa0

enum its_guest_err {
	ITS_GUEST_OK = 0,
	ITS_GUEST_NO_ITS = -1,      /* GITS_PIDR2/TYPER do not show a physical ITS */
	ITS_GUEST_REFUSED = -2,     /* a register did not take a valid value */
	ITS_GUEST_STALLED = -3,     /* a command error stalled the queue */
	ITS_GUEST_NOMEM = -4,       /* table memory too small or used up */
	ITS_GUEST_BADARG = -5,      /* an ID the driver's tables cannot hold */
};

struct its_guest {
	uint64_t gits, gicr;        /* ITS frame, vCPU 0's RD_base */
	uint64_t mem, mem_size;     /* the table block */
	uint64_t cq, dt, ct, prop, pend, l2, itt_next;
	uint64_t cq_size, cw;       /* queue bytes, the driver's CWRITER */
	uint64_t its_page;          /* the ITS page size in use */
	unsigned ite_size, devbits, l2_used;
	uint64_t lowest;            /* lowest IPA of a table the driver set up */
	unsigned stalls;            /* command errors seen */
	uint64_t stall_offset;      /* GITS_CREADR offset of the last one */
};

/**
 * its_guest_init() - set up the ITS and vCPU 0's redistributor for LPIs.
 * @gits_ipa: ITS frame; @gicr_ipa: RD_base of vCPU 0.
 * @mem_ipa, @mem_size: the table block (64K aligned, ITS_GUEST_MEM_MIN).
 * @page: the VM's page size (4K, 16K or 64K).
 * Every LPI is enabled with priority ITS_GUEST_PRIO; collection 0 maps
 * to vCPU 0. Return: 0 or an enum its_guest_err.
 */
int its_guest_init(struct its_guest *g, uint64_t gits_ipa, uint64_t gicr_ipa,
		   uint64_t mem_ipa, uint64_t mem_size, uint64_t page);

/**
 * its_guest_map() - MAPD @devid with an ITT for @nevents events, MAPTI
 * event e to LPI @lpi_base + e on collection 0, SYNC.
 * Return: 0 or an enum its_guest_err.
 */
int its_guest_map(struct its_guest *g, uint32_t devid, uint32_t nevents, uint32_t lpi_base);

/* One command each; 0 or ITS_GUEST_STALLED. */
int its_guest_mapd(struct its_guest *g, uint32_t devid, unsigned eventbits, uint64_t itt, bool valid);
int its_guest_mapc(struct its_guest *g, uint32_t icid, uint32_t rd, bool valid);
int its_guest_mapti(struct its_guest *g, uint32_t devid, uint32_t ev, uint32_t intid, uint32_t icid);
int its_guest_mapi(struct its_guest *g, uint32_t devid, uint32_t ev, uint32_t icid);
int its_guest_int(struct its_guest *g, uint32_t devid, uint32_t ev);
int its_guest_clear(struct its_guest *g, uint32_t devid, uint32_t ev);
int its_guest_discard(struct its_guest *g, uint32_t devid, uint32_t ev);
int its_guest_inv(struct its_guest *g, uint32_t devid, uint32_t ev);
int its_guest_invall(struct its_guest *g, uint32_t icid);
int its_guest_movi(struct its_guest *g, uint32_t devid, uint32_t ev, uint32_t icid);
int its_guest_movall(struct its_guest *g, uint32_t rd1, uint32_t rd2);
int its_guest_sync(struct its_guest *g, uint32_t rd);

/** its_guest_lowest_table() - the lowest IPA of the tables set up so far. */
uint64_t its_guest_lowest_table(const struct its_guest *g);

/** its_guest_msi() - raise @eventid by writing GITS_TRANSLATER (the
    DeviceID is the one the platform gives the vCPU's writes). */
void its_guest_msi(struct its_guest *g, uint32_t eventid);

/** its_guest_lpi_config() - set LPI @intid's property byte; the ITS sees
    it after its_guest_inv() or its_guest_invall(). */
void its_guest_lpi_config(struct its_guest *g, uint32_t intid, uint8_t prio, bool enable);

/** its_guest_recover() - after a stall: disable the ITS, a fresh queue
    (GITS_CBASER), enable again. Return: 0 or ITS_GUEST_REFUSED. */
int its_guest_recover(struct its_guest *g);

/**
 * its_guest_misbehave() - programming errors the ITS must refuse, each
 * followed by a recovery: out-of-range DeviceID and EventID, a MAPI INTID
 * that is no LPI, an ITT that is not RAM, an out-of-range RDbase, an
 * unmapped event's INT, and the reserved GITS_BASER Page_Size. One of
 * them is corrected in the queue and retried (GITS_CWRITER.Retry).
 * Return: how many were refused as the architecture says (out of
 * ITS_GUEST_MISBEHAVIOURS); the ITS works normally afterwards.
 */
#define ITS_GUEST_MISBEHAVIOURS 7
int its_guest_misbehave(struct its_guest *g);

#endif
