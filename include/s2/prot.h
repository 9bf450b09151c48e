/* SPDX-License-Identifier: MIT */
/* Permissions and memory type of a stage-2 mapping (s2_map, s2_protect). */
#ifndef S2_PROT_H
#define S2_PROT_H

#define S2_PROT_R       (1u << 0)
#define S2_PROT_W       (1u << 1)
#define S2_PROT_X       (1u << 2)
#define S2_PROT_DEVICE  (1u << 3)   /* Device-nGnRE instead of Normal WB */
#define S2_PROT_RWX     (S2_PROT_R | S2_PROT_W | S2_PROT_X)

#endif
