#include "core/text/Text.h"
#include "ui/base/EnglishPlurals.h"
#include "ui/base/QtText.h"
#include "ui/base/Utf16Index.h"
#include "ui/article/WordSnap.h"

#include <catch2/catch.hpp>

using lede::ui::snapToWords;
using lede::ui::toQString;
using lede::ui::Utf16Index;

TEST_CASE("Utf16Index is the identity on text without astral characters")
{
    const QString text = QStringLiteral("Zürich — Telefónica");
    const Utf16Index index(text);
    REQUIRE(index.codePoints() == text.size());
    for (qsizetype i = 0; i <= text.size(); ++i) {
        CHECK(index.utf16Offset(i) == i);
        CHECK(index.codePointOffset(i) == i);
    }
}

TEST_CASE("Utf16Index converts around emoji and other non-BMP characters")
{
    // 😀 (U+1F600) and 𝐁 (U+1D401) take two UTF-16 units each.
    const std::string utf8 = "😀 Ana met 𝐁ob and 👩 at 𝐁𝐞𝐭𝐚 😀";
    const QString text = toQString(utf8);
    const Utf16Index index(text);
    REQUIRE(index.codePoints() == static_cast<std::int64_t>(lede::text::codePointCount(utf8)));
    REQUIRE(index.utf16Length() == text.size());

    // Every code point maps to where QString has it, and back.
    const lede::text::OffsetIndex reference(utf8);
    for (std::int64_t cp = 0; cp <= index.codePoints(); ++cp) {
        CHECK(index.utf16Offset(cp) == static_cast<qsizetype>(reference.utf16Offset(static_cast<std::size_t>(cp))));
        CHECK(index.codePointOffset(index.utf16Offset(cp)) == cp);
    }

    // "Ana" follows one emoji and a space: code points 2..5, units 3..6.
    CHECK(text.mid(index.utf16Offset(2), index.utf16Offset(5) - index.utf16Offset(2)) == QStringLiteral("Ana"));
    // An offset between the halves of a pair rounds down to the pair.
    CHECK(index.codePointOffset(1) == 0);
    // Out of range clamps.
    CHECK(index.utf16Offset(-3) == 0);
    CHECK(index.utf16Offset(1000) == text.size());
    CHECK(index.codePointOffset(10000) == index.codePoints());
}

TEST_CASE("a selection snaps to whole words and drops punctuation")
{
    const QString text = QStringLiteral("Brad Smith, Microsoft's president, met HP Inc. staff.");
    auto snap = [&](qsizetype s, qsizetype e) {
        auto [a, b] = snapToWords(text, s, e);
        return text.mid(a, b - a);
    };
    CHECK(snap(2, 8) == QStringLiteral("Brad Smith"));       // "ad Smi"
    CHECK(snap(0, 12) == QStringLiteral("Brad Smith"));      // "Brad Smith, "
    CHECK(snap(12, 21) == QStringLiteral("Microsoft's"));    // an apostrophe inside a word stays
    CHECK(snap(39, 47) == QStringLiteral("HP Inc."));        // the full stop of "Inc." stays
    CHECK(snap(47, 53).isEmpty() == false);
    CHECK(snap(10, 12).isEmpty());                           // ", " alone is nothing
    CHECK(snap(52, 53).isEmpty());
}

TEST_CASE("word snapping never splits a surrogate pair")
{
    const QString text = toQString("met 𝐁𝐞𝐭𝐚 and 😀 Ana");
    // Start inside the first pair of 𝐁𝐞𝐭𝐚 and end inside its last pair.
    auto [a, b] = snapToWords(text, 5, 10);
    CHECK(text.mid(a, b - a) == toQString("𝐁𝐞𝐭𝐚"));
    // An emoji is not a word character: selecting it and a name keeps the name.
    const qsizetype emoji = text.indexOf(toQString("😀"));
    auto [c, d] = snapToWords(text, emoji, text.size());
    CHECK(text.mid(c, d - c) == QStringLiteral("Ana"));
}

TEST_CASE("English plural endings are resolved without a translation")
{
    using lede::ui::EnglishPlurals;
    CHECK(EnglishPlurals::resolve(QStringLiteral("%n document(s)"), 1) == QStringLiteral("%n document"));
    CHECK(EnglishPlurals::resolve(QStringLiteral("%n document(s)"), 2) == QStringLiteral("%n documents"));
    CHECK(EnglishPlurals::resolve(QStringLiteral("%n match(es)"), 3) == QStringLiteral("%n matches"));
    CHECK(EnglishPlurals::resolve(QStringLiteral("%n entity(ies)"), 1) == QStringLiteral("%n entity"));
    CHECK(EnglishPlurals::resolve(QStringLiteral("%n entity(ies)"), 0) == QStringLiteral("%n entities"));
    CHECK(QObject::tr("%n new article(s)", nullptr, 1) == QStringLiteral("1 new article"));
}
