/* SPDX-License-Identifier: MIT */
/* Leaf attribute encoding (Arm ARM D8.3.2, stage 2 block and page attributes). */
#include <s2/desc.h>
#include <s2/pgtable.h>

uint64_t s2_desc_attrs(const struct s2_geometry *g, unsigned prot)
{
	uint64_t a = S2_DESC_AF;

	a |= (prot & S2_PROT_DEVICE ? S2_MEMATTR_DEVICE_nGnRE : S2_MEMATTR_NORMAL_WB)
	     << S2_DESC_MEMATTR_SHIFT;
	if (prot & S2_PROT_R)
		a |= S2_DESC_S2AP_R;
	if (prot & S2_PROT_W)
		a |= S2_DESC_S2AP_W;
	/* XN=0b10: not executable at EL1 or EL0 (without FEAT_XNX, XN[0] is
	   ignored). */
	if (!(prot & S2_PROT_X))
		a |= S2_DESC_XN;
	/* With DS=1 the SH bits hold OA[51:50]; shareability is VTCR.SH0. */
	if (!g->ds)
		a |= S2_DESC_SH_INNER;
	return a;
}

const char *s2_prot_string(unsigned prot, char *buf, size_t len)
{
	if (len)
		s2_snprintf(buf, len, "%c%c%c%s", prot & S2_PROT_R ? 'r' : '-',
			    prot & S2_PROT_W ? 'w' : '-', prot & S2_PROT_X ? 'x' : '-',
			    prot & S2_PROT_DEVICE ? ",device" : "");
	return buf;
}
