/* A header that breaks each rule of apidoc.awk once (check-apidoc
   expects exactly the findings in bad_api.expected). Never compiled. */
#include <stdint.h>

#define S2_EINVAL (-22)

struct s2_pgtable;
struct s2_diag;

int no_doc(int a);

/* A plain comment, not a doc comment. */
int plain_comment(int a);

/** Starts with something else. @a: a value. Return: cannot fail. */
int wrong_start(int a);

/** param_missing() - @a only. Return: cannot fail. */
int param_missing(int a, int b);

/** unnamed_param() - @a. Return: cannot fail. */
int unnamed_param(int a, int);

/** no_return() - @a. */
int no_return(int a);

/** vague_error() - @a. Return: 0, or a negative error. */
int64_t vague_error(int a);

/** no_diag_word() - @a. Return: 0 or S2_EINVAL. */
int no_diag_word(int a);

/** rule_missing() - @a. No diag. Return: 0 or S2_EINVAL. */
int rule_missing(int a);

/** changes_tables() - @pgt, @d. Return: 0 or S2_EINVAL. */
int changes_tables(struct s2_pgtable *pgt, struct s2_diag *d);

/** no_length() - fill @buf. */
void no_length(char *buf);

/** no_length_array() - fill @out. */
void no_length_array(uint64_t out[]);

/** raw_ipa() - @ipa, @pa. */
void raw_ipa(uint64_t ipa, uint64_t pa);

/** split_by_define() - @a. */
#define SPLIT_BY_DEFINE 1
void split_by_define(int a);

/** inline_param() - @x only. */
static inline int inline_param(int x, int y)
{
	return x + y;   /* cannot fail */
}

struct bad_ops {
	int n;            /* a trailing comment is no doc comment */
	void (*member)(void *ctx, struct s2_pgtable *pgt);
	/** hook() - @ctx. */
	void (*hook)(void *ctx, struct s2_pgtable *pgt, uint64_t gpa);
};

typedef int (*bad_fn)(int a);

/** unknown_error() - @a, @d. Return: 0 or S2_EBOGUS. */
int unknown_error(int a, struct s2_diag *d);
