"""The quick paths issue 20 kept (each saves at least 2% of a page's work: bench/NOTES.md)
against the readable forms they stand for: a quick path must give exactly what its readable form gives."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines import extract, text

BOUNDED = settings(max_examples=400, deadline=None)


def _clean_spaces_readable(s: str) -> str:
    """text._clean_spaces without its one search before the four substitutions."""
    s = unicodedata.normalize("NFC", s)
    s = text._INVISIBLE_RE.sub("", s)
    s = unicodedata.normalize("NFC", s)
    s = text._LINE_BREAK_RE.sub("\n", s)
    s = text._CONTROL_RE.sub("", s)
    return text._ODD_SPACES_RE.sub(" ", s)


# Every character the four substitutions look at, with letters, combining marks (a removed zero-width
# character can leave a letter and a mark that NFC joins) and plain spaces around them.
_SPACES_AND_CONTROLS = st.sampled_from(
    [chr(c) for c in range(0x20)]
    + ["\x7f", "\x85", "\u00a0", "\u00ad", "\u1680", "\u2000", "\u200a", "\u200b", "\u200d", "\u2028"]
    + ["\u2029", "\u202f", "\u205f", "\u2060", "\u3000", "\ufeff", "\r\n", " ", "a", "e", "\u0301", "ệ"]
)


@BOUNDED
@given(st.lists(_SPACES_AND_CONTROLS, max_size=16).map("".join) | st.text(max_size=30))
def test_clean_spaces_gives_what_the_four_substitutions_give(s):
    assert text._clean_spaces(s) == _clean_spaces_readable(s)


def test_clean_spaces_skips_the_substitutions_only_for_text_they_leave_alone():
    # What the one search must find: every character any of the four regexes matches.
    every_character = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    matched = set()
    for regex in (text._INVISIBLE_RE, text._LINE_BREAK_RE, text._CONTROL_RE, text._ODD_SPACES_RE):
        matched.update("".join(regex.findall(every_character)))
    assert matched == set(text._NEEDS_CLEANING_RE.findall(every_character))


def _fold_key_readable(s: str) -> str:
    """text.fold_key on the whole text at once: no per-character table, no ASCII shortcut."""

    def without_marks(s: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))

    s = without_marks(text.normalize_inline(s).translate(text._D_FOLD)).casefold().translate(text._D_FOLD)
    return " ".join(unicodedata.normalize("NFC", without_marks(s)).split())


# Vietnamese letters with every mark, the letters casefold changes ("İ", "ß", "ﬁ"), marks alone, ASCII.
_FOLDED_LETTERS = st.sampled_from(
    list("aàáảãạăằắẳẵặâầấẩẫậđĐeèéẻẽẹêềếểễệoơờớởỡợưừứửữự AZ") + ["İ", "ß", "ﬁ", "\u0301", "\u0323", "Å", "ǅ"]
)


@BOUNDED
@given(st.lists(_FOLDED_LETTERS, max_size=16).map("".join) | st.text(max_size=30))
def test_fold_key_by_its_table_is_the_whole_text_folded(s):
    assert text.fold_key(s) == _fold_key_readable(s)


def test_every_filing_class_holds_a_mark_the_quick_test_looks_for():
    # _read_categories skips an element whose class attribute holds neither mark without splitting it.
    classes = (
        extract._BREADCRUMB_CLASSES | extract._CATEGORY_CONTAINER_CLASSES | {extract._CATEGORY_LINK_CLASS}
    )
    for name in classes:
        assert extract._BREADCRUMB_MARK in name or extract._CATEGORY_MARK in name, name
