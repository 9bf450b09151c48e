/* SPDX-License-Identifier: MIT */
/* A host-side stage-2 table for `run` and `image` (table.c). */
#ifndef S2CTL_TABLE_H
#define S2CTL_TABLE_H

#include "s2ctl.h"

#include <s2/host_env.h>
#include <s2/pgtable.h>

struct tableopt {
	struct geomopt g;     /* granule and IPA default to 4K and 40 bits */
	bool have_base, no_fwb;
	uint64_t base, vmid, arena;
	const char *out;
};

#define OPT_T_BASE  1600
#define OPT_T_VMID  1601
#define OPT_T_NOFWB 1602
#define OPT_T_OUT   1603
#define OPT_T_MEM   1604
#define TABLE_LONGOPTS \
	GEOM_LONGOPTS, \
	{ "base-pa", required_argument, NULL, OPT_T_BASE }, \
	{ "vmid", required_argument, NULL, OPT_T_VMID }, \
	{ "no-fwb", no_argument, NULL, OPT_T_NOFWB }, \
	{ "table-memory", required_argument, NULL, OPT_T_MEM }
#define TABLE_USAGE \
	"  --granule 4k|16k|64k stage-2 granule (default 4k)\n" \
	"  --ipa-bits N         IPA size, 32..52 (default 40)\n" \
	"  --pa-bits P          VTCR.PS in bits (default: the smallest that holds the IPA)\n" \
	"  --lpa2               LPA2 descriptors, VTCR.DS=1 (4K and 16K)\n" \
	"  --start-level L      -1..3 (default: as Linux)\n" \
	"  --base-pa PA         physical address of the table memory (default 0x40000000)\n" \
	"  --vmid N             the VM's VMID (default 1)\n" \
	"  --vmid-bits 8|16     VMID size (default 8)\n" \
	"  --ha, --hd           hardware Access flag / dirty state (DBM for dirty logging)\n" \
	"  --no-fwb             clean guest memory to the PoC when mapping it\n" \
	"  --table-memory BYTES most table memory to use, at most the machine's physical\n" \
	"                       memory (default 1 GiB); an operation that needs more\n" \
	"                       is refused (ENOMEM) before anything is allocated\n" \
	"Sizes and addresses take a K/M/G/T/P suffix (powers of 1024): 4G, 1G.\n"

struct table {
	struct s2_geometry geom;
	struct s2_host_env env;
	struct s2_pgtable pgt;
	bool open;
};

void tableopt_init(struct tableopt *o);
int tableopt_handle(void *ctx, const struct cmd *c, int ch, const char *arg, int *rc);
/* 0, EXIT_USAGE (misaligned base) or EXIT_LIB (message shown). */
int table_open(struct table *t, const struct cmd *c, struct tableopt *o);
void table_close(struct table *t);

#endif
