/* SPDX-License-Identifier: MIT */
#include <s2/err.h>
#include <s2/types.h>

const char *s2_granule_name(enum s2_granule g)
{
	switch (g) {
	case S2_GRANULE_4K: return "4K";
	case S2_GRANULE_16K: return "16K";
	case S2_GRANULE_64K: return "64K";
	}
	return "?";
}

static bool streq_nocase(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
		if (x != *b)
			return false;
	}
	return *a == *b;
}

int s2_granule_parse(const char *s, enum s2_granule *g, struct s2_diag *d)
{
	static const struct { const char *name; enum s2_granule g; } names[] = {
		{ "4k", S2_GRANULE_4K }, { "4096", S2_GRANULE_4K },
		{ "16k", S2_GRANULE_16K }, { "16384", S2_GRANULE_16K },
		{ "64k", S2_GRANULE_64K }, { "65536", S2_GRANULE_64K },
	};

	for (unsigned i = 0; s && i < sizeof(names) / sizeof(names[0]); i++) {
		if (streq_nocase(s, names[i].name)) {
			*g = names[i].g;
			return 0;
		}
	}
	return s2_diag_set(d, S2_EINVAL, "granule '%s' is not one of 4k, 16k, 64k",
			   s ? s : "");
}
