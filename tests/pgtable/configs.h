/* SPDX-License-Identifier: MIT */
/*
 * The table configurations the randomised tests cover: every granule,
 * IPA sizes 32..52, the smallest PS, 48 and 52 bits, LPA2 off and on,
 * Linux's start level and every other start level the library accepts
 * (-1 included), with VTCR.HD and no-FWB cleaning in rotation.
 */
#ifndef PGT_CONFIGS_H
#define PGT_CONFIGS_H

#include <stddef.h>
#include "engine.h"

/* Fills @out (if non-NULL) and returns the number of configurations the
   library accepts. */
size_t pgt_configs(struct eng_cfg *out, size_t max);

#endif
