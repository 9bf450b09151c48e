/* SPDX-License-Identifier: MIT */
/*
 * An emulated GICv3 ITS and the LPI half of the redistributors of one VM,
 * with 52-bit guest addresses (GIC architecture spec IHI 0069: GITS_*,
 * GICR_CTLR.EnableLPIs, GICR_PROPBASER, GICR_PENDBASER, the ITS commands).
 *
 * Every table lives in guest memory at the IPAs the guest programmed and
 * is read and written through the caller's ops (the VM's stage 2): the
 * command queue, the device and collection tables (flat or two-level),
 * the ITTs, the LPI property table and each redistributor's pending
 * table. The ITS keeps no copy of any entry, so a table outside the VM's
 * RAM is found the first time it is used, and whatever the guest writes
 * into its tables is validated at every use.
 *
 * Entry formats (8 bytes each, little-endian; the formats of the
 * device/collection table entries and ITEs are IMPLEMENTATION DEFINED,
 * these are Linux KVM's ITS table ABI revision 0, with the offsets to the
 * next entry, which only KVM's save format uses, left 0):
 *   DTE  [63] Valid, [48:5] ITT address [52:8], [4:0] EventID bits - 1
 *   CTE  [63] Valid, [51:16] RDbase (the vCPU number), [15:0] ICID
 *   ITE  [47:16] pINTID (0: no mapping), [15:0] ICID
 * A two-level table's level-1 entries are the architecture's:
 *   [63] Valid, [51:12] address of a level-2 page (ITS page aligned).
 *
 * Freestanding: no allocation, no libc beyond what GCC may call.
 */
#ifndef HYP_VITS_H
#define HYP_VITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VITS_EFAULT        (-14)      /* ops->read/write: not guest RAM */
#define VITS_MAX_VCPUS     16
#define VITS_FRAME_SIZE    0x20000ULL /* control frame + translation frame */

/* What GITS_TYPER advertises (the limits the commands are checked against). */
#define VITS_DEVBITS       16         /* DeviceIDs 0..2^16-1 */
#define VITS_EVENTBITS     16         /* EventIDs per device, at most 2^16 */
#define VITS_ICIDBITS      16         /* GITS_TYPER.CIL=0: 16-bit ICIDs */
#define VITS_LPI_IDBITS    16         /* INTIDs below 2^16 */
#define VITS_ENTRY_SIZE    8          /* DTE, CTE and ITE */
#define VITS_LPI_BASE      8192u      /* the first LPI INTID */
#define VITS_CMD_SIZE      32

/* ITS register offsets (control frame, then translation frame at 64K). */
#define VITS_GITS_CTLR       0x0000
#define VITS_GITS_IIDR       0x0004
#define VITS_GITS_TYPER      0x0008
#define VITS_GITS_CBASER     0x0080
#define VITS_GITS_CWRITER    0x0088
#define VITS_GITS_CREADR     0x0090
#define VITS_GITS_BASER(n)   (0x0100 + 8 * (n))
#define VITS_GITS_PIDR2      0xffe8
#define VITS_GITS_TRANSLATER 0x10040

/* Redistributor offsets (RD_base frame) handled by vits_gicr_mmio(). */
#define VITS_GICR_CTLR       0x0000
#define VITS_GICR_PROPBASER  0x0070
#define VITS_GICR_PENDBASER  0x0078

/* Register fields a caller needs (the rest are in vits.c). */
#define VITS_GITS_CTLR_ENABLED      (1u << 0)
#define VITS_GITS_CTLR_QUIESCENT    (1u << 31)
#define VITS_GITS_CREADR_STALLED    1ULL
#define VITS_GITS_CWRITER_RETRY     1ULL
#define VITS_GICR_CTLR_ENABLE_LPIS  1ULL

/* ITS command numbers (DW0 [7:0]). */
enum vits_cmd {
	VITS_CMD_MOVI = 0x01,
	VITS_CMD_INT = 0x03,
	VITS_CMD_CLEAR = 0x04,
	VITS_CMD_SYNC = 0x05,
	VITS_CMD_MAPD = 0x08,
	VITS_CMD_MAPC = 0x09,
	VITS_CMD_MAPTI = 0x0a,
	VITS_CMD_MAPI = 0x0b,
	VITS_CMD_INV = 0x0c,
	VITS_CMD_INVALL = 0x0d,
	VITS_CMD_MOVALL = 0x0e,
	VITS_CMD_DISCARD = 0x0f,
};

/* Why a command failed, or why an MSI was not translated. */
enum vits_err {
	VITS_ERR_NONE,
	VITS_ERR_DEVICE_OOR,          /* DeviceID beyond GITS_TYPER or the device table */
	VITS_ERR_ITTSIZE_OOR,         /* MAPD Size beyond GITS_TYPER.ID_bits */
	VITS_ERR_EVENT_OOR,           /* EventID beyond the device's ITT */
	VITS_ERR_COLLECTION_OOR,      /* ICID beyond the collection table */
	VITS_ERR_PROCNUM_OOR,         /* RDbase is not a vCPU */
	VITS_ERR_PHYSICALID_OOR,      /* pINTID not an LPI GICR_PROPBASER covers */
	VITS_ERR_UNMAPPED_DEVICE,     /* no valid DTE */
	VITS_ERR_UNMAPPED_INTERRUPT,  /* no valid ITE */
	VITS_ERR_UNMAPPED_COLLECTION, /* no valid CTE */
	VITS_ERR_MEMORY,              /* a table, ITT or the queue is not guest RAM */
	VITS_ERR_UNKNOWN_COMMAND,     /* not a physical-LPI command this ITS knows */
	VITS_ERR_LPIS_DISABLED,       /* MSI only: the target's EnableLPIs is 0 */
	VITS_ERR_ITS_DISABLED,        /* MSI only: GITS_CTLR.Enabled is 0 */
	VITS_ERR_NR
};

struct vits_error {
	uint8_t cmd;          /* enum vits_cmd, or the unknown command number */
	enum vits_err kind;
	uint32_t code;        /* the architecture's command error encoding
				 (Linux's E_ITS_*), 0 where it has none */
	uint32_t offset;      /* GITS_CREADR offset of the command */
	uint32_t devid, eventid;
};

struct vits_stats {
	uint64_t commands;              /* commands completed */
	uint64_t cmd_errors;            /* command errors (each stalls the queue) */
	uint64_t cmd_errors_by[VITS_ERR_NR];
	struct vits_error last_error;   /* the most recent command error */
	uint64_t msis;                  /* MSIs received (TRANSLATER, vits_signal) */
	uint64_t msis_dropped;          /* not translated or target not accepting */
	enum vits_err last_drop;
	uint64_t lpis_signalled;        /* ops->lpi_pending calls */
	uint64_t lpis_taken;            /* vits_lpi_taken() that cleared a pending bit */
	uint64_t reg_ignored;           /* register writes ignored (see vits_mmio()) */
	uint64_t table_faults;          /* pending/property table not RAM outside commands */
};

struct vits_ops {
	/**
	 * read() - copy @len bytes of guest memory at @ipa into @buf.
	 * @ctx: vits_init()'s @ctx. Return: 0, or VITS_EFAULT if any byte is
	 * not RAM of the VM (through its stage 2).
	 */
	int (*read)(void *ctx, uint64_t ipa, void *buf, size_t len);
	/** write() - as read(), from @buf into guest memory. */
	int (*write)(void *ctx, uint64_t ipa, const void *buf, size_t len);
	/**
	 * lpi_pending() - LPI @intid is pending and enabled on @vcpu with
	 * @priority (the property byte's [7:2]). May come again for an LPI
	 * already pending (after INV, INVALL or EnableLPIs): treat it as a
	 * set, not a count. It stays pending until vits_lpi_taken().
	 */
	void (*lpi_pending)(void *ctx, unsigned vcpu, uint32_t intid, uint8_t priority);
	/**
	 * lpi_cleared() - optional (may be NULL): LPI @intid is no longer
	 * deliverable on @vcpu (CLEAR, DISCARD, MOVI, MOVALL, disabled by
	 * INV/INVALL, EnableLPIs cleared): drop it if the vCPU has not taken it.
	 */
	void (*lpi_cleared)(void *ctx, unsigned vcpu, uint32_t intid);
};

struct vits_rd {
	uint64_t pendbaser;   /* as written (PTZ kept until EnableLPIs) */
	bool lpis_enabled;
};

struct vits {
	const struct vits_ops *ops;
	void *ctx;
	unsigned nr_vcpus, ipa_bits;
	bool enabled, stalled;
	uint64_t cbaser, cwriter, creadr;   /* offsets without Retry/Stalled */
	uint64_t baser[2];                  /* 0: devices, 1: collections */
	uint64_t propbaser;                 /* shared by every redistributor */
	uint32_t translater_devid;
	uint64_t lowest_table;              /* see vits_lowest_table_ipa() */
	struct vits_rd rd[VITS_MAX_VCPUS];
	struct vits_stats stats;
};

/**
 * vits_init() - reset @its for a VM.
 * @ops: read and write (required), lpi_pending (required), lpi_cleared.
 * @ctx: passed to every op.
 * @nr_vcpus: redistributors, 1..VITS_MAX_VCPUS (RDbase = vCPU number,
 *            GITS_TYPER.PTA=0).
 * @ipa_bits: the VM's IPA size, 32..52; no table may reach beyond it.
 * Return: 0; S2_EINVAL (-22) for a missing op or a count out of range.
 */
int vits_init(struct vits *its, const struct vits_ops *ops, void *ctx,
	      unsigned nr_vcpus, unsigned ipa_bits);

/**
 * vits_mmio() - a guest access to the ITS frames.
 * @offset: from the ITS base, below VITS_FRAME_SIZE.
 * @write: store (*@val is the value) or load (*@val receives it).
 * @size: 4 or 8 bytes, naturally aligned; 64-bit registers also take
 *        32-bit halves, 32-bit registers only 32-bit accesses;
 *        GITS_TRANSLATER also takes 16-bit writes.
 * Unknown offsets read as zero and ignore writes. Writes the architecture
 * leaves UNPREDICTABLE are ignored and counted in stats.reg_ignored, as
 * Linux KVM ignores them: GITS_BASER and GITS_CBASER while Enabled, a
 * reserved Page_Size (the field keeps its value, so a guest probing page
 * sizes sees it refused), enabling without valid tables and queue,
 * GITS_CWRITER beyond the queue. A CWRITER write processes the queue
 * until it is empty or a command fails (GITS_CREADR.Stalled set, the
 * error in stats; only Retry=1 in CWRITER or rewriting GITS_CBASER
 * while disabled goes on). A GITS_TRANSLATER write is an MSI from the
 * DeviceID set by vits_set_translater_devid().
 * Return: 0; S2_EINVAL for a bad size or alignment; S2_ERANGE for an
 * offset outside the frames. Nothing changes on an error.
 */
int vits_mmio(struct vits *its, uint64_t offset, bool write, uint64_t *val, unsigned size);

/**
 * vits_gicr_mmio() - a guest access to @vcpu's redistributor: GICR_CTLR
 * (EnableLPIs only: the caller merges its own bits), GICR_PROPBASER
 * (one table for every redistributor, as GICR_TYPER.CommonLPIAff=0
 * requires) and GICR_PENDBASER (PTZ reads as zero). Both base registers
 * ignore writes while that redistributor's EnableLPIs is 1. Setting
 * EnableLPIs reads the pending table (unless PTZ was written) and reports
 * its enabled pending LPIs; clearing it drops them (lpi_cleared).
 * @offset: from the RD_base frame; other offsets read as zero.
 * Return: 0; S2_EINVAL for a bad size/alignment or @vcpu.
 */
int vits_gicr_mmio(struct vits *its, unsigned vcpu, uint64_t offset, bool write,
		   uint64_t *val, unsigned size);

/**
 * vits_signal() - an emulated device with DeviceID @devid raises @eventid
 * (an MSI written to GITS_TRANSLATER by the device).
 * Return: 0 if the LPI is now pending (lpi_pending called if enabled and
 * it was not pending already); otherwise a positive enum vits_err saying
 * why the MSI was dropped (also counted in stats, no command error).
 */
int vits_signal(struct vits *its, uint32_t devid, uint32_t eventid);

/** vits_translater() - the same MSI, named for the register. */
int vits_translater(struct vits *its, uint32_t devid, uint32_t eventid);

/**
 * vits_set_translater_devid() - the DeviceID that guest writes to
 * GITS_TRANSLATER through vits_mmio() carry (0 after vits_init()).
 */
void vits_set_translater_devid(struct vits *its, uint32_t devid);

/**
 * vits_lpi_taken() - @vcpu acknowledged LPI @intid: clear its bit in the
 * pending table. Out-of-range arguments are ignored.
 */
void vits_lpi_taken(struct vits *its, unsigned vcpu, uint32_t intid);

/**
 * vits_lowest_table_ipa() - the lowest IPA of any table the ITS has used
 * (command queue, device and collection tables and their level-2 pages,
 * ITTs, LPI property and pending tables) since vits_init().
 * Return: 0 and *@ipa; S2_ENOENT (-2) if it has used none.
 */
int vits_lowest_table_ipa(const struct vits *its, uint64_t *ipa);

/** vits_err_name() - "DEVICE_OOR", ... ("NONE" for 0, "?" if unknown). */
const char *vits_err_name(enum vits_err e);

#endif
