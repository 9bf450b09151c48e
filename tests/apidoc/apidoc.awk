# apidoc.awk: the public API's documentation rules, checked on C headers.
#
#   awk -v allow=FILE -f apidoc.awk include/s2/*.h
#
# Declarations checked: every function prototype, static inline function
# and function-pointer typedef at file scope, and every function-pointer
# member of a struct or union (the environment's ops). For each, the
# comment right before it (only blank lines between) must:
#   - be a doc comment (slash, two stars) that starts with its name;
#   - name every parameter as @name;
#   - for a function returning a signed integer, have a "Return:" part
#     that names the errors (S2_E...), says the call cannot fail, or
#     refers to another function's ("as s2_foo()") that does;
#   - name only errors some header defines (#define S2_E...);
#   - when it returns errors and takes no struct s2_diag *, say "No diag"
#     (the one diagnostics rule, which some header must state in a comment
#     beginning "Diagnostics rule:");
#   - when it takes a writable struct s2_pgtable * (it may change
#     descriptors), state its TLB side effect: name a TLBI or say "no TLBI".
# And the signature itself must:
#   - give every output buffer (a writable char/uint8_t pointer, an
#     array, or a parameter named buf or bitmap) a length parameter;
#   - take addresses named ipa/pa/addr (or ..._ipa, pa_..., ram_end) as s2_ipa_t or
#     s2_pa_t, not a raw integer, unless FILE lists "function parameter
#     reason" for it (an entry without a reason, or one that matches no
#     parameter, is itself a problem).
# Each problem is printed as FILE:LINE: NAME: what is missing; the exit
# status is 1 if there was any. POSIX awk (mawk, gawk, busybox).

BEGIN {
	nprob = 0; ndecl = 0; nbad = 0; rule_seen = 0
	if (allow != "") {
		lno = 0
		while ((getline l < allow) > 0) {
			lno++
			if (l ~ /^[ \t]*(#|$)/)
				continue
			nf = split(l, w, /[ \t]+/)
			k = w[1] SUBSEP w[2]
			allowed[k] = 1
			allow_lno[k] = lno
			if (nf < 3)
				problem_at(allow, lno, w[1], "allow-list entry for @" w[2] " gives no reason")
		}
		close(allow)
	}
}

function problem_at(file, line, name, msg) {
	printf "%s:%d: %s: %s\n", file, line, name, msg
	nprob++
}

function trim(s) {
	gsub(/[ \t\n]+/, " ", s)
	sub(/^ /, "", s)
	sub(/ $/, "", s)
	return s
}

# Index of the parenthesis closing the one at position p of s (0: none).
function close_paren(s, p,    d, i, c) {
	d = 0
	for (i = p; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c == "(")
			d++
		else if (c == ")" && --d == 0)
			return i
	}
	return 0
}

function strip_attributes(s,    p, q, r) {
	while ((p = index(s, "__attribute__")) > 0) {
		r = substr(s, p)
		q = index(r, "(")
		if (q == 0)
			break
		q = close_paren(r, q)
		if (q == 0)
			break
		s = substr(s, 1, p - 1) substr(r, q + 1)
	}
	return s
}

# A declaration s (normalised) at FILENAME:line with doc comment doc.
function declaration(s, line, doc, where,    p, q, name, ret, params, np, i, c, d, cur, pn, pt, arr, key) {
	s = strip_attributes(s)
	if (s ~ /^[^(]*\( *\*/) {
		# function pointer: RET (*NAME)(PARAMS)
		p = index(s, "(")
		ret = substr(s, 1, p - 1)
		q = close_paren(s, p)
		name = substr(s, p + 1, q - p - 1)
		gsub(/[ *]/, "", name)
		s = substr(s, q + 1)
		p = index(s, "(")
		if (p == 0)
			return
	} else {
		p = index(s, "(")
		ret = substr(s, 1, p - 1)
		if (!match(ret, /[A-Za-z_][A-Za-z0-9_]* *$/))
			return
		name = trim(substr(ret, RSTART))
		ret = substr(ret, 1, RSTART - 1)
	}
	ret = " " trim(ret) " "
	gsub(/ (static|inline|extern|typedef) /, " ", ret)
	ret = trim(ret)
	q = close_paren(s, p)
	params = substr(s, p + 1, q - p - 1)

	ndecl++
	key = FILENAME SUBSEP name
	nprob_before = nprob
	dfile[ndecl] = FILENAME; dline[ndecl] = line; dname[ndecl] = name
	ddoc[ndecl] = doc; dret[ndecl] = ret; dwhere[ndecl] = where
	byname[name] = ndecl

	# split the parameters at top-level commas
	np = 0; d = 0; cur = ""
	for (i = 1; i <= length(params); i++) {
		c = substr(params, i, 1)
		if (c == "(")
			d++
		else if (c == ")")
			d--
		if (c == "," && d == 0) {
			pl[++np] = trim(cur); cur = ""
		} else
			cur = cur c
	}
	if (trim(cur) != "")
		pl[++np] = trim(cur)
	dnp[ndecl] = 0
	for (i = 1; i <= np; i++) {
		c = pl[i]
		if (c == "void" || c == "...")
			continue
		arr = 0
		if (match(c, /\( *\* *[A-Za-z_][A-Za-z0-9_]* *\)/)) {
			pn = substr(c, RSTART, RLENGTH)
			gsub(/[( *)]/, "", pn)
			pt = "function pointer"
		} else {
			if (sub(/ *\[[^]]*\]$/, "", c))
				arr = 1
			if (!match(c, /[A-Za-z_][A-Za-z0-9_]*$/) || RSTART == 1) {
				dnp[ndecl]++
				pnam[ndecl, dnp[ndecl]] = ""
				ptyp[ndecl, dnp[ndecl]] = c
				parr[ndecl, dnp[ndecl]] = 0
				continue
			}
			pn = substr(c, RSTART)
			pt = trim(substr(c, 1, RSTART - 1))
			gsub(/ \*/, "*", pt)
			gsub(/\*/, " *", pt)
			pt = trim(pt)
		}
		dnp[ndecl]++
		pnam[ndecl, dnp[ndecl]] = pn
		ptyp[ndecl, dnp[ndecl]] = pt
		parr[ndecl, dnp[ndecl]] = arr
	}
}

# Remove the comment markers: the text of a comment.
function comment_text(c) {
	sub(/^\/\*+/, "", c)
	sub(/\*+\/$/, "", c)
	gsub(/\n[ \t]*\*+/, "\n", c)
	return c
}

function doc_return(doc,    p) {
	p = index(doc, "Return:")
	return p ? substr(doc, p) : ""
}

# Does declaration n document errors (itself or through "as s2_foo()")?
function names_errors(n, depth,    r, ref) {
	r = doc_return(ddoc[n])
	if (r ~ /S2_E[A-Z]+/)
		return 1
	if (depth < 4 && match(r, /[Aa]s [A-Za-z_][A-Za-z0-9_]*\(\)/)) {
		ref = substr(r, RSTART + 3, RLENGTH - 5)
		if (ref in byname && byname[ref] != n)
			return names_errors(byname[ref], depth + 1)
	}
	return 0
}

function check(n,    f, l, nm, doc, text, i, pn, pt, has_diag, has_len, j, r, is_int, err, k, first, t, e) {
	f = dfile[n]; l = dline[n]; nm = dname[n]; doc = ddoc[n]
	if (doc == "" || doc !~ /^\/\*\*/) {
		problem_at(f, l, nm, "no doc comment (/** " nm "() - ... */) right before it")
		doc = ""
	} else {
		text = trim(comment_text(doc))
		first = text
		sub(/[ (].*/, "", first)
		if (first != nm)
			problem_at(f, l, nm, "doc comment does not start with its name (" nm "() - ...)")
	}
	has_diag = 0
	for (i = 1; i <= dnp[n]; i++) {
		pn = pnam[n, i]; pt = ptyp[n, i]
		if (pn == "") {
			problem_at(f, l, nm, "parameter " i " (" pt ") has no name")
			continue
		}
		if (pt ~ /struct s2_diag \*$/)
			has_diag = 1
		if (doc != "" && doc !~ ("@" pn "([^A-Za-z0-9_]|$)"))
			problem_at(f, l, nm, "parameter " pn " not named as @" pn " in the doc comment")
		# output buffers need a length
		if (pt !~ /(^| )const / && (parr[n, i] || pn ~ /^(buf|bitmap)$|_(buf|bitmap)$/ ||
		    pt ~ /^(char|signed char|unsigned char|uint8_t|int8_t) \*$/)) {
			has_len = 0
			for (j = 1; j <= dnp[n]; j++)
				if (j != i && ptyp[n, j] ~ /^(const )?(size_t|unsigned|unsigned int|unsigned long|unsigned long long|uint32_t|uint64_t|int|long)$/ &&
				    pnam[n, j] ~ /len|size|words|count|bytes|^n$|^nr_/)
					has_len = 1
			if (!has_len)
				problem_at(f, l, nm, "output buffer @" pn " has no length parameter")
		}
		# typed addresses
		if (pn ~ /^(ipa|pa|gpa|hpa|addr)$|_(ipa|pa|addr)$|^(ipa|pa)_|^ram_(base|start|end)$/ &&
		    pt ~ /^(const )?(uint64_t|u64|unsigned long|unsigned long long|uintptr_t|phys_addr_t)$/) {
			k = nm SUBSEP pn
			if (k in allowed)
				allow_used[k] = 1
			else
				problem_at(f, l, nm, "address @" pn " is a raw " pt " (take s2_ipa_t/s2_pa_t, or allow-list it with a reason)")
		}
		# a writable table: the call may change descriptors
		if (pt ~ /^struct s2_pgtable \*$/ && doc != "" && tolower(doc) !~ /tlbi/)
			problem_at(f, l, nm, "takes a writable @" pn " but states no TLB side effect (name the TLBI, or say \"No TLBI\")")
	}
	is_int = dret[n] ~ /^(const )?(int|long|long long|long int|int64_t|int32_t|ssize_t)$/
	if (doc == "")
		return
	t = doc
	while (match(t, /S2_E[A-Z]+/)) {
		e = substr(t, RSTART, RLENGTH)
		t = substr(t, RSTART + RLENGTH)
		if (!(e in errdef) && !((nm SUBSEP e) in undef_seen)) {
			undef_seen[nm, e] = 1
			problem_at(f, l, nm, "names " e ", which no header defines")
		}
	}
	r = doc_return(doc)
	if (is_int && r == "") {
		problem_at(f, l, nm, "returns " dret[n] " but has no \"Return:\" part")
		return
	}
	err = names_errors(n, 0)
	if (is_int && !err && r !~ /(never|cannot|does not|can't|can not) fail/)
		problem_at(f, l, nm, "returns " dret[n] " but its Return: names no error (S2_E...) and does not say it cannot fail")
	if (err && !has_diag) {
		if (doc !~ /[Nn]o diag/)
			problem_at(f, l, nm, "returns errors but takes no struct s2_diag * and does not say \"No diag\" (the diagnostics rule)")
		else if (!rule_seen)
			problem_at(f, l, nm, "says \"No diag\" but no header states the \"Diagnostics rule:\"")
	}
}

FNR == 1 {
	incom = 0; skip = 0; stmt = ""; doc = ""; ppcont = 0; depth = 0
}

{
	line = $0
	if (ppcont) {
		ppcont = (line ~ /\\$/)
		next
	}
	if (!incom && line ~ /^[ \t]*#/) {
		# a preprocessor line parts a comment from what follows
		ppcont = (line ~ /\\$/)
		if (match(line, /^[ \t]*#[ \t]*define[ \t]+S2_E[A-Z]+[ \t]/)) {
			e = substr(line, RSTART, RLENGTH)
			sub(/^[ \t]*#[ \t]*define[ \t]+/, "", e)
			sub(/[ \t]+$/, "", e)
			errdef[e] = 1
		}
		doc = ""
		next
	}
	code_on_line = 0
	n = length(line)
	i = 1
	while (i <= n) {
		if (incom) {
			j = index(substr(line, i), "*/")
			if (j == 0) {
				ctext = ctext substr(line, i) "\n"
				break
			}
			ctext = ctext substr(line, i, j + 1)
			i += j + 1
			incom = 0
			if (index(ctext, "Diagnostics rule:"))
				rule_seen = 1
			if (skip == 0 && !ctrailing && stmt == "")
				doc = ctext
			continue
		}
		c = substr(line, i, 1)
		if (c == "/" && substr(line, i + 1, 1) == "*") {
			incom = 1; ctrailing = code_on_line; ctext = "/*"
			i += 2
			continue
		}
		if (c == "/" && substr(line, i + 1, 1) == "/")
			break
		if (skip > 0) {
			if (c == "{")
				skip++
			else if (c == "}")
				skip--
			i++
			continue
		}
		if (c == " " || c == "\t") {
			if (stmt != "")
				stmt = stmt " "
			i++
			continue
		}
		code_on_line = 1
		if (stmt == "") {
			stmt_line = FNR; stmt_doc = doc; doc = ""
		}
		if (c == "{") {
			t = trim(stmt)
			if (index(t, "(") && t !~ /=/ && t !~ /(^| )(struct|union|enum)( [A-Za-z_][A-Za-z0-9_]*)?$/) {
				if (depth == 0)
					declaration(t, stmt_line, stmt_doc, "")
				skip = 1
			} else {
				depth++
				kind[depth] = (t ~ /(^| )(struct|union)( [A-Za-z_][A-Za-z0-9_]*)?$/)
			}
			stmt = ""
		} else if (c == "}") {
			if (depth > 0)
				depth--
			stmt = ""
		} else if (c == ";") {
			t = trim(stmt)
			if (depth == 0 && index(t, "(") && t !~ /=/ &&
			    (t !~ /^typedef / || t ~ /^typedef [^(]*\( *\*/))
				declaration(t, stmt_line, stmt_doc, "")
			else if (depth > 0 && kind[depth] && t ~ /^[^(]*\( *\* *[A-Za-z_][A-Za-z0-9_]* *\) *\(/)
				declaration(t, stmt_line, stmt_doc, "member")
			stmt = ""
		} else
			stmt = stmt c
		i++
	}
	if (stmt != "")
		stmt = stmt " "
}

END {
	for (n = 1; n <= ndecl; n++) {
		before = nprob
		check(n)
		if (nprob > before)
			nbad++
	}
	for (k in allowed)
		if (!(k in allow_used)) {
			split(k, w, SUBSEP)
			problem_at(allow, allow_lno[k], w[1], "allow-list entry for @" w[2] " matches no raw-address parameter")
		}
	if (nprob) {
		printf "apidoc: %d problems in %d of %d declarations\n", nprob, nbad, ndecl
		exit 1
	}
	printf "apidoc: %d declarations checked, 0 problems\n", ndecl
}
