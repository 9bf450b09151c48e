/* SPDX-License-Identifier: MIT */
/* Internal to the differential engine (engine*.c). */
#ifndef PGT_ENGINE_INT_H
#define PGT_ENGINE_INT_H

#include "engine.h"

unsigned eng_to_prot(unsigned m);
bool eng_is_range_op(enum op_kind k);

void eng_on_tlbi(struct renv *r, const struct ev *ev, void *arg);
void eng_find_cuts(struct eng *e, uint64_t lo, uint64_t hi);
int eng_check_fx(struct eng *e, const struct op *op, int64_t flush_calls);

int eng_check_samples(struct eng *e, const struct op *op);
int eng_check_bitmap(struct eng *e, const uint64_t *got, const uint64_t *want, size_t words);
int eng_compare_stats(struct eng *e, const struct s2_pgt_stats *before);
int eng_check_enomem(struct eng *e, const struct snap *before, uint64_t live);

#endif
