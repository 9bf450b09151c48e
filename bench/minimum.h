/* SPDX-License-Identifier: MIT */
/*
 * The least table memory the architecture allows for a mapping, computed
 * from the geometry alone (independently of the library's code): the
 * root, plus at each level below it one table per entry of the level
 * above that the range touches, down to the level holding the leaves.
 * E.g. 4K granule, 4K pages: one 4K table per 2 MiB, one per 1 GiB, ...
 */
#ifndef BENCH_MINIMUM_H
#define BENCH_MINIMUM_H

#include <s2/geometry.h>

/* The root as allocated: its architectural size, at least 4K (a smaller
   root is legal but no environment serves less than a page). */
uint64_t bench_root_bytes(const struct s2_geometry *g);

/* Table pages at @level (> start level) for leaves at @leaf_level over
   [start, end). */
uint64_t bench_tables_at(const struct s2_geometry *g, int level, int leaf_level,
			 uint64_t start, uint64_t end);

/* Root plus every table needed for leaves at @leaf_level over [start, end). */
uint64_t bench_min_table_bytes(const struct s2_geometry *g, int leaf_level,
			       uint64_t start, uint64_t end);

#endif
