/* SPDX-License-Identifier: MIT */
/*
 * What every bare-metal test guest needs: the UART and RAM the device
 * tree names, hex output, PSCI calls and the virtual counter. With the
 * MMU off every access is Device memory, so MMIO goes through single
 * aligned stores KVM can decode (ESR.ISV=1).
 */
#ifndef GUEST_GIO_H
#define GUEST_GIO_H

#include <stdbool.h>
#include <stdint.h>

#define SYSREG_READ(name) ({ uint64_t _v; __asm__ volatile("mrs %0, " name : "=r"(_v)); _v; })
#define SYSREG_WRITE(name, v) __asm__ volatile("msr " name ", %0" :: "r"((uint64_t)(v)) : "memory")
#define ISB() __asm__ volatile("isb" ::: "memory")
#define DSB() __asm__ volatile("dsb sy" ::: "memory")

uint32_t be32(const void *p);
uint64_t be64(const void *p);

/*
 * dt_prop() - the property @prop of the first node whose name starts with
 * @node ("uart@", "chosen"), its length in *@len (may be NULL).
 * Return: the value, or NULL when there is no such node or property.
 */
const void *dt_prop(const void *fdt, const char *node, const char *prop, uint32_t *len);
/* The number of nodes whose name starts with @node. */
unsigned dt_count(const void *fdt, const char *node);

/* Set the UART from the device tree; false if it names none. */
bool gio_init(const void *fdt);
uint64_t uart_base(void);
void putc_(char c);
void puts_(const char *s);
void puthex(uint64_t v);
void putdec(uint64_t v);
/* puts_(s) then a line end. */
void putln(const char *s);
/* "s2vmm-guest: <what> ok|FAIL" and the count of failures so far. */
void check(bool ok, const char *what);
extern unsigned gio_failures;

bool word_in(const char *list, const char *word);

uint64_t w64_read(uint64_t a);
void w64_write(uint64_t a, uint64_t v);
uint32_t r32(uint64_t a);
void w32(uint64_t a, uint32_t v);
uint16_t r16(uint64_t a);
void w16(uint64_t a, uint16_t v);
uint8_t r8(uint64_t a);
void w8(uint64_t a, uint8_t v);

/* SMCCC over HVC: function id and up to three arguments. */
int64_t psci(uint64_t fn, uint64_t a, uint64_t b, uint64_t c);
#define PSCI_VERSION        0x84000000ULL
#define PSCI_CPU_OFF        0x84000002ULL
#define PSCI_CPU_ON         0xc4000003ULL
#define PSCI_AFFINITY_INFO  0xc4000004ULL

/* Virtual counter ticks per second, and now. */
uint64_t ticks_per_sec(void);
uint64_t now(void);

#endif
