#include "bench/ArticleGenerator.h"

#include "core/text/Text.h"
#include "core/text/Tokenizer.h"

#include <catch2/catch.hpp>

#include <random>

using namespace lede;

namespace {

std::string describe(std::u16string_view s)
{
    std::string out;
    for (char16_t c : s) {
        char buf[12];
        std::snprintf(buf, sizeof buf, "U+%04X ", static_cast<unsigned>(c));
        out += buf;
    }
    return out;
}

} // namespace

TEST_CASE("Latin word breaks agree with ICU's for every pair of supported characters", "[tokenizer]")
{
    Tokenizer tokenizer;
    std::vector<char16_t> supported;
    for (char16_t c = 1; c < 0x2100; ++c) {
        std::vector<std::int32_t> out;
        if (latinWordBoundaries(std::u16string(1, c), out))
            supported.push_back(c);
    }
    // Latin letters, digits, the ASCII and general punctuation, currency.
    CHECK(supported.size() > 600);
    // Each pair between contexts that exercise the rules looking one
    // character back and ahead (letters, digits, underscores, spaces).
    const char16_t contexts[][2] = {{u'a', u'a'}, {u'1', u'1'}, {u'_', u'x'}, {u' ', u'.'}};
    std::size_t differing = 0;
    std::string first;
    for (const char16_t x : supported)
        for (const char16_t y : supported)
            for (const auto &c : contexts) {
                const std::u16string s{c[0], x, y, c[1]};
                std::vector<std::int32_t> ours;
                latinWordBoundaries(s, ours);
                if (ours != tokenizer.icuWordBoundaries(s) && differing++ == 0)
                    first = describe(s);
            }
    INFO("first difference: " << first);
    CHECK(differing == 0);
}

TEST_CASE("Latin word breaks agree with ICU's on random and generated text", "[tokenizer]")
{
    Tokenizer tokenizer;
    const std::u16string alphabet = u"aZ\u00e99 0.,';:_-\t\n\r\u2019\u2018\u201c\u201d\u2014$%&()/\"!?@#\u00a0\u00b7\u2024"
                                    u"\u2027\u2028\u00c5\u0142\u017dx1\u2009\u20ac\u00bd\u00b2\u00df";
    std::mt19937 rng(29);
    std::size_t differing = 0;
    std::string first;
    for (int i = 0; i < 200000; ++i) {
        std::u16string s;
        const std::size_t length = 1 + rng() % 24;
        for (std::size_t k = 0; k < length; ++k)
            s += alphabet[rng() % alphabet.size()];
        std::vector<std::int32_t> ours;
        REQUIRE(latinWordBoundaries(s, ours));
        if (ours != tokenizer.icuWordBoundaries(s) && differing++ == 0)
            first = describe(s);
    }
    INFO("first difference: " << first);
    CHECK(differing == 0);

    bench::ArticleGenerator gen(11);
    for (int i = 0; i < 20; ++i) {
        const std::u16string article = text::toUtf16(gen.article(5000));
        std::vector<std::int32_t> ours;
        REQUIRE(latinWordBoundaries(article, ours));
        CHECK(ours == tokenizer.icuWordBoundaries(article));
    }
}

TEST_CASE("text beyond Latin is segmented by ICU", "[tokenizer]")
{
    Tokenizer tokenizer;
    std::vector<std::int32_t> out;
    // Chinese needs ICU's dictionary; emoji, combining marks and joiners
    // have rules of their own.
    for (const std::u16string &s : {std::u16string(u"私は東京で働いています"), std::u16string(u"ok \U0001F469\u200D\U0001F4BB done"),
                                   std::u16string(u"cafe\u0301 au lait"), std::u16string(u"\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35")}) {
        CHECK_FALSE(latinWordBoundaries(s, out));
        CHECK(tokenizer.wordBoundaries(s) == tokenizer.icuWordBoundaries(s));
    }
    const auto words = tokenizer.tokenize(u"私は東京で働いています。");
    CHECK(words.size() > 3);
    // Latin text keeps the tokens it had: possessives split, numbers whole.
    const auto tokens = tokenizer.tokenize(u"Microsoft\u2019s 3.5 billion, U.S. e-mail user@example.com");
    std::vector<std::u16string> texts;
    const std::u16string_view all = u"Microsoft\u2019s 3.5 billion, U.S. e-mail user@example.com";
    for (const Token &t : tokens)
        texts.emplace_back(all.substr(t.u16Start, t.u16End - t.u16Start));
    CHECK(texts == std::vector<std::u16string>{u"Microsoft", u"\u2019s", u"3.5", u"billion", u",", u"U.S", u".", u"e",
                                               u"-", u"mail", u"user@example.com"});
}
