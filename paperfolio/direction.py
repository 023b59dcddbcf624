"""Which way a site's pages run: right to left for a language written in a right-to-left script.

`language:` sets every page's `lang`; the direction follows from it, so an Arabic or Hebrew site needs no second
setting. A tag's script subtag decides when it has one (`az-Arab` is right to left, `ar-Latn` left to right);
otherwise its primary language subtag does, by the script that language is written in when none is named (CLDR's
likely script). The lists are short on purpose: a language missing here gets `ltr`, the HTML default, as it did
before; `ku` (Kurdish) and `pa` (Punjabi) are written in Latin and Gurmukhi unless a script says otherwise
(`ku-Arab`, `pa-Arab`).
"""

from __future__ import annotations

# Primary language subtags whose likely script (CLDR) is right to left. `iw` and `ji` are the withdrawn codes
# of Hebrew and Yiddish, which old tags still carry.
RTL_LANGUAGES = frozenset(
    {
        "ar",  # Arabic
        "arc",  # Aramaic (Imperial Aramaic script)
        "ckb",  # Central Kurdish (Sorani)
        "dv",  # Divehi (Thaana)
        "fa",  # Persian
        "he",  # Hebrew
        "iw",  # Hebrew, withdrawn code
        "ji",  # Yiddish, withdrawn code
        "ks",  # Kashmiri
        "lrc",  # Northern Luri
        "mzn",  # Mazanderani
        "nqo",  # N'Ko
        "pnb",  # Western Punjabi (Shahmukhi)
        "ps",  # Pashto
        "sd",  # Sindhi
        "syr",  # Syriac
        "ug",  # Uyghur
        "ur",  # Urdu
        "yi",  # Yiddish
    }
)

# ISO 15924 script subtags of right-to-left scripts a page may name: Adlam, Arabic, Imperial Aramaic, Hebrew,
# Mandaic, N'Ko, Hanifi Rohingya, Samaritan, Syriac, Thaana.
RTL_SCRIPTS = frozenset({"adlm", "arab", "armi", "hebr", "mand", "nkoo", "rohg", "samr", "syrc", "thaa"})


def text_direction(language: str) -> str:
    """Return `rtl` or `ltr`, the direction of pages in this BCP 47 language tag."""
    primary, *rest = language.lower().split("-")
    for subtag in rest:
        if len(subtag) == 1:  # a singleton starts an extension or private use: no script after it
            break
        if len(subtag) == 4 and subtag.isalpha():  # the script subtag
            return "rtl" if subtag in RTL_SCRIPTS else "ltr"
    return "rtl" if primary in RTL_LANGUAGES else "ltr"
