/* SPDX-License-Identifier: MIT */
/*
 * The interrupt test's verdict. The guest counts what its handler
 * acknowledged; the hypervisor counts what left the list registers'
 * Pending state. Both must equal what the test sent (guest/proto.h):
 * every SGI once, in priority order, none of those aimed at other PEs;
 * PROTO_TIMER_TICKS timer interrupts, none early; every SPI once but
 * the one routed to an absent PE, the level-sensitive one as long as its
 * input was high; every mapped LPI once, no other. With
 * more SGIs than list registers the underflow maintenance interrupt must
 * have refilled them; accesses of a wrong size must have been counted,
 * as many as the guest made. The ITS must have seen no command error, but in
 * the VM that misbehaves on purpose: as many as the guest saw stalls.
 */
#include "check.h"
#include "printf.h"
#include "tvm.h"

static unsigned check_lpis(struct tvm *t, const struct proto_gic *r)
{
	struct vm *vm = &t->vm;
	const struct vits_stats *its = &vm->vgic.its.stats;
	unsigned bad = 0, lpis = 0, want_errors = t->mode == MODE_BAD_ITS;

	bad += !check(r->its_status == 0, "vm%u: the guest's ITS driver failed (%d)", vm->id,
		      r->its_status);
	for (unsigned i = 0; i < PROTO_NR_LPIS; i++) {
		unsigned d = i / 16, e = i % 16;
		unsigned want = d < PROTO_ITS_NDEV && e < PROTO_ITS_NEV;
		lpis += r->lpi[i];
		bad += !check(r->lpi[i] == want, "vm%u: LPI %u (device %#x event %u) acknowledged "
			      "%u times, want %u", vm->id, PROTO_LPI_BASE + i, PROTO_ITS_DEVID(d), e,
			      r->lpi[i], want);
	}
	bad += !check(vm->vgic.st.lpis == lpis && its->lpis_taken == lpis,
		      "vm%u: the guest took %u LPIs; the hypervisor saw %llu leave the list "
		      "registers, the ITS cleared %llu pending bits", vm->id, lpis,
		      (unsigned long long)vm->vgic.st.lpis, (unsigned long long)its->lpis_taken);
	if (want_errors)
		bad += !check(its->cmd_errors > 0 && its->cmd_errors == (uint64_t)r->its_stalls,
			      "vm%u: misbehaving ITS programming: %llu command errors, the guest "
			      "saw %d stalls", vm->id, (unsigned long long)its->cmd_errors,
			      r->its_stalls);
	else
		bad += !check(its->cmd_errors == 0, "vm%u: %llu ITS command errors (last: %s)",
			      vm->id, (unsigned long long)its->cmd_errors,
			      vits_err_name(its->last_error.kind));
	printf("vm%u: LPIs: %u delivered, each once; ITS: %llu commands, %llu command errors "
	       "(last %s), %llu MSIs (%llu dropped)\n", vm->id, lpis,
	       (unsigned long long)its->commands, (unsigned long long)its->cmd_errors,
	       vits_err_name(its->last_error.kind), (unsigned long long)its->msis,
	       (unsigned long long)its->msis_dropped);
	return bad;
}

uint64_t tvm_gic_report(struct tvm *t, uint64_t ipa)
{
	struct vm *vm = &t->vm;
	const struct vgic_stats *st = &vm->vgic.st;
	struct proto_gic r;
	unsigned bad = 0, sgis = 0, spis = 0;

	if (!check(vm_read(vm, ipa, &r, sizeof(r)) == 0,
		   "vm%u: interrupt report at IPA %#llx is not in its RAM", vm->id,
		   (unsigned long long)ipa))
		return 0;
	t->gic_checked = true;
	for (unsigned i = 0; i < 16; i++) {
		sgis += r.sgi[i];
		bad += !check(r.sgi[i] == 1, "vm%u: SGI %u acknowledged %u times, sent once",
			      vm->id, i, r.sgi[i]);
		bad += !check(r.norder == 16 && r.order[i] == 15 - i,
			      "vm%u: SGI burst: arrival %u was SGI %u, want %u (priority order)",
			      vm->id, i, r.order[i], 15 - i);
	}
	for (unsigned i = 0; i < PROTO_NR_SPIS; i++) {
		unsigned want = PROTO_SPI_BASE + i != PROTO_SPI_ELSEWHERE;
		spis += r.spi[i];
		bad += !check(r.spi[i] == want, "vm%u: SPI %u acknowledged %u times, want %u",
			      vm->id, PROTO_SPI_BASE + i, r.spi[i], want);
	}
	spis += r.spi_level;
	bad += !check(r.spi_level == PROTO_SPI_LEVEL_TAKEN,
		      "vm%u: level-sensitive SPI %u acknowledged %u times, want %u (once, then "
		      "twice while held high)", vm->id, PROTO_SPI_LEVEL, r.spi_level,
		      PROTO_SPI_LEVEL_TAKEN);
	bad += !check(r.vtimer == PROTO_TIMER_TICKS && r.timer_early == 0,
		      "vm%u: %u virtual timer interrupts (%u early), want %u", vm->id,
		      r.vtimer, r.timer_early, PROTO_TIMER_TICKS);
	bad += check_lpis(t, &r);
	bad += !check(r.unexpected == 0, "vm%u: %u unexpected interrupts (last INTID %u)",
		      vm->id, r.unexpected, r.last_unexpected);
	bad += !check(st->bad_mmio == PROTO_GIC_BAD_SIZES,
		      "vm%u: %llu GIC accesses of a size the register does not have, the guest "
		      "made %u", vm->id, (unsigned long long)st->bad_mmio, PROTO_GIC_BAD_SIZES);
	bad += !check(st->sgis == sgis && st->spis == spis && st->vtimer == r.vtimer,
		      "vm%u: the hypervisor saw %llu SGIs, %llu SPIs, %llu timer interrupts "
		      "taken; the guest %u, %u, %u", vm->id, (unsigned long long)st->sgis,
		      (unsigned long long)st->spis, (unsigned long long)st->vtimer, sgis, spis,
		      r.vtimer);
	if (vgic_nr_lrs() < 16)
		bad += !check(st->overflows > 0 && st->underflows > 0,
			      "vm%u: 16 SGIs for %u list registers, but %llu overflows and %llu "
			      "underflow interrupts", vm->id, vgic_nr_lrs(),
			      (unsigned long long)st->overflows,
			      (unsigned long long)st->underflows);
	printf("vm%u: interrupts: %u SGIs in priority order, %u timer, %u SPIs, %u spurious; "
	       "%u list registers, %llu overflows, %llu maintenance interrupts (%llu underflow, "
	       "%llu EOI): %s\n", vm->id, sgis, r.vtimer, spis, r.spurious, vgic_nr_lrs(),
	       (unsigned long long)st->overflows, (unsigned long long)st->maint,
	       (unsigned long long)st->underflows, (unsigned long long)st->eois,
	       bad ? "MISMATCH" : "as sent");
	return bad == 0;
}
