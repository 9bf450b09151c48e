/* SPDX-License-Identifier: MIT */
/*
 * The guest: one image for every VM, whatever its IPA size and granule.
 * It runs at EL1 with its MMU off, so every RAM access goes through
 * stage 2 only and every first touch of a page is a stage-2 fault the
 * hypervisor resolves. It checks what it can see itself (device values,
 * memory contents) and tells the hypervisor, through the test device,
 * what it is about to do so the hypervisor can check the rest.
 *
 * No global variables (guest.h).
 */
#include <stdint.h>
#include "guest.h"
#include "mmio.h"

void cmd(const struct genv *g, uint64_t c, uint64_t arg)
{
	mmio_w64(g->dev + DEV_ARG, arg);
	mmio_w64(g->dev + DEV_CMD, c);
}

uint64_t result(const struct genv *g)
{
	return mmio_r64(g->dev + DEV_RESULT);
}

void puts_dev(const struct genv *g, const char *s)
{
	while (*s)
		mmio_w64(g->dev + DEV_CONSOLE, (uint64_t)(unsigned char)*s++);
}

void expect(struct genv *g, int ok, uint64_t code)
{
	if (!ok) {
		g->failures++;
		cmd(g, CMD_FAIL, code);
	}
}

/* The device: IDs, a value computed by the hypervisor, and loads of every
   size and signedness (the hypervisor must extend as ESR.SSE/SF say). */
static void test_device(struct genv *g)
{
	uint64_t d = g->dev;

	expect(g, mmio_r64(d + DEV_ID) == DEV_MAGIC, 0x100);
	mmio_w64(d + DEV_SCRATCH, 0x0123456789abcdefULL ^ g->id);
	expect(g, mmio_r64(d + DEV_SCRATCH) == ~(0x0123456789abcdefULL ^ g->id), 0x101);
	expect(g, mmio_r32(d + DEV_PATTERN) == 0x84858687ULL, 0x102);
	expect(g, mmio_r16(d + DEV_PATTERN) == 0x8687ULL, 0x103);
	expect(g, mmio_r8(d + DEV_PATTERN) == 0x87ULL, 0x104);
	expect(g, mmio_rs32(d + DEV_PATTERN) == (int64_t)0xffffffff84858687ULL, 0x105);
	expect(g, mmio_rs16(d + DEV_PATTERN) == (int64_t)0xffffffffffff8687ULL, 0x106);
	expect(g, mmio_rs8(d + DEV_PATTERN) == (int64_t)0xffffffffffffff87ULL, 0x107);
	expect(g, mmio_rs8w(d + DEV_PATTERN) == 0xffffff87ULL, 0x108);
	expect(g, mmio_r64(d + DEV_PATTERN) == DEV_PATTERN_VALUE, 0x109);
}

static volatile uint64_t *page_word(const struct genv *g, uint64_t page, unsigned word)
{
	return (volatile uint64_t *)(g->arena + page * g->page + word * 8);
}

/* Touch every arena page (each first touch is a stage-2 fault to EL2),
   then read everything back. */
static void test_memory(struct genv *g)
{
	uint64_t sum = 0;

	for (uint64_t p = 0; p < g->npages; p++)
		*page_word(g, p, 0) = proto_fill_value(g->seed, (unsigned)p);
	for (uint64_t p = 0; p < g->npages; p++) {
		uint64_t v = *page_word(g, p, 0);
		expect(g, v == proto_fill_value(g->seed, (unsigned)p), 0x200 + p);
		sum += v;
	}
	cmd(g, CMD_CHECKSUM, sum);
}

/* Dirty logging: each round writes a pseudo-random set of pages; the
   hypervisor harvests after each round and compares. */
static void test_dirty(struct genv *g)
{
	unsigned n = proto_picks((unsigned)g->npages);

	cmd(g, CMD_DIRTY_START, 0);
	for (unsigned r = 1; r <= DIRTY_ROUNDS; r++) {
		for (unsigned i = 0; i < n; i++) {
			unsigned p = proto_page(g->seed, r, i, (unsigned)g->npages);
			*page_word(g, p, 1) = proto_dirty_value(g->seed, r, p);
		}
		cmd(g, CMD_DIRTY_ROUND, r);
		expect(g, result(g) == 1, 0x300 + r);
	}
	cmd(g, CMD_DIRTY_STOP, 0);
}

/* Aging: the hypervisor marks the arena old; the guest reads a set of
   pages; the hypervisor checks exactly those became young. */
static void test_aging(struct genv *g)
{
	unsigned n = proto_picks((unsigned)g->npages);
	uint64_t sink = 0;

	for (unsigned r = 1; r <= AGE_ROUNDS; r++) {
		cmd(g, CMD_AGE_START, r);
		for (unsigned i = 0; i < n; i++)
			sink += *page_word(g, proto_page(g->seed, 0x100 + r, i, (unsigned)g->npages), 0);
		cmd(g, CMD_AGE_CHECK, r);
		expect(g, result(g) == 1, 0x400 + r);
	}
	(void)sink;
}

/* An announced access to an address the guest must not reach: the
   hypervisor must see the fault at EL2, skip the access and return the
   poison value (RESULT 1). Beyond a 52-bit IPA space the access cannot
   reach stage 2 at all: the guest's own EL1 takes it and reports it
   (RESULT 2). */
static void probe(struct genv *g, uint64_t ipa, int write)
{
	uint64_t v = 0, r;

	cmd(g, CMD_PROBE, ipa);
	if (write)
		__asm__ volatile("str %x0, [%1]" :: "r"(0x5a5a5a5a5a5a5a5aULL), "r"(ipa) : "memory");
	else
		__asm__ volatile("ldr %x0, [%1]" : "+r"(v) : "r"(ipa) : "memory");
	r = result(g);
	expect(g, r == 2 || (r == 1 && (write || v == PROBE_POISON)), 0x500 + (uint64_t)write);
}

static void test_isolation(struct genv *g)
{
	uint64_t top = 1ULL << g->ipa_bits;
	uint64_t ram_end = g->ram + g->ram_size;

	probe(g, 0, 0);                                  /* the bottom */
	probe(g, g->dev - g->page, 0);                   /* below the device */
	probe(g, g->dev + DEV_SIZE + 0x100000, 1);       /* between device and RAM */
	probe(g, g->ram - g->page, 0);                   /* just below RAM */
	probe(g, ram_end, 1);                            /* just above RAM */
	probe(g, top - 8, 0);                            /* last bytes of the IPA space */
	probe(g, top, 0);                                /* just past the IPA size */
	probe(g, mmio_r64(g->dev + DEV_HOSTPA), 0);      /* the hypervisor's own memory */
}

/* The final check: the first pass's values survived logging, splitting,
   collapsing and aging. */
static void verify_memory(struct genv *g)
{
	for (uint64_t p = 0; p < g->npages; p++)
		expect(g, *page_word(g, p, 0) == proto_fill_value(g->seed, (unsigned)p), 0x600 + p);
}

static struct genv *genv_of_cpu(void)
{
	struct genv *g;

	__asm__ volatile("mrs %0, tpidr_el1" : "=r"(g));
	return g;
}

uint64_t guest_el1_sync(uint64_t esr, uint64_t far, uint64_t elr)
{
	uint64_t dev = genv_of_cpu()->dev;

	mmio_w64(dev + DEV_ARG2, far);
	mmio_w64(dev + DEV_ARG, esr);
	mmio_w64(dev + DEV_CMD, CMD_EL1_FAULT);
	/* The faulting instructions are all 4 bytes (A64). */
	return elr + 4;
}

void guest_el1_irq(void)
{
	gic_handle(&genv_of_cpu()->gic);
}

void guest_main(uint64_t ram, uint64_t ram_size, uint64_t dev, uint64_t ipa_bits,
		uint64_t page, uint64_t mode, uint64_t id, uint64_t gic_base)
{
	struct genv g = {
		.ram = ram, .ram_size = ram_size, .dev = dev, .ipa_bits = ipa_bits,
		.page = page, .mode = mode, .id = id, .gic_base = gic_base,
	};

	if (mode == MODE_SMP)
		smp_guest_main(ram, ram_size, page, id, gic_base, dev);
	__asm__ volatile("msr tpidr_el1, %0" :: "r"(&g));
	g.seed = mmio_r64(dev + DEV_SEED);
	g.arena = ram + GUEST_ARENA;
	g.npages = (ram_size - GUEST_ARENA) / page;

	puts_dev(&g, "hello from the guest at EL1\n");
	if (mode == MODE_WILD_JUMP) {
		puts_dev(&g, "jumping into unmapped IPA space\n");
		((void (*)(void))(dev + DEV_SIZE + 0x100000))();
	}
	if (mode == MODE_PAST_IPA) {
		puts_dev(&g, "loading from beyond my IPA size, unannounced\n");
		(void)*(volatile uint64_t *)(1ULL << ipa_bits);
	}
	if (mode == MODE_SPIN) {
		puts_dev(&g, "spinning forever\n");
		for (;;)
			__asm__ volatile("" ::: "memory");
	}
	test_device(&g);
	test_memory(&g);
	test_dirty(&g);
	test_aging(&g);
	cmd(&g, CMD_COLLAPSE, 0);
	expect(&g, result(&g) == 1, 0x700);
	test_isolation(&g);
	undef_test(&g);
	verify_memory(&g);
	gic_init(&g, &g.gic, g.gic_base);
	gic_test(&g, &g.gic);
	puts_dev(&g, g.failures ? "guest: FAILED\n" : "guest: all checks passed\n");
	cmd(&g, CMD_DONE, g.failures);
}
