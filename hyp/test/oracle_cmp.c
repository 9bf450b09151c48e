/* SPDX-License-Identifier: MIT */
/*
 * One comparison: what libs2 says the hardware will do, against what the
 * hardware did.
 *
 * From s2_translate()'s result the expected AT outcome follows the
 * architecture's check order for a stage-2 walk (Arm ARM, the order of
 * the checks in the stage 2 walk pseudocode, AArch64.S2Walk and its
 * callers): translation fault (invalid entry,
 * or IPA beyond T0SZ) at the level the walk stopped; then the Access flag
 * (VTCR_EL2.HA is off here, so AF=0 faults); then the S2AP permission for
 * the access (S2AP[0] read, S2AP[1] write). Otherwise PAR_EL1 holds
 * PA[51:12], and its memory attributes are Device for a Device stage-2
 * mapping (stage 1 is off with HCR_EL2.DC=1, i.e. Normal write-back, so
 * the combined type is stage 2's).
 */
#include <s2/fault.h>
#include "at.h"
#include "oracle.h"
#include "printf.h"

struct expect {
	bool fault;
	unsigned fst;
	uint64_t pa;
	bool device;
};

static struct expect expect_of(const struct s2_xlate *x, bool write)
{
	struct expect e = { 0 };
	unsigned need = write ? S2_PROT_W : S2_PROT_R;

	if (!x->valid) {
		e.fault = true;
		e.fst = x->fsc;
	} else if (!x->young) {
		e.fault = true;
		e.fst = 0x08 + (unsigned)x->level;
	} else if (!(x->prot & need)) {
		e.fault = true;
		e.fst = 0x0c + (unsigned)x->level;
	} else {
		e.pa = x->pa.v & S2_GENMASK(51, 12);
		e.device = x->prot & S2_PROT_DEVICE;
	}
	return e;
}

static bool agrees(const struct expect *e, uint64_t par)
{
	struct s2_par p;

	s2_par_decode(par, &p);
	if (e->fault)
		return p.f && p.s2 && !p.ptw && p.fst == e->fst;
	/* Device memory types have MAIR-style attribute 0b0000dd00. */
	return !p.f && p.pa.v == e->pa && ((p.attr & 0xf0) == 0) == e->device;
}

static void describe(char *buf, size_t len, const struct expect *e)
{
	int lvl;

	if (e->fault) {
		enum s2_fault_kind k = s2_fsc_decode(e->fst, &lvl);
		snprintf(buf, len, "stage-2 %s fault level %d (FST %#x)",
			 s2_fault_kind_name(k), lvl, e->fst);
	} else {
		snprintf(buf, len, "PA %#llx %s", (unsigned long long)e->pa,
			 e->device ? "device" : "normal");
	}
}

static void report(struct octx *o, uint64_t ipa, bool write, const struct s2_xlate *x,
		   const struct expect *e, uint64_t par)
{
	char want[96], prot[24];
	struct s2_par p;

	if (o->printed++ >= 8)
		return;
	describe(want, sizeof(want), e);
	s2_par_decode(par, &p);
	printf("  DIFF %s: AT S12E1%c %#llx: libs2 says %s (leaf level %d, desc %#llx, prot %s); "
	       "hardware PAR_EL1=%#llx (%s, FST %#x, S=%d)\n",
	       o->phase, write ? 'W' : 'R', (unsigned long long)ipa, want, x->level,
	       (unsigned long long)x->desc, s2_prot_string(x->prot, prot, sizeof(prot)),
	       (unsigned long long)par, p.f ? s2_fault_kind_name(p.kind) : "ok",
	       p.fst, p.s2);
}

void oracle_compare(struct octx *o, uint64_t ipa)
{
	struct s2_xlate x;

	if (s2_translate(&o->s.pgt, s2_ipa(ipa), &x) != 0) {
		o->differed++;
		printf("  DIFF %s: s2_translate(%#llx) failed\n", o->phase, (unsigned long long)ipa);
		return;
	}
	o->ipas++;
	for (int w = 0; w < 2; w++) {
		struct expect e = expect_of(&x, w);
		uint64_t par = w ? at_s12e1w(ipa) : at_s12e1r(ipa);

		o->compared++;
		if (!e.fault) {
			o->n_ok++;
			o->n_hi_pa += e.pa >> 48 != 0;
			o->n_device += e.device;
		} else {
			unsigned k = e.fst & 0x3c;
			o->n_xlate += k == 0x04 || e.fst == 0x2b;
			o->n_af += k == 0x08;
			o->n_perm += k == 0x0c;
		}
		if (!agrees(&e, par)) {
			o->differed++;
			report(o, ipa, w, &x, &e, par);
		}
	}
}
