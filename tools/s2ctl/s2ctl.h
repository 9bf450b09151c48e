/* SPDX-License-Identifier: MIT */
/*
 * s2ctl internals shared by the subcommands.
 *
 * Exit codes: 0 success; 1 the library refused a well-formed request
 * (its s2_diag message is shown); 2 bad command-line input (the message
 * says what was wrong and what is accepted).
 */
#ifndef S2CTL_H
#define S2CTL_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <s2/err.h>
#include <s2/geometry.h>
#include <s2/host.h>

#define EXIT_LIB   1
#define EXIT_USAGE 2

/* The running subcommand, for message prefixes and --help hints. */
struct cmd {
	const char *name;        /* "geometry", "vtcr encode", ... */
	const char *usage;       /* full --help text */
	bool json;
};

/* ---- messages and exit codes (cli.c) ---- */
/* --json seen among the words of the command being parsed: usage errors
   found before the options are parsed are then reported in JSON too. */
extern bool json_hint;
/* Whether getopt_long would see --json (or a unique prefix of it) among
   argv[1..argc-1] under the long options @lo (NULL: no option takes a
   value). */
bool json_in_argv(int argc, char **argv, const struct option *lo);
/* A usage error (exit 2): "s2ctl CMD: message" and a hint on stderr, and
   with --json also {"error":"EINVAL","usage":true,"message"} on stdout. */
int usage_error(const struct cmd *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The JSON line of a usage error: {"error":"EINVAL","usage":true,"message"}. */
void json_usage(const char *msg);
/* A library failure: JSON {"error","message"} on stdout with --json,
   else a line on stderr. Returns EXIT_LIB. */
int lib_error(const struct cmd *c, int err, const struct s2_diag *d);
/* A file that cannot be written (errno @err): exit 1, "cannot write FILE:
   reason" on stderr (and as a JSON error line with --json). */
int io_error(const struct cmd *c, const char *file, int err);
/* Write @len bytes of @buf to @path (outfile.c). A failure leaves what
   was there: a regular file is replaced through a temporary file and
   rename(2) (or written in place where its directory takes no new file),
   a new file is removed again; a FIFO without a reader is refused
   (ENXIO), never waited on. Returns 0 or an errno value. */
int out_write(const char *path, const void *buf, size_t len);
int show_help(const struct cmd *c);
/* Turn a getopt_long '?' or ':' into a message naming the option: an
   unknown one, one that needs a value, one given a value it does not
   take (--lpa2=1), or an ambiguous prefix with the options it fits. @lo:
   the long options being parsed. */
int getopt_error(const struct cmd *c, int ch, char **argv, const struct option *lo);
/* Options every subcommand takes; returns 1 if @ch was one of them. */
#define OPT_HELP 'h'
#define OPT_JSON 1000
#define COMMON_LONGOPTS \
	{ "help", no_argument, NULL, OPT_HELP }, \
	{ "json", no_argument, NULL, OPT_JSON }
/* A subcommand's option handler: returns 1 if it knew @ch, with *@rc 0
   or EXIT_USAGE. */
typedef int (*opt_fn)(void *ctx, const struct cmd *c, int ch, const char *arg, int *rc);
/* getopt_long over @lo with --help/--json handled. Returns 0 to go on,
   -1 when help was shown (exit 0), or an exit code. */
int parse_opts(struct cmd *c, int argc, char **argv, const struct option *lo,
	       opt_fn fn, void *ctx);
/* Checks no positional arguments are left beyond @want. */
int expect_args(const struct cmd *c, int argc, char **argv, int want);

/* ---- numbers (num.c) ---- */
/* Decimal or 0x-hex, whole string, no sign, no overflow; 0 or -1. */
int num_parse_u64(const char *s, uint64_t *v);
/* As num_parse_u64() with an optional K/M/G/T/P suffix (powers of 1024). */
int num_parse_size(const char *s, uint64_t *v);
/* An option that is a size or address ("4G", "0x40000000"). */
int num_opt_size(const struct cmd *c, const char *what, const char *s, uint64_t *v);
/* Parse an option value; on failure print a usage error naming @what and
   return EXIT_USAGE (else 0). */
int num_opt_u64(const struct cmd *c, const char *what, const char *s, uint64_t *v);
int num_opt_range(const struct cmd *c, const char *what, const char *s,
		  long lo, long hi, long *v);
int num_opt_ipa_bits(const struct cmd *c, const char *what, const char *s, unsigned *v);
int num_opt_pa_bits(const struct cmd *c, const char *what, const char *s, unsigned *v);
int num_opt_granule(const struct cmd *c, const char *s, enum s2_granule *g);
/* "1 GiB", "2 MiB", "4 KiB", or bytes, into @buf (>= 32 bytes). */
const char *fmt_size(uint64_t bytes, char *buf);

/* ---- JSON output (json.c): one object per line ---- */
struct json {
	FILE *f;
	int depth;
	bool compact;                /* no blanks after ',' and ':' */
	bool need_comma[16];
};
void j_begin(struct json *j, FILE *f);            /* opens the top object */
/* The `run` output lines, compact: {"op":"map","rc":0} */
void j_begin_compact(struct json *j, FILE *f);
void j_end(struct json *j);                       /* closes it, newline */
void j_obj(struct json *j, const char *key);      /* key NULL in arrays */
void j_arr(struct json *j, const char *key);
void j_close_obj(struct json *j);
void j_close_arr(struct json *j);
void j_str(struct json *j, const char *key, const char *s);
void j_hex(struct json *j, const char *key, uint64_t v);   /* "0x..." */
void j_u64(struct json *j, const char *key, uint64_t v);
void j_int(struct json *j, const char *key, long long v);
void j_bool(struct json *j, const char *key, bool v);
void j_null(struct json *j, const char *key);

/* ---- host options shared by limits and vm-type (hostopt.c) ---- */
struct hostopt {
	bool have_pa, have_mmfr0, have_mmfr1, have_mmfr2, have_policy, have_va;
	unsigned pa_bits;
	struct s2_id_regs regs;
	struct s2_host_config cfg;
};
#define OPT_PA_BITS   1100
#define OPT_MMFR0     1101
#define OPT_MMFR1     1102
#define OPT_MMFR2     1103
#define OPT_GRANULE   1104
#define OPT_LPA2      1105
#define OPT_KPA_BITS  1106
#define OPT_POLICY    1107
#define OPT_HOST_VA   1108
#define HOST_LONGOPTS \
	{ "pa-bits", required_argument, NULL, OPT_PA_BITS }, \
	{ "mmfr0", required_argument, NULL, OPT_MMFR0 }, \
	{ "mmfr1", required_argument, NULL, OPT_MMFR1 }, \
	{ "mmfr2", required_argument, NULL, OPT_MMFR2 }, \
	{ "granule", required_argument, NULL, OPT_GRANULE }, \
	{ "lpa2", no_argument, NULL, OPT_LPA2 }, \
	{ "kernel-pa-bits", required_argument, NULL, OPT_KPA_BITS }, \
	{ "policy", required_argument, NULL, OPT_POLICY }, \
	{ "host-va-bits", required_argument, NULL, OPT_HOST_VA }
#define HOST_USAGE \
	"Host (one of):\n" \
	"  --pa-bits P          a model CPU with P bits of PA (32 36 40 42 44 48 52)\n" \
	"  --mmfr0 HEX          ID_AA64MMFR0_EL1 as read on the CPU\n" \
	"    [--mmfr1 HEX] [--mmfr2 HEX]   ID_AA64MMFR1/2_EL1 (default 0)\n" \
	"Host configuration:\n" \
	"  --granule 4k|16k|64k stage-2 granule (KVM: the host page size; default 4k)\n" \
	"  --lpa2               use LPA2 (VTCR.DS=1) when the CPU has it\n" \
	"  --kernel-pa-bits P   the host kernel's PA size, CONFIG_ARM64_PA_BITS: 48 or 52;\n" \
	"                       caps VTCR.PS, not the IPA limit; 52 with 4K/16K\n" \
	"                       uses LPA2 when the CPU has it\n" \
	"  --policy capped|independent   stage-2 level policy (default independent)\n" \
	"  --host-va-bits V     host stage-1 VA size, 36..52 (with --policy capped)\n"
void hostopt_init(struct hostopt *o);
/* Returns 1 if @ch was a host option (setting *@rc to 0 or EXIT_USAGE). */
int hostopt_handle(void *o, const struct cmd *c, int ch, const char *arg, int *rc);
/* Check the combination; with @required, a CPU must be given. */
int hostopt_finish(struct hostopt *o, const struct cmd *c, bool required);
/* Decode the registers (synthesised into o->regs for --pa-bits) and
   resolve the host: 0 or EXIT_LIB. */
int hostopt_resolve(struct hostopt *o, const struct cmd *c, struct s2_host *h);

/* ---- geometry options shared by geometry, vtcr encode, vttbr (geomopt.c) ---- */
struct geomopt {
	bool have_granule, have_ipa;
	struct s2_geom_req req;
	unsigned vmid_bits;
	bool ha, hd;
};
#define OPT_G_GRANULE 1200
#define OPT_G_IPA     1201
#define OPT_G_PA      1202
#define OPT_G_LPA2    1203
#define OPT_G_START   1204
#define OPT_G_VMIDB   1205
#define OPT_G_HA      1206
#define OPT_G_HD      1207
#define GEOM_LONGOPTS \
	{ "granule", required_argument, NULL, OPT_G_GRANULE }, \
	{ "ipa-bits", required_argument, NULL, OPT_G_IPA }, \
	{ "pa-bits", required_argument, NULL, OPT_G_PA }, \
	{ "lpa2", no_argument, NULL, OPT_G_LPA2 }, \
	{ "start-level", required_argument, NULL, OPT_G_START }, \
	{ "vmid-bits", required_argument, NULL, OPT_G_VMIDB }, \
	{ "ha", no_argument, NULL, OPT_G_HA }, \
	{ "hd", no_argument, NULL, OPT_G_HD }
#define GEOM_USAGE \
	"  --granule 4k|16k|64k stage-2 granule (required)\n" \
	"  --ipa-bits N         IPA size, 32..52 (required)\n" \
	"  --pa-bits P          VTCR.PS in bits (32 36 40 42 44 48 52); default: the\n" \
	"                       smallest of those that holds the IPA\n" \
	"  --lpa2               LPA2 descriptors, VTCR.DS=1 (4K and 16K)\n" \
	"  --start-level L      -1..3 (default: as Linux, never -1)\n" \
	"  --vmid-bits 8|16     VTCR.VS (default 8)\n" \
	"  --ha, --hd           hardware Access flag / dirty state (VTCR.HA/HD)\n"
void geomopt_init(struct geomopt *o);
int geomopt_handle(void *o, const struct cmd *c, int ch, const char *arg, int *rc);
int geomopt_finish(struct geomopt *o, const struct cmd *c);
/* s2_geometry_init(): 0 or EXIT_LIB. */
int geomopt_resolve(const struct geomopt *o, const struct cmd *c, struct s2_geometry *g);
unsigned geomopt_vtcr_flags(const struct geomopt *o);

/* ---- geometry output (geomprint.c) ---- */
void geom_json(struct json *j, const struct s2_geometry *g);
void geom_text(const struct s2_geometry *g);

/* ---- subcommands ---- */
int cmd_limits(int argc, char **argv);
int cmd_vm_type(int argc, char **argv);
int cmd_geometry(int argc, char **argv);
int cmd_vtcr(int argc, char **argv);
int cmd_vttbr(int argc, char **argv);
int cmd_matrix(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_decode_gic(const char *what, int argc, char **argv);
int cmd_virtio_limit(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_image(int argc, char **argv);

#endif
