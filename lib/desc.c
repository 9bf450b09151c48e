/* SPDX-License-Identifier: MIT */
/* Permissions as text. */
#include <s2/desc.h>
#include <s2/pgtable.h>

const char *s2_prot_string(unsigned prot, char *buf, size_t len)
{
	if (len)
		s2_snprintf(buf, len, "%c%c%c%s", prot & S2_PROT_R ? 'r' : '-',
			    prot & S2_PROT_W ? 'w' : '-', prot & S2_PROT_X ? 'x' : '-',
			    prot & S2_PROT_DEVICE ? ",device" : "");
	return buf;
}
