/* SPDX-License-Identifier: MIT */
#include "minimum.h"

uint64_t bench_root_bytes(const struct s2_geometry *g)
{
	return g->root_bytes < 4096 ? 4096 : g->root_bytes;
}

uint64_t bench_tables_at(const struct s2_geometry *g, int level, int leaf_level,
			 uint64_t start, uint64_t end)
{
	/* Each table at @level is what one entry at level - 1 points to. */
	uint64_t span = s2_level_size(g, level - 1);
	uint64_t lo = start & ~(span - 1), hi = (end + span - 1) & ~(span - 1);

	if (level <= g->start_level || level > leaf_level)
		return 0;
	return (hi - lo) / span;
}

uint64_t bench_min_table_bytes(const struct s2_geometry *g, int leaf_level,
			       uint64_t start, uint64_t end)
{
	uint64_t bytes = bench_root_bytes(g);

	for (int l = g->start_level + 1; l <= leaf_level; l++)
		bytes += bench_tables_at(g, l, leaf_level, start, end) * s2_page_size(g);
	return bytes;
}
