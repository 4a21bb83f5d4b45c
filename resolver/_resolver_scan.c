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
 * The word lists (connectors, abbreviations, article prefixes) and character
 * sets (hyphens, apostrophes, what may come before a sentence's first word,
 * what ends a sentence) come from unknown.py through configure(), so they
 * live in one place. Written out below, and so to be changed in both places:
 * the shape of the run expression (_patterns), the clause boundaries
 * (_CLAUSE_BOUNDARY and its reversed form; CLAUSE_SCAN, which unknown.py
 * checks against _CLAUSE_SCAN), _THE_BEFORE, _CODE_AFTER, _POSSESSIVE_BEFORE
 * (PRONOUNS) and _PREFIX_BEFORE; and tests/test_scan_accel.py checks on
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

/* BODY(TYPE) for the width of the characters of t (a Text *): Py_UCS1,
   Py_UCS2 or Py_UCS4, so that a loop in BODY reads them as an array */
#define BY_WIDTH(t, BODY)          \
    switch ((t)->kind) {           \
    case PyUnicode_1BYTE_KIND:     \
        BODY(Py_UCS1) break;       \
    case PyUnicode_2BYTE_KIND:     \
        BODY(Py_UCS2) break;       \
    default:                       \
        BODY(Py_UCS4)              \
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

/* the first capital at or after i (t->n: none); a loop for each width of
   a str's characters, so that reading one is an array access */
#define NEXT_UP(TYPE)                                                   \
    {                                                                   \
        const TYPE *d = (const TYPE *)t->data;                          \
        for (; i < n; i++) {                                            \
            Py_UCS4 c = d[i];                                           \
            if (c < 128 ? c - 'A' < 26u : is_up(c)) return i;           \
        }                                                               \
        return n;                                                       \
    }

static Py_ssize_t next_up(const Text *t, Py_ssize_t i) {
    Py_ssize_t n = t->n;
    BY_WIDTH(t, NEXT_UP)
    return n;
}
#undef NEXT_UP

static int fill_text(PyObject *s, Text *t) {
    if (!PyUnicode_Check(s)) {
        PyErr_SetString(PyExc_TypeError, "text must be str");
        return -1;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(s) < 0) return -1; /* (a no-op, deprecated, from 3.12) */
#endif
    t->kind = PyUnicode_KIND(s);
    t->data = PyUnicode_DATA(s);
    t->n = PyUnicode_GET_LENGTH(s);
    return 0;
}

/* fill_text for a function that needs the word lists of configure() */
static int configured_text(PyObject *s, Text *t) {
    if (!configured) {
        PyErr_SetString(PyExc_RuntimeError, "_resolver_scan.configure() was not called");
        return -1;
    }
    return fill_text(s, t);
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

/* FNV-1a over the characters of text[a:b] */
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
        Py_CLEAR(sp->words);
        sp->slots = NULL; /* (the caller frees what is left) */
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

/* bisect_right(ms, a) for sorted ms[0:n]; the runs come in order, so the
   answer is looked for from the previous one (cur) when a has not gone back */
typedef struct {
    Py_ssize_t a, at; /* the previous question and answer (a = -1: none) */
} Cursor;

static Py_ssize_t bisect_right(const Py_ssize_t *ms, Py_ssize_t n, Py_ssize_t a, Cursor *cur) {
    Py_ssize_t lo;
    if (cur->a >= 0 && a >= cur->a) {
        lo = cur->at;
        while (lo < n && ms[lo] <= a) lo++;
    } else {
        Py_ssize_t hi = n;
        lo = 0;
        while (lo < hi) {
            Py_ssize_t mid = lo + (hi - lo) / 2;
            if (a < ms[mid]) hi = mid;
            else lo = mid + 1;
        }
    }
    cur->a = a;
    cur->at = lo;
    return lo;
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
    Text t;
    if (configured_text(text, &t) < 0) return NULL;
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
    Cursor cur = {-1, 0};
    Py_ssize_t cap = 1024, used = 0;
    buf = PyMem_Malloc(sizeof(Py_ssize_t) * 3 * (size_t)cap);
    if (buf == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    Py_ssize_t i = 0, n = t.n;
    while ((i = next_up(&t, i)) < n) {
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
        Py_ssize_t j = bisect_right(ms, nm, a, &cur) - 1; /* the last mention starting at or before a */
        if (j >= 0 && ms[j] == a && me[j] >= b) continue; /* a known mention */
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

/* Where the clause around s starts: the end of the last boundary in
   text[max(0, s - CLAUSE_SCAN) : s], else that window's start. The runs come
   in order, so the search stops where the previous one started (memo): if no
   boundary lies between, the last one before s is the one found then. */
typedef struct {
    Py_ssize_t s;     /* where the previous search started (-1: none yet) */
    Py_ssize_t start; /* its answer */
    Py_ssize_t p;     /* the boundary's first character (-1: none found) */
} ClauseMemo;

static Py_ssize_t clause_start(const Text *t, Py_ssize_t s, ClauseMemo *cm) {
    Py_ssize_t lo = s - CLAUSE_SCAN < 0 ? 0 : s - CLAUSE_SCAN;
    int reuse = cm->s >= 0 && cm->s <= s && cm->p >= lo;
    Py_ssize_t stop = reuse ? cm->s : lo;
    Py_ssize_t start = lo, bp = -1;
    for (Py_ssize_t p = s - 1; p >= stop; p--) {
        Py_UCS4 c = at(t, p);
        if (is_quote_break(c)) {
            start = p + 1;
            bp = p;
            break;
        }
        if (is_stop(c) && is_sp(ch(t, p + 1))) {
            start = p + 2;
            bp = p;
            break;
        }
    }
    if (bp < 0 && reuse) {
        start = cm->start;
        bp = cm->p;
    }
    cm->s = s;
    cm->start = start;
    cm->p = bp;
    return start;
}

/* _Doc.clause_kind: the kind of the clause around s, from kinds (by where
   the clause starts) or kind_of(clause), which is remembered there; -1 on
   error */
static long clause_kind(PyObject *text, const Text *t, Py_ssize_t s, PyObject *kinds, PyObject *kind_of,
                        ClauseMemo *cm) {
    Py_ssize_t start = clause_start(t, s, cm);
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

static PyObject *ENTITY_ID, *CANDIDATES; /* attribute names, set at import */

/* the mentions (a tuple) overlapping [a, b) from the i-th: ((start - a, end - a, entity_id, candidates), ...) */
static PyObject *signature(PyObject *mentions, const Py_ssize_t *ms, const Py_ssize_t *me, Py_ssize_t nm,
                           Py_ssize_t i, Py_ssize_t a, Py_ssize_t b) {
    Py_ssize_t j = i;
    while (j < nm && ms[j] < b) j++;
    PyObject *sig = PyTuple_New(j - i);
    if (sig == NULL) return NULL;
    for (Py_ssize_t k = i; k < j; k++) {
        PyObject *m = PyTuple_GET_ITEM(mentions, k);
        PyObject *eid = PyObject_GetAttr(m, ENTITY_ID);
        PyObject *cands = eid ? PyObject_GetAttr(m, CANDIDATES) : NULL;
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
    if (configured_text(text, &t) < 0) return NULL;
    /* the spellings and mentions as tuples held for the whole walk: the
       Python code called meanwhile cannot change them */
    Py_ssize_t nm = 0, nm2 = 0, nw;
    Py_ssize_t *ms = NULL, *me = NULL;
    long *verdicts = NULL;
    PyObject *words_t = PySequence_Tuple(spellings), *mentions_t = PySequence_Tuple(mentions);
    if (words_t == NULL || mentions_t == NULL) goto fail;
    nw = PyTuple_GET_SIZE(words_t);
    ms = int_array(starts_l, &nm);
    if (ms == NULL) goto fail;
    me = int_array(ends_l, &nm2);
    if (me == NULL) goto fail;
    if (nm != nm2 || nm != PyTuple_GET_SIZE(mentions_t)) {
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
    ClauseMemo cm = {-1, 0, -1};
    Cursor cur = {-1, 0};
    const Py_ssize_t *runs = (const Py_ssize_t *)PyBytes_AS_STRING(packed);
    Py_ssize_t nruns = PyBytes_GET_SIZE(packed) / (Py_ssize_t)(3 * sizeof(Py_ssize_t));
    for (Py_ssize_t r = 0; r < nruns; r++) {
        Py_ssize_t a = runs[3 * r], b = runs[3 * r + 1], w = runs[3 * r + 2];
        if (a < 0 || b > t.n || a >= b || w < 0 || w >= nw) {
            PyErr_SetString(PyExc_ValueError, "a run lies outside the text or has no spelling");
            goto fail;
        }
        PyObject *word = PyTuple_GET_ITEM(words_t, w);
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
        Py_ssize_t i = bisect_right(ms, nm, a, &cur) - 1;
        if (i < 0 || me[i] <= a) i++;
        PyObject *sig;
        if (i >= nm || ms[i] >= b) {
            PyObject *rows = PyDict_GetItemWithError(alone, word);
            if (rows == NULL && PyErr_Occurred()) goto fail;
            if (rows != NULL && PyTuple_CheckExact(rows)) {
                /* the spelling's verdict, the same wherever no mention overlaps it
                   (held while emitted: an allocation may run the collector) */
                Py_INCREF(rows);
                int rc = emit(out, rows, a);
                Py_DECREF(rows);
                if (rc < 0) goto fail;
                continue;
            }
            sig = PyTuple_New(0);
        } else {
            sig = signature(mentions_t, ms, me, nm, i, a, b);
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
        /* the verdict, held while it is used (the collector may run, and clause_kind runs Python code) */
        PyObject *held = NULL;
        if (cached != NULL && PyDict_CheckExact(cached)) {
            PyObject *by_kind = cached;
            Py_INCREF(by_kind);
            long kind = clause_kind(text, &t, a, kinds, kind_of, &cm);
            PyObject *kk = (kind == -1 && PyErr_Occurred()) ? NULL : PyLong_FromLong(kind);
            held = kk == NULL ? NULL : PyDict_GetItemWithError(by_kind, kk);
            Py_XINCREF(held);
            Py_XDECREF(kk);
            Py_DECREF(by_kind);
            if (held == NULL && PyErr_Occurred()) {
                Py_DECREF(key);
                goto fail;
            }
        } else if (cached != NULL) {
            held = cached;
            Py_INCREF(held);
        }
        int rc;
        if (held == NULL) {
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
            rc = emit(out, held, a);
            Py_DECREF(held);
        }
        Py_DECREF(key);
        if (rc < 0) goto fail;
    }
    PyMem_Free(ms);
    PyMem_Free(me);
    PyMem_Free(verdicts);
    Py_DECREF(words_t);
    Py_DECREF(mentions_t);
    Py_RETURN_NONE;
fail:
    PyMem_Free(ms);
    PyMem_Free(me);
    PyMem_Free(verdicts);
    Py_XDECREF(words_t);
    Py_XDECREF(mentions_t);
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* the words a text writes in lower case */

typedef struct {
    Py_uhash_t hash;
    PyObject *key; /* borrowed from the caller's set; NULL: an empty slot */
    unsigned int quick; /* its quick_hash, its bit in the Bloom filter */
    int found;
} KeySlot;

/* a word character of vocabulary.WORDS ([^\W\d_]): alphanumeric, not a decimal digit */
static inline int is_letter(Py_UCS4 c) {
    if (c < 128) return ((c | 0x20) - 'a') < 26u;
    return Py_UNICODE_ISALNUM(c) && !Py_UNICODE_ISDECIMAL(c);
}

/* a letter of vocabulary._lower_word (lower case, below U+10000) */
static inline int is_lower(Py_UCS4 c) {
    if (c < 128) return (c - 'a') < 26u;
    return c < 0x10000 && Py_UNICODE_ISLOWER(c);
}

/* the next word from *pi: its start (*pa), end (*pi), whether it is in lower
   case and ASCII; 0 when there is none. One function for each width of a
   str's characters, so that reading one is an array access. */
#define NEXT_WORD(TYPE)                                                                             \
    static int next_word_##TYPE(const TYPE *d, Py_ssize_t n, Py_ssize_t *pi, Py_ssize_t *pa,      \
                                  int *plower, int *pascii) {                                       \
        Py_ssize_t i = *pi;                                                                         \
        while (i < n && !is_letter(d[i])) i++;                                                      \
        if (i >= n) {                                                                               \
            *pi = i;                                                                                \
            return 0;                                                                               \
        }                                                                                           \
        *pa = i;                                                                                    \
        int lower = 1, ascii = 1;                                                                   \
        for (; i < n; i++) {                                                                        \
            Py_UCS4 c = d[i];                                                                       \
            if (c < 128) {                                                                          \
                if (((c | 0x20) - 'a') >= 26u) break;                                               \
                lower &= (c - 'a') < 26u;                                                           \
            } else {                                                                                \
                if (!is_letter(c)) break;                                                           \
                lower &= is_lower(c);                                                               \
                ascii = 0;                                                                          \
            }                                                                                       \
        }                                                                                           \
        *pi = i;                                                                                    \
        *plower = lower;                                                                            \
        *pascii = ascii;                                                                            \
        return 1;                                                                                   \
    }

NEXT_WORD(Py_UCS1)
NEXT_WORD(Py_UCS2)
NEXT_WORD(Py_UCS4)
#undef NEXT_WORD

/* a quick hash of an ASCII word of n >= 1 characters from its length and
   three of its characters, for the Bloom filter: no loop over the word */
static inline unsigned int quick_hash(Py_UCS4 first, Py_UCS4 middle, Py_UCS4 last, Py_ssize_t n) {
    unsigned long long x = ((unsigned long long)n << 24) ^ (first << 16) ^ (middle << 8) ^ last;
    return (unsigned int)((x * 0x9E3779B97F4A7C15ull) >> 48); /* 16 bits */
}

PyDoc_STRVAR(lower_words_doc,
"lower_words(text, keys) -> set[str]\n\n"
"The keys (a set of str) that are the case fold of a word text writes in\n"
"lower case (a word: a maximal run of vocabulary.WORDS; in lower case:\n"
"every letter lower case, below U+10000): what vocabulary.lower_vocabulary(text)\n"
"& keys answers.");

static PyObject *scan_lower_words(PyObject *self, PyObject *args) {
    PyObject *text, *keys;
    if (!PyArg_ParseTuple(args, "UO:lower_words", &text, &keys)) return NULL;
    if (!PyAnySet_CheckExact(keys)) { /* (a subclass could iterate over what the set does not hold) */
        PyErr_SetString(PyExc_TypeError, "keys must be a set or frozenset");
        return NULL;
    }
    Text t;
    if (fill_text(text, &t) < 0) return NULL;
    PyObject *found = PySet_New(NULL);
    if (found == NULL) return NULL;
    /* the ASCII keys in an open-addressing table, looked up by the word's
       characters (no string is made for an ASCII word) */
    Py_ssize_t nkeys = PySet_GET_SIZE(keys), cap = 16, left = 0;
    while (cap < 2 * nkeys + 2) cap *= 2;
    KeySlot *table = PyMem_Calloc((size_t)cap, sizeof(KeySlot));
    if (table == NULL) {
        Py_DECREF(found);
        return PyErr_NoMemory();
    }
    unsigned long long lengths = 0; /* a bit for each length of an ASCII key (63: longer) */
    /* a bit for the hash of each ASCII key (a one-hash Bloom filter of 8 KB,
       which stays in the fastest cache: most words are no key) */
#define BLOOM_BITS 65536
    unsigned char *bloom = PyMem_Calloc(BLOOM_BITS / 8, 1);
    if (bloom == NULL) {
        PyMem_Free(table);
        Py_DECREF(found);
        return PyErr_NoMemory();
    }
    Py_ssize_t other = 0; /* keys not in the table: found only through a case fold */
    PyObject *it = PyObject_GetIter(keys), *key;
    if (it == NULL) goto fail;
    while ((key = PyIter_Next(it)) != NULL) {
        Py_DECREF(key); /* (the set holds it) */
        if (!PyUnicode_Check(key) || !PyUnicode_IS_ASCII(key) || PyUnicode_GET_LENGTH(key) == 0) {
            other++;
            continue;
        }
        const Py_UCS1 *kd = PyUnicode_1BYTE_DATA(key);
        Py_ssize_t len = PyUnicode_GET_LENGTH(key);
        Py_uhash_t h = 14695981039346656037ull;
        for (Py_ssize_t k = 0; k < len; k++) h = (h ^ kd[k]) * 1099511628211ull;
        Py_ssize_t j = (Py_ssize_t)(h & (Py_uhash_t)(cap - 1));
        while (table[j].key != NULL) j = (j + 1) & (cap - 1);
        table[j].hash = h;
        table[j].key = key;
        lengths |= 1ull << (len < 63 ? len : 63);
        unsigned int q = quick_hash(kd[0], kd[len / 2], kd[len - 1], len);
        table[j].quick = q;
        bloom[q / 8] |= (unsigned char)(1u << (q % 8));
        left++;
    }
    Py_DECREF(it);
    if (PyErr_Occurred()) goto fail;
    Py_ssize_t i = 0, n = t.n, a, found_since = 0;
    int lower, ascii;
    while (left > 0 || other > 0) { /* (until every key is found) */
        int more = 0;
#define NEXT(TYPE) more = next_word_##TYPE((const TYPE *)t.data, n, &i, &a, &lower, &ascii);
        BY_WIDTH(&t, NEXT)
#undef NEXT
        if (!more) break;
        if (!lower) continue;
        Py_ssize_t len = i - a;
        if (ascii) {
            if (!(lengths >> (len < 63 ? len : 63) & 1)) continue;
            unsigned int q = quick_hash(at(&t, a), at(&t, a + len / 2), at(&t, i - 1), len);
            if (!(bloom[q / 8] >> (q % 8) & 1)) continue;
            Py_uhash_t h = hash_span(&t, a, i);
            for (Py_ssize_t j = (Py_ssize_t)(h & (Py_uhash_t)(cap - 1)); table[j].key != NULL; j = (j + 1) & (cap - 1)) {
                KeySlot *ks = &table[j];
                if (ks->hash != h || PyUnicode_GET_LENGTH(ks->key) != len) continue;
                const Py_UCS1 *kd = PyUnicode_1BYTE_DATA(ks->key);
                Py_ssize_t k = 0;
                while (k < len && at(&t, a + k) == kd[k]) k++;
                if (k < len) continue;
                if (!ks->found) {
                    ks->found = 1;
                    left--;
                    if (PySet_Add(found, ks->key) < 0) goto fail;
                    /* a key found is not looked for again: every so often the
                       filter is made again of the keys not found yet (the
                       common words, found early, would otherwise pass it
                       thousands of times) */
                    if (++found_since >= 16) {
                        found_since = 0;
                        memset(bloom, 0, BLOOM_BITS / 8);
                        for (Py_ssize_t m = 0; m < cap; m++)
                            if (table[m].key != NULL && !table[m].found)
                                bloom[table[m].quick / 8] |= (unsigned char)(1u << (table[m].quick % 8));
                    }
                }
                break;
            }
            continue;
        }
        /* a word with letters beyond ASCII: its case fold, made by Python */
        PyObject *word = PyUnicode_Substring(text, a, i);
        PyObject *folded = word ? PyObject_CallMethod(word, "casefold", NULL) : NULL;
        Py_XDECREF(word);
        if (folded == NULL) goto fail;
        int rc = PySet_Contains(keys, folded);
        if (rc > 0) rc = PySet_Add(found, folded);
        Py_DECREF(folded);
        if (rc < 0) goto fail;
    }
    PyMem_Free(table);
    PyMem_Free(bloom);
    return found;
fail:
    PyMem_Free(table);
    PyMem_Free(bloom);
    Py_DECREF(found);
    return NULL;
}
#undef BLOOM_BITS

/* ------------------------------------------------------------------------ */
/* the hits, by spelling, with their positions */

/* counts the line breaks in text[pos:s] into *line and *line_start (where the
   last line starts); returns s */
#define COUNT_LINES(TYPE)                                   \
    {                                                       \
        const TYPE *d = (const TYPE *)t->data;              \
        for (; pos < s; pos++) {                            \
            if (d[pos] == '\n') {                           \
                (*line)++;                                  \
                *line_start = pos + 1;                      \
            }                                               \
        }                                                   \
        return s;                                           \
    }

static Py_ssize_t count_lines(const Text *t, Py_ssize_t pos, Py_ssize_t s, Py_ssize_t *line, Py_ssize_t *line_start) {
    BY_WIDTH(t, COUNT_LINES)
    return s;
}
#undef COUNT_LINES

static PyObject *FIELD[5]; /* "start", "end", "line", "column", "surface": set at import */

PyDoc_STRVAR(collate_doc,
"collate(text, hits, position) -> dict[str, tuple[list, list]]\n\n"
"The hits (start, end, surface, ...) of text, in order of start, by surface\n"
"(first seen first): each surface's hits, and for each its\n"
"position(start, end, line, column, surface), line and column counted from 1\n"
"(lines end at \\n, columns count characters); position: the frozen dataclass\n"
"with slots unknown.Position, whose fields are set as object.__setattr__\n"
"sets them. What unknown._collate_py answers.");

static PyObject *scan_collate(PyObject *self, PyObject *args) {
    PyObject *text, *hits, *ptype;
    if (!PyArg_ParseTuple(args, "UO!O!:collate", &text, &PyList_Type, &hits, &PyType_Type, &ptype)) return NULL;
    Text t;
    if (fill_text(text, &t) < 0) return NULL;
    PyTypeObject *type = (PyTypeObject *)ptype;
    /* the hits as a tuple held for the whole call (a hash or an allocation
       may run Python code, which cannot change it) */
    PyObject *hits_t = PySequence_Tuple(hits);
    if (hits_t == NULL) return NULL;
    PyObject *groups = PyDict_New();
    if (groups == NULL) {
        Py_DECREF(hits_t);
        return NULL;
    }
    Py_ssize_t line = 1, line_start = 0, pos = 0;
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(hits_t); k++) {
        PyObject *h = PyTuple_GET_ITEM(hits_t, k);
        if (!PyTuple_Check(h) || PyTuple_GET_SIZE(h) < 3) {
            PyErr_SetString(PyExc_TypeError, "a hit is a tuple (start, end, surface, ...)");
            goto fail;
        }
        PyObject *start = PyTuple_GET_ITEM(h, 0), *end = PyTuple_GET_ITEM(h, 1), *surface = PyTuple_GET_ITEM(h, 2);
        Py_ssize_t s = PyLong_AsSsize_t(start);
        if (s == -1 && PyErr_Occurred()) goto fail;
        if (s < pos || s > t.n) {
            PyErr_SetString(PyExc_ValueError, "the hits are not in order of start within the text");
            goto fail;
        }
        pos = count_lines(&t, pos, s, &line, &line_start);
        PyObject *values[5] = {start, end, PyLong_FromSsize_t(line), PyLong_FromSsize_t(s - line_start + 1), surface};
        if (values[2] == NULL || values[3] == NULL) {
            Py_XDECREF(values[2]);
            Py_XDECREF(values[3]);
            goto fail;
        }
        PyObject *p = type->tp_alloc(type, 0);
        int rc = p == NULL ? -1 : 0;
        for (int f = 0; f < 5 && rc == 0; f++) rc = PyObject_GenericSetAttr(p, FIELD[f], values[f]);
        Py_DECREF(values[2]);
        Py_DECREF(values[3]);
        if (rc < 0) {
            Py_XDECREF(p);
            goto fail;
        }
        PyObject *entry = PyDict_GetItemWithError(groups, surface); /* borrowed */
        if (entry == NULL) {
            if (PyErr_Occurred()) {
                Py_DECREF(p);
                goto fail;
            }
            PyObject *a = PyList_New(0), *b = PyList_New(0);
            entry = (a && b) ? PyTuple_Pack(2, a, b) : NULL;
            Py_XDECREF(a);
            Py_XDECREF(b);
            if (entry == NULL || PyDict_SetItem(groups, surface, entry) < 0) {
                Py_XDECREF(entry);
                Py_DECREF(p);
                goto fail;
            }
            Py_DECREF(entry); /* (the dict holds it) */
        }
        rc = PyList_Append(PyTuple_GET_ITEM(entry, 0), h);
        if (rc == 0) rc = PyList_Append(PyTuple_GET_ITEM(entry, 1), p);
        Py_DECREF(p);
        if (rc < 0) goto fail;
    }
    Py_DECREF(hits_t);
    return groups;
fail:
    Py_DECREF(hits_t);
    Py_DECREF(groups);
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
    {"collate", scan_collate, METH_VARARGS, collate_doc},
    {"lower_words", scan_lower_words, METH_VARARGS, lower_words_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_resolver_scan",
    "The compiled front end of resolver.unknown (optional; see resolver/_resolver_scan.c).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__resolver_scan(void) {
    static const char *const names[5] = {"start", "end", "line", "column", "surface"};
    for (int f = 0; f < 5; f++) {
        if (FIELD[f] == NULL && (FIELD[f] = PyUnicode_InternFromString(names[f])) == NULL) return NULL;
    }
    if (ENTITY_ID == NULL && (ENTITY_ID = PyUnicode_InternFromString("entity_id")) == NULL) return NULL;
    if (CANDIDATES == NULL && (CANDIDATES = PyUnicode_InternFromString("candidates")) == NULL) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    if (PyModule_AddIntConstant(m, "GRAMMAR", GRAMMAR) < 0 || PyModule_AddIntConstant(m, "CLAUSE_SCAN", CLAUSE_SCAN) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
