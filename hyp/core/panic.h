/* SPDX-License-Identifier: MIT */
#ifndef HYP_PANIC_H
#define HYP_PANIC_H

/* Exit status when the hypervisor itself failed (not a check). */
#define EXIT_PANIC 2

/* Print "PANIC: <reason>" and the EL2 fault registers, then exit. */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif
