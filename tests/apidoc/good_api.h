/* A header that keeps every rule of apidoc.awk in the shapes the public
   headers use (check-apidoc expects no finding). Never compiled.

   Diagnostics rule: calls that say "No diag" have one cause per error. */
#include <stdint.h>
#include <stddef.h>

#define S2_EINVAL  (-22)
#  define S2_ENOMEM (-12)

struct s2_pgtable;
struct s2_diag;

/**
 * two_lines() - a prototype over two lines with an attribute.
 * @buf: output, @len bytes.
 * @fmt: a format.
 * Return: characters written (the call cannot fail).
 */
int two_lines(char *buf, size_t len,
	      const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/**
 * errs() - @a checked.
 * @d: message on failure.
 * Return: 0; S2_EINVAL for a negative @a.
 */
int errs(int a, struct s2_diag *d);

/**
 * like_errs() - as errs() for @a, without a message: No diag.
 * Return: as errs().
 */
int like_errs(int a);

/**
 * walk_it() - call @cb with @arg for @pgt; no TLBI of its own.
 */
void walk_it(struct s2_pgtable *pgt, void (*cb)(void *arg, const char *line), void *arg);

/** inline_body() - @x, with braces and a comment in the body. */
static inline unsigned inline_body(unsigned x)
{
	if (x) {
		/* not a doc comment for anything */
		return x;
	}
	return 0;
}

/** raw_addr() - @pa is allow-listed in good.allow. */
void raw_addr(uint64_t pa);

struct good_ops {
	/** alloc() - @size bytes for @ctx. */
	void *(*alloc)(void *ctx, size_t size);
	int flags;           /* trailing comment */
	/** inval() - TLBI @ipa of @pgt (@ctx as above). */
	void (*inval)(void *ctx, struct s2_pgtable *pgt, s2_ipa_t ipa);
	union {
		/** inner() - @v. */
		void (*inner)(int v);
	} u;
};

/**
 * good_fn() - a visitor type: @v, @kind. No diag.
 * Return: 0 or S2_ENOMEM.
 */
typedef int (*good_fn)(const void *v, int kind);

extern const struct good_ops good_ops_default;
