/* SPDX-License-Identifier: MIT */
/*
 * Inside the emulated ITS: register fields, the table formats and the
 * functions its files share (vits.c registers, vits_table.c guest memory
 * and the device/collection tables and ITTs, vits_lpi.c the LPI property
 * and pending tables, vits_cmd.c the command queue and MSIs). Not for
 * users of the ITS: they include vits.h.
 */
#ifndef HYP_VITS_PRIV_H
#define HYP_VITS_PRIV_H

#include <s2/err.h>
#include <s2/gic.h>
#include "vits.h"

#define BIT(n)        S2_BIT(n)
#define GENMASK(h, l) S2_GENMASK(h, l)

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

/* A valid DTE, decoded. */
struct dte {
	uint64_t itt;
	unsigned eventbits;
};

/* A valid ITE, decoded, and where it is. */
struct ite {
	uint64_t addr;
	uint32_t intid;
	uint32_t icid;
};

/* What vits_scan_pending() does with each pending LPI: reload its
   configuration, drop it from the vCPU interface, move it (MOVALL). */
enum scan_op { SCAN_REFRESH, SCAN_DROP, SCAN_MOVE };

/* Guest memory through the ops, refused beyond the IPA size (vits_table.c). */
int vits_mem_read(struct vits *its, uint64_t ipa, void *buf, size_t len);
int vits_mem_write(struct vits *its, uint64_t ipa, const void *buf, size_t len);
int vits_rd64(struct vits *its, uint64_t ipa, uint64_t *v);
int vits_wr64(struct vits *its, uint64_t ipa, uint64_t v);
int vits_zero_range(struct vits *its, uint64_t ipa, uint64_t len);
void vits_note_table(struct vits *its, uint64_t ipa);

/* Table entries (vits_table.c). */
enum vits_err vits_entry_addr(struct vits *its, enum table t, uint32_t id, uint64_t *addr);
enum vits_err vits_dte_get(struct vits *its, uint32_t devid, struct dte *d);
enum vits_err vits_cte_get(struct vits *its, uint32_t icid, unsigned *vcpu);
enum vits_err vits_ite_get(struct vits *its, uint32_t devid, uint32_t eventid, struct ite *ite);
enum vits_err vits_ite_target(struct vits *its, uint32_t devid, uint32_t eventid,
			      struct ite *ite, unsigned *vcpu);

/* LPI states (vits_lpi.c). */
bool vits_lpi_in_range(const struct vits *its, uint32_t intid);
int vits_pend_test(struct vits *its, unsigned vcpu, uint32_t intid, bool *set);
int vits_pend_update(struct vits *its, unsigned vcpu, uint32_t intid, bool set, bool *was);
void vits_notify_cleared(struct vits *its, unsigned vcpu, uint32_t intid);
enum vits_err vits_make_pending(struct vits *its, unsigned vcpu, uint32_t intid);
enum vits_err vits_clear_pending(struct vits *its, unsigned vcpu, uint32_t intid);
enum vits_err vits_refresh(struct vits *its, unsigned vcpu, uint32_t intid, bool pending);
enum vits_err vits_scan_pending(struct vits *its, unsigned vcpu, enum scan_op op, unsigned to);
void vits_set_enable_lpis(struct vits *its, unsigned vcpu, bool on);

/* The command queue (vits_cmd.c). */
uint64_t vits_queue_size(const struct vits *its);
void vits_process(struct vits *its);

#endif
