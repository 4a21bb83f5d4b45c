/*
 * _resolver_scan: the compiled front end of unknown-term detection.
 *
 * An optional accelerator for two loops of resolver/unknown.py that run once
 * per capitalised run of a text (about 25,000 per megabyte of news):
 *
 *   runs(text, end_at)   the runs of unknown._patterns()'s run expression that
 *                        are not known mentions (unknown._runs_py, which it
 *                        replaces, is the specification);
 *   walk(...)            the per-run filter of unknown._hits (unknown._walk_py
 *                        is the specification).
 *
 * The word lists (connectors, abbreviations, article prefixes) come from
 * unknown.py through configure(), so they live in one place; the shape of the
 * expression is written out below, and tests/test_scan_accel.py checks on
 * generated text that both functions answer exactly what the Python ones do.
 * unknown.py uses this module only when its GRAMMAR equals the one unknown.py
 * expects, so a stale build is never used: change the expression, change the
 * code below and both numbers.
 *
 * Python's re semantics, reproduced here: "up" is a character below U+10000
 * that is upper case or title case (str.isupper() or str.istitle() of the
 * character); "alnum" is str.isalnum() of the character (re's [^\W_]); a
 * "word" character for \b is alnum or "_".
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define GRAMMAR 1

/* ------------------------------------------------------------------------ */
/* word lists, set by configure() */

typedef struct {
    Py_ssize_t len;
    char text[8];
} Word;

#define MAX_WORDS 64

typedef struct {
    int n;
    unsigned long long first; /* a bit for each letter a word starts with ('A' is bit 0) */
    Word w[MAX_WORDS];
} Words;

/* whether a word of ws may start with c (a quick test before comparing) */
static inline int may_start(const Words *ws, Py_UCS4 c) {
    return c >= 'A' && c <= 'z' && (ws->first >> (c - 'A') & 1);
}

static Words conn_hy, conn_word, abbrs, prefixes;
static int configured = 0;

static int cmp_len_desc(const void *x, const void *y) {
    const Word *a = x, *b = y;
    if (a->len != b->len) return a->len > b->len ? -1 : 1;
    return 0;
}

static int load_words(PyObject *seq, Words *out, const char *what) {
    PyObject *fast = PySequence_Fast(seq, "a sequence of words is expected");
    if (fast == NULL) return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    if (n > MAX_WORDS) {
        PyErr_Format(PyExc_ValueError, "too many %s (at most %d)", what, MAX_WORDS);
        Py_DECREF(fast);
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *s = PySequence_Fast_GET_ITEM(fast, i);
        Py_ssize_t len;
        const char *u = PyUnicode_Check(s) ? PyUnicode_AsUTF8AndSize(s, &len) : NULL;
        if (u == NULL || len < 1 || len >= (Py_ssize_t)sizeof(out->w[0].text) || !PyUnicode_IS_ASCII(s)) {
            if (!PyErr_Occurred())
                PyErr_Format(PyExc_ValueError, "%s must be short ASCII words", what);
            Py_DECREF(fast);
            return -1;
        }
        out->w[i].len = len;
        memcpy(out->w[i].text, u, (size_t)len + 1);
    }
    out->n = (int)n;
    out->first = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        char c = out->w[i].text[0];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
            PyErr_Format(PyExc_ValueError, "%s must start with an ASCII letter", what);
            Py_DECREF(fast);
            return -1;
        }
        out->first |= 1ull << (c - 'A');
    }
    /* the longest first: the order in which re's backtracking tries the
       words of a factored alternation that all match at one place (they are
       then prefixes of each other) */
    qsort(out->w, (size_t)n, sizeof(Word), cmp_len_desc);
    Py_DECREF(fast);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* characters */

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t n;
} Text;

static inline Py_UCS4 at(const Text *t, Py_ssize_t i) {
    return PyUnicode_READ(t->kind, t->data, i);
}

static inline int is_up(Py_UCS4 c) {
    if (c < 128) return c >= 'A' && c <= 'Z';
    if (c >= 0x10000) return 0;
    return Py_UNICODE_ISUPPER(c) || Py_UNICODE_ISTITLE(c);
}

static inline int is_alnum(Py_UCS4 c) {
    if (c < 128) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    return Py_UNICODE_ISALNUM(c);
}

static inline int is_word(Py_UCS4 c) { return c == '_' || is_alnum(c); }

/* character sets, set by configure() */
#define MAX_CHARS 32

typedef struct {
    int n;
    Py_UCS4 c[MAX_CHARS];
} Chars;

static Chars hyphens, apostrophes, skip_before, sentence_end;

static inline int in_set(Py_UCS4 c, const Chars *set) {
    for (int k = 0; k < set->n; k++)
        if (set->c[k] == c) return 1;
    return 0;
}

static int load_chars(PyObject *s, Chars *out, const char *what) {
    if (!PyUnicode_Check(s) || PyUnicode_GET_LENGTH(s) > MAX_CHARS || PyUnicode_GET_LENGTH(s) < 1) {
        PyErr_Format(PyExc_ValueError, "%s must be a str of 1 to %d characters", what, MAX_CHARS);
        return -1;
    }
    out->n = (int)PyUnicode_GET_LENGTH(s);
    for (int k = 0; k < out->n; k++) out->c[k] = PyUnicode_READ_CHAR(s, k);
    return 0;
}

static inline int is_hy(Py_UCS4 c) { return in_set(c, &hyphens); }
static inline int is_apos(Py_UCS4 c) { return in_set(c, &apostrophes); }
/* the space of the expression ([ \u00a0]): written out, in the expression too */
static inline int is_sp(Py_UCS4 c) { return c == ' ' || c == 0x00a0; }

/* the character at i, or 0 past either end (0 matches no test below) */
static inline Py_UCS4 ch(const Text *t, Py_ssize_t i) {
    return (i >= 0 && i < t->n) ? at(t, i) : 0;
}

static inline int up_at(const Text *t, Py_ssize_t i) { return is_up(ch(t, i)); }
static inline int alnum_at(const Text *t, Py_ssize_t i) { return is_alnum(ch(t, i)); }
static inline int word_at(const Text *t, Py_ssize_t i) { return is_word(ch(t, i)); }

static inline int word_is_at(const Text *t, Py_ssize_t i, const Word *w) {
    if (i < 0 || i + w->len > t->n) return 0;
    for (Py_ssize_t k = 0; k < w->len; k++)
        if (at(t, i + k) != (Py_UCS4)(unsigned char)w->text[k]) return 0;
    return 1;
}

/* ------------------------------------------------------------------------ */
/* the run expression */

/* rest: \.(?:up\.)+ | up*+ & up++ | w*+ (?: apos (?!s(?!w)) w++ )*+
   from i (just after a capital); returns where it ends */
static Py_ssize_t rest(const Text *t, Py_ssize_t i) {
    /* U.S. */
    if (ch(t, i) == '.' && up_at(t, i + 1) && ch(t, i + 2) == '.') {
        Py_ssize_t j = i + 1;
        while (up_at(t, j) && ch(t, j + 1) == '.') j += 2;
        return j;
    }
    /* J&K */
    {
        Py_ssize_t j = i;
        while (up_at(t, j)) j++;
        if (ch(t, j) == '&' && up_at(t, j + 1)) {
            j += 1;
            while (up_at(t, j)) j++;
            return j;
        }
    }
    /* the rest of a word, and what follows an apostrophe that is not a possessive s */
    Py_ssize_t j = i;
    while (alnum_at(t, j)) j++;
    for (;;) {
        if (!is_apos(ch(t, j))) break;
        if (ch(t, j + 1) == 's' && !alnum_at(t, j + 2)) break;
        if (!alnum_at(t, j + 1)) break;
        j += 1;
        while (alnum_at(t, j)) j++;
    }
    return j;
}

/* \b before i */
static inline int boundary(const Text *t, Py_ssize_t i) { return word_at(t, i - 1) != word_at(t, i); }

/* the lookbehinds after the full stop at p - 1: \b(?:Dr|Mr|...)\. or \b up \. */
static int dotted(const Text *t, Py_ssize_t p) {
    Py_ssize_t dot = p - 1;
    for (int k = 0; k < abbrs.n; k++) {
        Py_ssize_t s = dot - abbrs.w[k].len;
        if (word_is_at(t, s, &abbrs.w[k]) && boundary(t, s)) return 1;
    }
    return dot >= 1 && up_at(t, dot - 1) && boundary(t, dot - 1);
}

/* One more "join part" after a run's word ending at p: the position where the
   next part's capital is, or -1. The places a join can end are tried in the
   order re's backtracking tries them; the first before a capital wins. */
#define TRY(q)                                  \
    do {                                        \
        Py_ssize_t q_ = (q);                    \
        if (up_at(t, q_)) return q_;            \
    } while (0)

static Py_ssize_t join(const Text *t, Py_ssize_t p) {
    Py_UCS4 c = ch(t, p), c1 = ch(t, p + 1);
    int hy_conn = may_start(&conn_hy, c1), word_conn = may_start(&conn_word, c1);
    if (is_hy(c)) {
        /* Usman-e-Ali (also broken after the connector) */
        for (int k = 0; hy_conn && k < conn_hy.n; k++) {
            Py_ssize_t e = p + 1 + conn_hy.w[k].len;
            if (word_is_at(t, p + 1, &conn_hy.w[k]) && is_hy(ch(t, e))) {
                if (ch(t, e + 1) == '\n') TRY(e + 2);
                TRY(e + 1);
            }
        }
        /* Jaish-e Muhammad */
        for (int k = 0; hy_conn && k < conn_hy.n; k++) {
            Py_ssize_t e = p + 1 + conn_hy.w[k].len;
            if (word_is_at(t, p + 1, &conn_hy.w[k]) && is_sp(ch(t, e))) TRY(e + 1);
        }
        /* Al-Qaeda, and a name hyphenated across a line break */
        if (ch(t, p + 1) == '\n') TRY(p + 2);
        TRY(p + 1);
        return -1;
    }
    if (is_sp(c)) {
        /* Usman e-Ali */
        for (int k = 0; hy_conn && k < conn_hy.n; k++) {
            Py_ssize_t e = p + 1 + conn_hy.w[k].len;
            if (word_is_at(t, p + 1, &conn_hy.w[k]) && is_hy(ch(t, e))) TRY(e + 1);
        }
        /* Government of Canada: one or two connectors, each followed by a space */
        for (int k = 0; word_conn && k < conn_word.n; k++) {
            Py_ssize_t e = p + 1 + conn_word.w[k].len;
            if (!(word_is_at(t, p + 1, &conn_word.w[k]) && is_sp(ch(t, e)))) continue;
            Py_ssize_t q = e + 1;
            for (int m = 0; may_start(&conn_word, ch(t, q)) && m < conn_word.n; m++) {
                Py_ssize_t e2 = q + conn_word.w[m].len;
                if (word_is_at(t, q, &conn_word.w[m]) && is_sp(ch(t, e2))) TRY(e2 + 1);
            }
            TRY(q);
        }
        /* Masood Azhar */
        if (is_sp(ch(t, p + 1))) TRY(p + 2);
        TRY(p + 1);
        return -1;
    }
    if (c == '.' && dotted(t, p + 1)) {
        /* Dr. Baloch; B. Natale */
        Py_ssize_t q = p + 1;
        if (!is_sp(ch(t, q))) return -1;
        q++;
        if (is_sp(ch(t, q))) TRY(q + 1);
        TRY(q);
    }
    return -1;
}
#undef TRY

/* the end of the run whose first capital is at a */
static Py_ssize_t run_end(const Text *t, Py_ssize_t a) {
    Py_ssize_t p = rest(t, a + 1);
    for (;;) {
        Py_ssize_t q = join(t, p);
        if (q < 0) return p;
        p = rest(t, q + 1);
    }
}

/* (?<![^\W_])(?:al|el|...)[-‐‑]$ searched in text[max(0, a - 5) : a]: the
   start of the leftmost match, or -1 */
static Py_ssize_t prefix_before(const Text *t, Py_ssize_t a) {
    Py_ssize_t lo = a - 5 < 0 ? 0 : a - 5;
    for (Py_ssize_t s = lo; s < a; s++) {
        for (int k = 0; k < prefixes.n; k++) {
            const Word *w = &prefixes.w[k];
            if (s + w->len + 1 == a && word_is_at(t, s, w) && !alnum_at(t, s - 1)) return s;
        }
    }
    return -1;
}

static int fill_text(PyObject *s, Text *t) {
    if (!PyUnicode_Check(s)) {
        PyErr_SetString(PyExc_TypeError, "text must be str");
        return -1;
    }
    if (PyUnicode_READY(s) < 0) return -1;
    t->kind = PyUnicode_KIND(s);
    t->data = PyUnicode_DATA(s);
    t->n = PyUnicode_GET_LENGTH(s);
    return 0;
}

/* The spellings of the runs, each made once: an open-addressing table of
   the distinct spellings seen (by their characters in the text). */
typedef struct {
    Py_uhash_t hash;
    Py_ssize_t start, len, index; /* index -1: an empty slot */
} Slot;

typedef struct {
    Slot *slots;
    Py_ssize_t cap, used;
    PyObject *words; /* list: the spelling of each index */
} Spellings;

static Py_uhash_t hash_span(const Text *t, Py_ssize_t a, Py_ssize_t b) {
    Py_uhash_t h = 14695981039346656037ull;
    for (Py_ssize_t i = a; i < b; i++) h = (h ^ at(t, i)) * 1099511628211ull;
    return h;
}

static int spellings_init(Spellings *sp) {
    sp->cap = 1024;
    sp->used = 0;
    sp->slots = PyMem_Malloc(sizeof(Slot) * (size_t)sp->cap);
    sp->words = PyList_New(0);
    if (sp->slots == NULL || sp->words == NULL) {
        PyMem_Free(sp->slots);
        Py_XDECREF(sp->words);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t k = 0; k < sp->cap; k++) sp->slots[k].index = -1;
    return 0;
}

static int spellings_grow(Spellings *sp) {
    Py_ssize_t cap = sp->cap * 2;
    Slot *slots = PyMem_Malloc(sizeof(Slot) * (size_t)cap);
    if (slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t k = 0; k < cap; k++) slots[k].index = -1;
    for (Py_ssize_t k = 0; k < sp->cap; k++) {
        if (sp->slots[k].index < 0) continue;
        Py_ssize_t j = (Py_ssize_t)(sp->slots[k].hash & (Py_uhash_t)(cap - 1));
        while (slots[j].index >= 0) j = (j + 1) & (cap - 1);
        slots[j] = sp->slots[k];
    }
    PyMem_Free(sp->slots);
    sp->slots = slots;
    sp->cap = cap;
    return 0;
}

/* the index of the spelling text[a:b], added if new; -1 on error */
static Py_ssize_t spelling_of(Spellings *sp, PyObject *text, const Text *t, Py_ssize_t a, Py_ssize_t b) {
    Py_uhash_t h = hash_span(t, a, b);
    Py_ssize_t len = b - a, j = (Py_ssize_t)(h & (Py_uhash_t)(sp->cap - 1));
    for (;; j = (j + 1) & (sp->cap - 1)) {
        Slot *s = &sp->slots[j];
        if (s->index < 0) break;
        if (s->hash == h && s->len == len) {
            Py_ssize_t k = 0;
            while (k < len && at(t, s->start + k) == at(t, a + k)) k++;
            if (k == len) return s->index;
        }
    }
    PyObject *word = PyUnicode_Substring(text, a, b);
    if (word == NULL) return -1;
    int rc = PyList_Append(sp->words, word);
    Py_DECREF(word);
    if (rc < 0) return -1;
    Slot *s = &sp->slots[j];
    s->hash = h;
    s->start = a;
    s->len = len;
    s->index = sp->used++;
    if (sp->used * 2 > sp->cap && spellings_grow(sp) < 0) return -1;
    return s->index;
}

/* the index of the last of the sorted starts ms[0:n] equal to a, or -1 */
static Py_ssize_t last_at(const Py_ssize_t *ms, Py_ssize_t n, Py_ssize_t a) {
    Py_ssize_t lo = 0, hi = n; /* bisect_right */
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (a < ms[mid]) hi = mid;
        else lo = mid + 1;
    }
    return lo > 0 && ms[lo - 1] == a ? lo - 1 : -1;
}

static Py_ssize_t *int_array(PyObject *list, Py_ssize_t *n);

PyDoc_STRVAR(runs_doc,
"runs(text, m_starts, m_ends) -> tuple[list[str], bytes]\n\n"
"The runs of the run expression in text, an article prefix before a hyphen\n"
"included (al-Qaeda), but for those that are known mentions (a mention\n"
"starts where the run does and ends at or after its end; m_starts: the\n"
"mentions' starts in order, m_ends: their ends). Packed: the distinct\n"
"spellings, and (start, end, index of the spelling) for each run as native\n"
"Py_ssize_t (struct format 'nnn'). unknown._runs_py is the specification.");

static PyObject *scan_runs(PyObject *self, PyObject *args) {
    PyObject *text, *starts_l, *ends_l;
    if (!PyArg_ParseTuple(args, "UO!O!:runs", &text, &PyList_Type, &starts_l, &PyList_Type, &ends_l)) return NULL;
    if (!configured) {
        PyErr_SetString(PyExc_RuntimeError, "_resolver_scan.configure() was not called");
        return NULL;
    }
    Text t;
    if (fill_text(text, &t) < 0) return NULL;
    Py_ssize_t nm, nm2;
    Py_ssize_t *ms = int_array(starts_l, &nm), *me = NULL, *buf = NULL;
    if (ms == NULL) return NULL;
    me = int_array(ends_l, &nm2);
    Spellings sp = {NULL, 0, 0, NULL};
    if (me == NULL) goto fail;
    if (nm != nm2) {
        PyErr_SetString(PyExc_ValueError, "m_starts and m_ends differ in length");
        goto fail;
    }
    if (spellings_init(&sp) < 0) goto fail;
    Py_ssize_t cap = 1024, used = 0;
    buf = PyMem_Malloc(sizeof(Py_ssize_t) * 3 * (size_t)cap);
    if (buf == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    Py_ssize_t i = 0, n = t.n;
    while (i < n) {
        Py_UCS4 c = at(&t, i);
        if (!is_up(c)) {
            i++;
            continue;
        }
        if (i > 0) {
            Py_UCS4 before = at(&t, i - 1);
            if (is_word(before) || before == '@' || before == '#') {
                i++;
                continue;
            }
        }
        Py_ssize_t a = i, b = run_end(&t, i);
        i = b;
        if (a >= 3 && is_hy(at(&t, a - 1))) {
            Py_ssize_t s = prefix_before(&t, a);
            if (s >= 0) a = s;
        }
        Py_ssize_t j = last_at(ms, nm, a);
        if (j >= 0 && me[j] >= b) continue; /* a known mention */
        Py_ssize_t k = spelling_of(&sp, text, &t, a, b);
        if (k < 0) goto fail;
        if (used == cap) {
            Py_ssize_t *more = PyMem_Realloc(buf, sizeof(Py_ssize_t) * 3 * (size_t)(cap * 2));
            if (more == NULL) {
                PyErr_NoMemory();
                goto fail;
            }
            buf = more;
            cap *= 2;
        }
        buf[3 * used] = a;
        buf[3 * used + 1] = b;
        buf[3 * used + 2] = k;
        used++;
    }
    PyObject *packed = PyBytes_FromStringAndSize((const char *)buf, (Py_ssize_t)sizeof(Py_ssize_t) * 3 * used);
    PyObject *res = packed ? PyTuple_Pack(2, sp.words, packed) : NULL;
    Py_XDECREF(packed);
    PyMem_Free(ms);
    PyMem_Free(me);
    PyMem_Free(buf);
    PyMem_Free(sp.slots);
    Py_DECREF(sp.words);
    return res;
fail:
    PyMem_Free(ms);
    PyMem_Free(me);
    PyMem_Free(buf);
    PyMem_Free(sp.slots);
    Py_XDECREF(sp.words);
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* the per-run filter */

/* _Doc.initial */
static int initial(const Text *t, Py_ssize_t s) {
    Py_ssize_t j = s - 1;
    while (j >= 0 && in_set(at(t, j), &skip_before)) j--;
    return j < 0 || in_set(at(t, j), &sentence_end);
}

/* "the" right before a: (?:^|\W)[Tt]he[ \u00a0]$ in text[max(0, a - 5) : a] */
static int the_before(const Text *t, Py_ssize_t a) {
    if (a < 4) return 0;
    Py_UCS4 c0 = at(t, a - 4);
    if (!((c0 == 't' || c0 == 'T') && at(t, a - 3) == 'h' && at(t, a - 2) == 'e' && is_sp(at(t, a - 1))))
        return 0;
    return a == 4 || !is_word(at(t, a - 5));
}

/* [ \u00a0-]?\d at e (_CODE_AFTER: Article 370) */
static int code_after(const Text *t, Py_ssize_t e) {
    Py_UCS4 c = ch(t, e);
    if (is_sp(c) || c == '-') c = ch(t, e + 1);
    return c != 0 && Py_UNICODE_ISDECIMAL(c);
}

/* _POSSESSIVE_BEFORE searched in text[max(0, a - 8) : a]: spaces ending at a
   (or before a line break ending there: re's $), after "'s" or a possessive
   pronoun that starts a word ("our Special Projects") */
static const char *const PRONOUNS[] = {"our", "your", "their", "his", "her", "its", "my"};

static int possessive_before(const Text *t, Py_ssize_t a) {
    Py_ssize_t lo = a - 8 < 0 ? 0 : a - 8;
    Py_ssize_t e = a;
    if (e - 1 >= lo && at(t, e - 1) == '\n') e--;
    Py_ssize_t j = e;
    while (j - 1 >= lo && is_sp(at(t, j - 1))) j--;
    if (j == e || j == lo) return 0; /* no space, or nothing before the spaces */
    /* 's */
    if (j - 2 >= lo && at(t, j - 1) == 's' && (at(t, j - 2) == '\'' || at(t, j - 2) == 0x2019)) return 1;
    for (size_t k = 0; k < sizeof PRONOUNS / sizeof PRONOUNS[0]; k++) {
        const char *w = PRONOUNS[k];
        Py_ssize_t len = (Py_ssize_t)strlen(w), s = j - len;
        if (s < lo) continue;
        Py_UCS4 c0 = at(t, s);
        if (c0 != (Py_UCS4)w[0] && c0 != (Py_UCS4)(w[0] - 'a' + 'A')) continue;
        int same = 1;
        for (Py_ssize_t m = 1; m < len && same; m++) same = at(t, s + m) == (Py_UCS4)w[m];
        if (same && !alnum_at(t, s - 1)) return 1;
    }
    return 0;
}

/* clause boundaries: a line break or double quotation mark, or sentence
   punctuation followed by a space (_CLAUSE_BOUNDARY) */
static inline int is_quote_break(Py_UCS4 c) {
    return c == '\n' || c == '"' || c == 0x201c || c == 0x201d || c == 0x00ab || c == 0x00bb;
}
static inline int is_stop(Py_UCS4 c) { return c == '.' || c == '?' || c == '!' || c == ':' || c == ';'; }

#define CLAUSE_SCAN 400

/* _Doc.clause_kind: the kind of the clause around s, from kinds (by where
   the clause starts) or kind_of(clause), which is remembered there; -1 on
   error */
static long clause_kind(PyObject *text, const Text *t, Py_ssize_t s, PyObject *kinds, PyObject *kind_of) {
    Py_ssize_t lo = s - CLAUSE_SCAN < 0 ? 0 : s - CLAUSE_SCAN;
    Py_ssize_t start = lo;
    for (Py_ssize_t p = s - 1; p >= lo; p--) {
        Py_UCS4 c = at(t, p);
        if (is_quote_break(c)) {
            start = p + 1;
            break;
        }
        if (is_stop(c) && is_sp(ch(t, p + 1))) {
            start = p + 2;
            break;
        }
    }
    PyObject *key = PyLong_FromSsize_t(start);
    if (key == NULL) return -1;
    PyObject *k = PyDict_GetItemWithError(kinds, key);
    if (k != NULL) {
        Py_DECREF(key);
        return PyLong_AsLong(k);
    }
    if (PyErr_Occurred()) {
        Py_DECREF(key);
        return -1;
    }
    Py_ssize_t end = s + CLAUSE_SCAN, limit = s + CLAUSE_SCAN;
    for (Py_ssize_t p = s; p < limit && p < t->n; p++) {
        Py_UCS4 c = at(t, p);
        if (is_quote_break(c) || (is_stop(c) && p + 1 < limit && is_sp(ch(t, p + 1)))) {
            end = p;
            break;
        }
    }
    if (end > t->n) end = t->n;
    PyObject *clause = PyUnicode_Substring(text, start, end);
    if (clause == NULL) {
        Py_DECREF(key);
        return -1;
    }
    k = PyObject_CallOneArg(kind_of, clause);
    Py_DECREF(clause);
    if (k == NULL || PyDict_SetItem(kinds, key, k) < 0) {
        Py_XDECREF(k);
        Py_DECREF(key);
        return -1;
    }
    Py_DECREF(key);
    long kind = PyLong_AsLong(k);
    Py_DECREF(k);
    return kind;
}

static Py_ssize_t *int_array(PyObject *list, Py_ssize_t *n) {
    *n = PyList_GET_SIZE(list);
    Py_ssize_t *arr = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(*n ? *n : 1));
    if (arr == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t k = 0; k < *n; k++) {
        arr[k] = PyLong_AsSsize_t(PyList_GET_ITEM(list, k));
        if (arr[k] == -1 && PyErr_Occurred()) {
            PyMem_Free(arr);
            return NULL;
        }
    }
    return arr;
}

/* appends the hits of a verdict (offsets from a) to out */
static int emit(PyObject *out, PyObject *rows, Py_ssize_t a) {
    if (!PyTuple_Check(rows)) {
        PyErr_SetString(PyExc_TypeError, "a verdict is a tuple of hits");
        return -1;
    }
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(rows); k++) {
        PyObject *h = PyTuple_GET_ITEM(rows, k);
        if (!PyTuple_Check(h) || PyTuple_GET_SIZE(h) != 6) {
            PyErr_SetString(PyExc_TypeError, "a hit is a 6-tuple");
            return -1;
        }
        Py_ssize_t rs = PyLong_AsSsize_t(PyTuple_GET_ITEM(h, 0));
        Py_ssize_t re_ = PyLong_AsSsize_t(PyTuple_GET_ITEM(h, 1));
        if ((rs == -1 || re_ == -1) && PyErr_Occurred()) return -1;
        PyObject *hit = PyTuple_New(6);
        if (hit == NULL) return -1;
        PyObject *x = PyLong_FromSsize_t(a + rs), *y = PyLong_FromSsize_t(a + re_);
        if (x == NULL || y == NULL) {
            Py_XDECREF(x);
            Py_XDECREF(y);
            Py_DECREF(hit);
            return -1;
        }
        PyTuple_SET_ITEM(hit, 0, x);
        PyTuple_SET_ITEM(hit, 1, y);
        for (int f = 2; f < 6; f++) {
            PyObject *v = PyTuple_GET_ITEM(h, f);
            Py_INCREF(v);
            PyTuple_SET_ITEM(hit, f, v);
        }
        int rc = PyList_Append(out, hit);
        Py_DECREF(hit);
        if (rc < 0) return -1;
    }
    return 0;
}

/* the mentions overlapping [a, b) from the i-th: ((start - a, end - a, entity_id, candidates), ...) */
static PyObject *signature(PyObject *mentions, const Py_ssize_t *ms, const Py_ssize_t *me, Py_ssize_t nm,
                           Py_ssize_t i, Py_ssize_t a, Py_ssize_t b) {
    Py_ssize_t j = i;
    while (j < nm && ms[j] < b) j++;
    PyObject *sig = PyTuple_New(j - i);
    if (sig == NULL) return NULL;
    for (Py_ssize_t k = i; k < j; k++) {
        PyObject *m = PyList_GET_ITEM(mentions, k);
        PyObject *eid = PyObject_GetAttrString(m, "entity_id");
        PyObject *cands = eid ? PyObject_GetAttrString(m, "candidates") : NULL;
        PyObject *item = cands ? Py_BuildValue("(nnNN)", ms[k] - a, me[k] - a, eid, cands) : NULL;
        if (item == NULL) {
            if (cands == NULL) Py_XDECREF(eid);
            Py_DECREF(sig);
            return NULL;
        }
        PyTuple_SET_ITEM(sig, k - i, item);
    }
    return sig;
}

enum { OPEN = 0, SETTLED = 1, COMMON = 2 };

PyDoc_STRVAR(walk_doc,
"walk(text, spellings, packed, verdict_of, alone, memo, clause_kinds, clause_kind_of,\n"
"     m_starts, m_ends, mentions, out, judge) -> None\n\n"
"What unknown._walk_py does over the runs runs() found (spellings, packed),\n"
"with the clause kind worked out as _Doc.clause_kind does (clause_kinds:\n"
"its dict by where a clause starts; clause_kind_of: unknown._clause_kind).");

static PyObject *scan_walk(PyObject *self, PyObject *args) {
    PyObject *text, *spellings, *packed, *verdict_of, *alone, *memo, *kinds, *kind_of, *starts_l, *ends_l, *mentions,
        *out, *judge;
    if (!PyArg_ParseTuple(args, "UO!O!OO!O!O!OO!O!O!O!O:walk", &text, &PyList_Type, &spellings, &PyBytes_Type, &packed,
                          &verdict_of, &PyDict_Type, &alone, &PyDict_Type, &memo, &PyDict_Type, &kinds, &kind_of,
                          &PyList_Type, &starts_l, &PyList_Type, &ends_l, &PyList_Type, &mentions, &PyList_Type,
                          &out, &judge))
        return NULL;
    Text t;
    if (fill_text(text, &t) < 0) return NULL;
    Py_ssize_t nm, nm2, nw = PyList_GET_SIZE(spellings);
    Py_ssize_t *ms = int_array(starts_l, &nm), *me = NULL;
    long *verdicts = NULL;
    if (ms == NULL) return NULL;
    me = int_array(ends_l, &nm2);
    if (me == NULL) goto fail;
    if (nm != nm2 || nm != PyList_GET_SIZE(mentions)) {
        PyErr_SetString(PyExc_ValueError, "m_starts, m_ends and mentions differ in length");
        goto fail;
    }
    if (PyBytes_GET_SIZE(packed) % (Py_ssize_t)(3 * sizeof(Py_ssize_t))) {
        PyErr_SetString(PyExc_ValueError, "packed is not a whole number of runs");
        goto fail;
    }
    verdicts = PyMem_Malloc(sizeof(long) * (size_t)(nw ? nw : 1));
    if (verdicts == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t k = 0; k < nw; k++) verdicts[k] = -1;
    const Py_ssize_t *runs = (const Py_ssize_t *)PyBytes_AS_STRING(packed);
    Py_ssize_t nruns = PyBytes_GET_SIZE(packed) / (Py_ssize_t)(3 * sizeof(Py_ssize_t));
    /* (spellings, packed, mentions: judge gets no hold of them, so they do not change while walked) */
    for (Py_ssize_t r = 0; r < nruns; r++) {
        Py_ssize_t a = runs[3 * r], b = runs[3 * r + 1], w = runs[3 * r + 2];
        if (a < 0 || b > t.n || a >= b || w < 0 || w >= nw) {
            PyErr_SetString(PyExc_ValueError, "a run lies outside the text or has no spelling");
            goto fail;
        }
        PyObject *word = PyList_GET_ITEM(spellings, w);
        /* what the word lists say about the spelling */
        long verdict = verdicts[w];
        if (verdict < 0) {
            PyObject *v = PyObject_CallOneArg(verdict_of, word);
            if (v == NULL) goto fail;
            verdict = PyLong_AsLong(v);
            Py_DECREF(v);
            if (verdict == -1 && PyErr_Occurred()) goto fail;
            if (verdict < 0) {
                PyErr_SetString(PyExc_ValueError, "verdict_of answered a negative number");
                goto fail;
            }
            verdicts[w] = verdict;
        }
        if (verdict == SETTLED) continue;
        int tb = the_before(&t, a), init = initial(&t, a);
        if (verdict == COMMON && !tb && init) continue;
        /* the first mention overlapping the run */
        Py_ssize_t lo = 0, hi = nm; /* bisect_right(m_starts, a) */
        while (lo < hi) {
            Py_ssize_t mid = lo + (hi - lo) / 2;
            if (a < ms[mid]) hi = mid;
            else lo = mid + 1;
        }
        Py_ssize_t i = lo - 1;
        if (i < 0 || me[i] <= a) i++;
        PyObject *sig;
        if (i >= nm || ms[i] >= b) {
            PyObject *rows = PyDict_GetItemWithError(alone, word);
            if (rows == NULL && PyErr_Occurred()) goto fail;
            if (rows != NULL && PyTuple_CheckExact(rows)) {
                /* the spelling's verdict, the same wherever no mention overlaps it */
                if (emit(out, rows, a) < 0) goto fail;
                continue;
            }
            sig = PyTuple_New(0);
        } else {
            sig = signature(mentions, ms, me, nm, i, a, b);
        }
        if (sig == NULL) goto fail;
        PyObject *key = Py_BuildValue("(OOOOON)", word, init ? Py_True : Py_False, tb ? Py_True : Py_False,
                                      code_after(&t, b) ? Py_True : Py_False,
                                      possessive_before(&t, a) ? Py_True : Py_False, sig);
        if (key == NULL) goto fail;
        PyObject *cached = PyDict_GetItemWithError(memo, key); /* borrowed */
        if (cached == NULL && PyErr_Occurred()) {
            Py_DECREF(key);
            goto fail;
        }
        if (cached != NULL && PyDict_CheckExact(cached)) {
            long kind = clause_kind(text, &t, a, kinds, kind_of);
            if (kind == -1 && PyErr_Occurred()) {
                Py_DECREF(key);
                goto fail;
            }
            PyObject *kk = PyLong_FromLong(kind);
            if (kk == NULL) {
                Py_DECREF(key);
                goto fail;
            }
            cached = PyDict_GetItemWithError(cached, kk);
            Py_DECREF(kk);
            if (cached == NULL && PyErr_Occurred()) {
                Py_DECREF(key);
                goto fail;
            }
        }
        int rc;
        if (cached == NULL) {
            Py_INCREF(word);
            PyObject *verdict_rows = PyObject_CallFunction(judge, "nnOOO", a, b, word, init ? Py_True : Py_False, key);
            Py_DECREF(word);
            if (verdict_rows == NULL) {
                Py_DECREF(key);
                goto fail;
            }
            rc = emit(out, verdict_rows, a);
            Py_DECREF(verdict_rows);
        } else {
            Py_INCREF(cached); /* (the memo holds it; emit calls no Python code) */
            rc = emit(out, cached, a);
            Py_DECREF(cached);
        }
        Py_DECREF(key);
        if (rc < 0) goto fail;
    }
    PyMem_Free(ms);
    PyMem_Free(me);
    PyMem_Free(verdicts);
    Py_RETURN_NONE;
fail:
    PyMem_Free(ms);
    PyMem_Free(me);
    PyMem_Free(verdicts);
    return NULL;
}

/* ------------------------------------------------------------------------ */

PyDoc_STRVAR(configure_doc,
"configure(conn_hyphen, conn_word, abbreviations, prefixes, hyphens, apostrophes,\n"
"          skip_before, sentence_end) -> None\n\n"
"The word lists and character sets of unknown.py (see unknown._patterns\n"
"and _Doc.initial).");

static PyObject *scan_configure(PyObject *self, PyObject *args) {
    PyObject *a, *b, *c, *d, *e, *f, *g, *h;
    if (!PyArg_ParseTuple(args, "OOOOOOOO:configure", &a, &b, &c, &d, &e, &f, &g, &h)) return NULL;
    Words w1, w2, w3, w4;
    Chars c1, c2, c3, c4;
    if (load_words(a, &w1, "connectors") < 0 || load_words(b, &w2, "connector words") < 0 ||
        load_words(c, &w3, "abbreviations") < 0 || load_words(d, &w4, "prefixes") < 0 ||
        load_chars(e, &c1, "hyphens") < 0 || load_chars(f, &c2, "apostrophes") < 0 ||
        load_chars(g, &c3, "skip_before") < 0 || load_chars(h, &c4, "sentence_end") < 0)
        return NULL;
    conn_hy = w1;
    conn_word = w2;
    abbrs = w3;
    prefixes = w4;
    hyphens = c1;
    apostrophes = c2;
    skip_before = c3;
    sentence_end = c4;
    configured = 1;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"configure", scan_configure, METH_VARARGS, configure_doc},
    {"runs", scan_runs, METH_VARARGS, runs_doc},
    {"walk", scan_walk, METH_VARARGS, walk_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_resolver_scan",
    "The compiled front end of resolver.unknown (optional; see resolver/_resolver_scan.c).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__resolver_scan(void) {
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    if (PyModule_AddIntConstant(m, "GRAMMAR", GRAMMAR) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
