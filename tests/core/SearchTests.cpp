#include "TestUtil.h"
#include "LegacyStore.h"
#include "bench/ArticleGenerator.h"

#include "core/store/Database.h"
#include "core/text/IcuFtsTokenizer.h"
#include "core/text/SearchIndexForm.h"
#include "core/search/Search.h"
#include "core/search/SearchHighlighter.h"
#include "core/search/SearchQuery.h"
#include "core/store/Store.h"
#include "core/store/StoreConnection.h"
#include "core/text/Text.h"

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>
#include <set>

using namespace lede;

namespace {

struct Mention {
    std::string surface;
    std::string type;
    std::string entity; // empty: the surface
    AnnotationStatus status = AnnotationStatus::Suggested;
    Origin origin = Origin::Auto;
};

// A store in memory with a Search over it; documents are added with their
// mentions annotated wherever the surface occurs.
class Corpus {
public:
    Corpus()
    {
        auto opened = Store::open(":memory:");
        REQUIRE(opened.ok());
        store = std::move(*opened);
        search = std::make_unique<Search>(*store);
    }

    std::int64_t add(const std::string &title, const std::string &text, const std::vector<Mention> &mentions = {})
    {
        NewDocument d;
        d.title = title;
        d.text = text;
        d.source = "test";
        std::vector<NewAnnotation> anns;
        for (const Mention &m : mentions) {
            for (std::size_t pos = text.find(m.surface); pos != std::string::npos; pos = text.find(m.surface, pos + 1)) {
                const auto start = static_cast<std::int64_t>(text::codePointCount(text.substr(0, pos)));
                const auto end = start + static_cast<std::int64_t>(text::codePointCount(m.surface));
                anns.push_back({start, end, m.type, m.entity, m.origin, m.status, ""});
            }
        }
        auto added = store->addDocument(d, anns);
        REQUIRE(added.ok());
        REQUIRE_FALSE(added->duplicate);
        return added->id;
    }

    SearchResults run(const std::string &query, SearchOptions options = {})
    {
        auto r = search->search(query, options);
        INFO(query);
        REQUIRE(r.ok());
        return std::move(*r);
    }

    std::vector<std::int64_t> ids(const std::string &query, SearchOptions options = {})
    {
        std::vector<std::int64_t> out;
        for (const SearchHit &h : run(query, options).hits)
            out.push_back(h.documentId);
        return out;
    }

    std::set<std::int64_t> idSet(const std::string &query)
    {
        SearchOptions all;
        all.limit = SearchOptions::kMaxLimit;
        const auto v = ids(query, all);
        return {v.begin(), v.end()};
    }

    std::unique_ptr<Store> store;
    std::unique_ptr<Search> search;
};

std::vector<std::string> terms(std::string_view text)
{
    IcuFtsTokenizer t;
    std::vector<std::string> out;
    for (SearchToken &tok : t.tokenize(text))
        out.push_back(std::move(tok.term));
    return out;
}

std::string canonical(std::string_view text)
{
    auto q = parseQuery(text);
    INFO(text);
    REQUIRE(q.ok());
    return q->toString();
}

std::string parseError(std::string_view text)
{
    auto q = parseQuery(text);
    INFO(text);
    REQUIRE_FALSE(q.ok());
    return q.message();
}

std::string codePoints(const std::string &utf8, const MatchSpan &m)
{
    return std::string(text::sliceCodePoints(utf8, static_cast<std::size_t>(m.start), static_cast<std::size_t>(m.end)));
}

} // namespace

// Tokenizer and folding -----------------------------------------------------

TEST_CASE("search terms fold case, accents and compatibility forms", "[search]")
{
    CHECK(terms("Telefónica TELEFONICA telefonica") == std::vector<std::string>{"telefonica", "telefonica", "telefonica"});
    CHECK(terms("Straße İstanbul ﬁnance") == std::vector<std::string>{"strasse", "istanbul", "finance"});
    CHECK(terms("ＦＵＬＬ ｗｉｄｔｈ ｶﾀｶﾅ １２３") == std::vector<std::string>{"full", "width", "カタカナ", "123"});
    CHECK(terms("Ελλάδα Москва́") == std::vector<std::string>{"ελλαδα", "москва"});
    // Marks that spell the word stay: the kana voicing mark, Thai vowels.
    CHECK(terms("がか") != terms("かか"));
    CHECK(foldSearchTerm("Ünïcödé") == "unicode");
    CHECK(foldName("  Brad\tSMITH \n") == "brad smith");
}

TEST_CASE("search terms split at apostrophes and drop punctuation", "[search]")
{
    CHECK(terms("Microsoft’s patch, Maersk's ships; don't l'attaque!") ==
          std::vector<std::string>{"microsoft", "s", "patch", "maersk", "s", "ships", "don", "t", "l", "attaque"});
    CHECK(terms("-- !!! ... 🔒") == std::vector<std::string>{});
    IcuFtsTokenizer t;
    const auto tokens = t.tokenize("é Maersk");
    REQUIRE(tokens.size() == 2);
    CHECK(tokens[1].start == 3); // byte offsets: "é" is two bytes
    CHECK(tokens[1].end == 9);
}

TEST_CASE("Chinese, Japanese and Thai are cut into words", "[search]")
{
    CHECK(terms("私は東京で働いています。") == std::vector<std::string>{"私", "は", "東京", "で", "働", "い", "てい", "ます"});
    const auto zh = terms("北京是中国的首都");
    CHECK(std::find(zh.begin(), zh.end(), "中国") != zh.end());
    const auto th = terms("ภาษาไทยง่ายนิดเดียว");
    CHECK(th.size() >= 4);
    CHECK(std::find(th.begin(), th.end(), "ไทย") != th.end());
}

TEST_CASE("the index form is what unicode61 must read where the text itself would give other terms", "[search]")
{
    sqlite3 *db = nullptr;
    REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK);
    auto forms = SearchIndexForm::open(db);
    REQUIRE(forms.ok());
    SearchIndexForm &f = **forms;
    CHECK(searchIndexForm("Microsoft’s U.S. patch, 3.5 GB") == "microsoft s u.s patch 3.5 gb");
    // English and accented Latin text is read as it is.
    CHECK_FALSE(f.of("Maersk and Merck were hit by NotPetya — again.").has_value());
    CHECK_FALSE(f.of("Telefónica, Société Générale and Nestlé “denied” it…").has_value());
    CHECK_FALSE(f.compared("Telefónica, Société Générale and Nestlé “denied” it…").has_value());
    // Texts unicode61 would read otherwise get their index form.
    CHECK(f.of("北京是中国的首都") == searchIndexForm("北京是中国的首都"));
    CHECK(f.of("Straße") == std::optional<std::string>("strasse"));
    CHECK(f.of("ＡＰＴ２８ and the ﬁle") == std::optional<std::string>("apt28 and the file"));
    CHECK(f.of("a\u200db").has_value()); // a joiner inside a word: ICU keeps it whole
    CHECK(f.of("Ǯ").has_value());        // unicode61 keeps this accent
    // The quick test of characters clears a text only where comparing the
    // tokens would: every character it passes, among letters and digits.
    std::vector<char32_t> cleared;
    for (char32_t c = 1; c < 0x2100; ++c) {
        std::string one;
        text::appendUtf8(one, c);
        if (!SearchIndexForm::plainEverywhere(one))
            continue;
        cleared.push_back(c);
        for (const std::string &context : {"ab" + one + "cd", "12" + one + "34", one + "Ab", "Ab" + one, "a" + one + one + "b",
                                           "A" + one + " " + one + "9"}) {
            INFO("U+" << std::hex << static_cast<std::uint32_t>(c) << " in " << context);
            CHECK_FALSE(f.compared(context).has_value());
        }
    }
    for (const char32_t c : {U'a', U'é', U'Ł', U'ő', U'ǎ', U'\u00a0', U'’', U'—', U'…'})
        CHECK(std::find(cleared.begin(), cleared.end(), c) != cleared.end());
    // A long text is compared a stretch of lines at a time: one word that
    // unicode61 reads otherwise, in its last line, still gives the form.
    std::string longText;
    while (longText.size() < 3u << 20)
        longText += "Maersk’s 🔒 systems were hit by NotPetya — again.\n";
    CHECK_FALSE(f.of(longText).has_value());
    const std::string last = longText + "Straße\n";
    CHECK(f.of(last) == std::optional<std::string>(searchIndexForm(last)));
    CHECK(f.of("Straße\n" + longText) == std::optional<std::string>(searchIndexForm("Straße\n" + longText)));
    for (const char32_t c : {U'ß', U'ĳ', U'\u00ad', U'½', U'\u200d', U'\u0301'})
        CHECK(std::find(cleared.begin(), cleared.end(), c) == cleared.end());
    forms->reset();
    sqlite3_close(db);
}

// The query reader --------------------------------------------------------

TEST_CASE("the query reader knows every operator", "[search][parser]")
{
    CHECK(canonical("ransomware") == "ransomware");
    CHECK(canonical("ransomware hospitals") == "ransomware AND hospitals");
    CHECK(canonical("ransomware AND hospitals") == "ransomware AND hospitals");
    CHECK(canonical("wannacry OR notpetya") == "wannacry OR notpetya");
    CHECK(canonical("a b OR c") == "(a AND b) OR c");
    CHECK(canonical("a (b OR c)") == "a AND (b OR c)");
    CHECK(canonical("ransomware NOT wannacry") == "ransomware AND NOT wannacry");
    CHECK(canonical("NOT NOT a") == "a");
    CHECK(canonical("\"state sponsored\" hackers") == "\"state sponsored\" AND hackers");
    CHECK(canonical("ransom*") == "ransom*");
    CHECK(canonical("\"north kor\"*") == "\"north kor\"*");
    CHECK(canonical("((a))") == "a");
    CHECK(canonical("a AND (b AND c)") == "a AND b AND c");
    CHECK(canonical("and or not") == "and AND or AND not");
    CHECK(canonical("“state sponsored”") == "\"state sponsored\"");
}

TEST_CASE("the query reader reads filters", "[search][parser]")
{
    CHECK(canonical("type:ATTACK") == "type:ATTACK");
    CHECK(canonical("ransomware type:company") == "ransomware AND type:company");
    CHECK(canonical("entity:\"Brad Smith\" microsoft") == "entity:\"Brad Smith\" AND microsoft");
    CHECK(canonical("Entity:Maersk") == "entity:Maersk");
    CHECK(canonical("status:accepted") == "status:accepted");
    CHECK(canonical("a status:accepted,suggested origin:manual") == "a AND status:suggested,accepted AND origin:manual");
    CHECK(canonical("(type:ATTACK OR type:COMPANY) NOT entity:Maersk") ==
          "(type:ATTACK OR type:COMPANY) AND NOT entity:Maersk");
    CHECK(canonical("\"type:ATTACK\"") == "\"type:ATTACK\"");
    CHECK(canonical("http://example.com") == "http://example.com");

    auto q = parseQuery("x status:all origin:imported,auto");
    REQUIRE(q.ok());
    CHECK(q->statuses->size() == 3);
    CHECK(*q->origins == std::set<Origin>{Origin::Imported, Origin::Auto});
    SearchQuery added = *parseQuery("ransomware");
    added.addFilter(QueryNode::Field::Type, "ATTACK");
    added.addFilter(QueryNode::Field::Entity, "NotPetya");
    CHECK(added.toString() == "ransomware AND type:ATTACK AND entity:NotPetya");
}

TEST_CASE("the query reader repairs what it can and says so", "[search][parser]")
{
    auto unclosed = parseQuery("\"state sponsored");
    REQUIRE(unclosed.ok());
    CHECK(unclosed->toString() == "\"state sponsored\"");
    CHECK(unclosed->notes.size() == 1);

    CHECK(canonical("(a OR b") == "a OR b");
    CHECK(canonical("a OR b) c") == "(a OR b) AND c");
    CHECK(canonical("a OR") == "a");
    CHECK(canonical("OR a") == "a");
    CHECK(canonical("a AND") == "a");
    CHECK(canonical("a NOT") == "a");
    CHECK(canonical("a OR OR b") == "a OR b");
    CHECK(canonical("a () b") == "a AND b");
    CHECK(canonical("ransomware -- !!! ,") == "ransomware");
    CHECK(canonical("'; DROP TABLE documents; --") == "DROP AND TABLE AND documents;");
    CHECK(canonical("a\x01" "b\tc") == "a AND b AND c");
    auto shortPrefix = parseQuery("s* ab* 東*");
    REQUIRE(shortPrefix.ok());
    CHECK(shortPrefix->toString() == "s AND ab* AND 東*");
    CHECK(shortPrefix->notes == std::vector<std::string>{"read \"s*\" as the word \"s\": a prefix needs at least two letters"});
    auto notes = parseQuery("a OR");
    REQUIRE(notes.ok());
    CHECK(notes->notes == std::vector<std::string>{"ignored an OR with nothing after it"});
}

TEST_CASE("the query reader refuses what it cannot read, with a clear message", "[search][parser]")
{
    CHECK(parseError("") == "the query is empty");
    CHECK(parseError("   \n") == "the query is empty");
    CHECK(parseError("NOT").find("nothing to search for") != std::string::npos);
    CHECK(parseError("AND OR NOT").find("nothing to search for") != std::string::npos);
    CHECK(parseError("!!! ---").find("nothing to search for") != std::string::npos);
    CHECK(parseError("*").find("nothing to search for") != std::string::npos);
    CHECK(parseError("Telef\xF3nica").find("not valid UTF-8") != std::string::npos);
    CHECK(parseError("a \xC0\x80").find("not valid UTF-8") != std::string::npos);
    CHECK(parseError("type:") == "type: needs a value, as in type:ATTACK");
    CHECK(parseError("entity:\"\"").find("entity: needs a value") != std::string::npos);
    CHECK(parseError("status:maybe").find("is not one of suggested, accepted, rejected") != std::string::npos);
    CHECK(parseError("origin:robot").find("is not one of auto, manual, imported") != std::string::npos);
    CHECK(parseError("a OR status:accepted").find("cannot stand inside OR or NOT") != std::string::npos);
    CHECK(parseError("NOT origin:manual").find("cannot stand inside OR or NOT") != std::string::npos);
    CHECK(parseError(std::string(kMaxQueryBytes + 1, 'a')).find("too long") != std::string::npos);
    CHECK(parseError(std::string(40, '(') + "a").find("nests too deeply") != std::string::npos);
    std::string many;
    for (int i = 0; i < 70; ++i)
        many += "w" + std::to_string(i) + " ";
    CHECK(parseError(many).find("at most 64") != std::string::npos);
}

TEST_CASE("thousands of random queries never crash nor reach SQLite as an error", "[search][parser]")
{
    Corpus c;
    c.add("NotPetya hits Maersk", "The NotPetya attack hit Maersk and Merck in June. Ransomware spread.",
          {{"NotPetya", "ATTACK", ""}, {"Maersk", "COMPANY", ""}, {"Merck", "COMPANY", ""}});
    c.add("WannaCry", "WannaCry ransomware hit hospitals; Microsoft patched it.",
          {{"WannaCry", "ATTACK", ""}, {"Microsoft", "COMPANY", ""}});
    const std::vector<std::string> pieces = {
        "ransom", "ware", "*", "\"", "(", ")", " ", "  ", "AND", "OR", "NOT", "and", "type:", "ATTACK", "entity:",
        "status:", "accepted", "origin:", "manual", ":", "-", "'", ";", "--", "DROP TABLE", "SELECT * FROM", "%", "_",
        "NEAR(", "^", "{title}", "東京", "é", "\xC3", "\xFF", "\x00", "\x01", "“", "»", "Maersk", "notpetya", "OR OR",
        ",", "all", "0", "x'00'", "\\", "/*", "*/", "\n", "status:suggested", "type:COMPANY", "entity:\"Merck\""};
    std::mt19937 rng(20240405);
    int parsed = 0;
    for (int i = 0; i < 3000; ++i) {
        std::string query;
        const int n = 1 + static_cast<int>(rng() % 10);
        for (int k = 0; k < n; ++k) {
            query += pieces[rng() % pieces.size()];
            if (rng() % 3 == 0)
                query += ' ';
        }
        if (rng() % 10 == 0) {
            // Raw random bytes as well.
            query.clear();
            for (int k = 0; k < 12; ++k)
                query.push_back(static_cast<char>(rng() % 256));
        }
        auto q = parseQuery(query);
        if (!q) {
            CHECK_FALSE(q.message().empty());
            continue;
        }
        ++parsed;
        auto r = c.search->search(*q, {});
        if (!r) {
            // Only a type the store lacks may stop a query that was read.
            INFO(query << " -> " << q->toString());
            CHECK(r.message().find("unknown type") != std::string::npos);
            continue;
        }
        CHECK(r->total >= 0);
        CHECK(r->hits.size() <= static_cast<std::size_t>(r->total));
    }
    CHECK(parsed > 1000);
}

// Highlighting --------------------------------------------------------------

TEST_CASE("the highlighter marks words, phrases and prefixes but not negated words", "[search][highlight]")
{
    const std::string text = "State sponsored hackers, said the state. Ransomware and ransoms; sponsored state.";
    auto q = parseQuery("\"state sponsored\" ransom* NOT hackers");
    REQUIRE(q.ok());
    SearchHighlighter h(*q);
    const auto spans = h.find(text);
    std::vector<std::string> words;
    for (const MatchSpan &m : spans)
        words.push_back(codePoints(text, m));
    CHECK(words == std::vector<std::string>{"State sponsored", "Ransomware", "ransoms"});
    CHECK(h.find(text, 2).size() == 2);

    // Overlapping matches merge into one span.
    auto overlap = parseQuery("\"the state\" state");
    SearchHighlighter o(*overlap);
    const auto merged = o.find("said the state today");
    REQUIRE(merged.size() == 1);
    CHECK(merged[0] == MatchSpan{5, 14});

    SearchHighlighter none(*parseQuery("NOT hackers"));
    CHECK(none.empty());
    CHECK(none.find(text).empty());
}

TEST_CASE("snippets cut at white space and map matches into the excerpt", "[search][highlight]")
{
    const std::string shortText = "NotPetya hit Maersk.";
    const Snippet whole = SearchHighlighter::snippet(shortText, {{13, 19}}, 200);
    CHECK(whole.text == shortText);
    CHECK(whole.matches == std::vector<MatchSpan>{{13, 19}});
    CHECK(whole.start == 0);
    CHECK(whole.end == 20);

    std::string longText;
    for (int i = 0; i < 50; ++i)
        longText += "word" + std::to_string(i) + "\n";
    const auto at = static_cast<std::int64_t>(text::codePointCount(longText.substr(0, longText.find("word30"))));
    const Snippet cut = SearchHighlighter::snippet(longText, {{at, at + 6}}, 40);
    CHECK(cut.text.rfind("…", 0) == 0);
    CHECK(cut.text.size() >= 3);
    CHECK(cut.text.substr(cut.text.size() - 3) == "…");
    CHECK(cut.text.find('\n') == std::string::npos);
    REQUIRE(cut.matches.size() == 1);
    CHECK(codePoints(cut.text, cut.matches[0]) == "word30");

    const Snippet start = SearchHighlighter::snippet(longText, {}, 30);
    CHECK(start.start == 0);
    CHECK(start.text.rfind("word0 word1", 0) == 0);

    // Text without spaces is cut where the length falls.
    std::string japanese;
    for (int i = 0; i < 40; ++i)
        japanese += "東京で働いています。";
    const Snippet ja = SearchHighlighter::snippet(japanese, {{200, 202}}, 20);
    REQUIRE(ja.matches.size() == 1);
    CHECK(codePoints(ja.text, ja.matches[0]) == "東京");
    CHECK(text::codePointCount(ja.text) <= 22);
}

// Full-text search ---------------------------------------------------------

TEST_CASE("search finds words, phrases, prefixes and boolean combinations", "[search]")
{
    Corpus c;
    const auto a = c.add("Ransomware hits hospitals", "WannaCry ransomware encrypted hospital computers across Britain.");
    const auto b = c.add("State sponsored hackers", "Officials said state sponsored hackers built the ransomware.");
    const auto d = c.add("Patch Tuesday", "Microsoft released a patch. The state of security is sponsored by nobody.");

    CHECK(c.idSet("ransomware") == std::set<std::int64_t>{a, b});
    CHECK(c.idSet("RANSOMWARE hospital") == std::set<std::int64_t>{a});
    CHECK(c.idSet("\"state sponsored\"") == std::set<std::int64_t>{b});
    CHECK(c.idSet("state sponsored") == std::set<std::int64_t>{b, d});
    CHECK(c.idSet("ransom*") == std::set<std::int64_t>{a, b});
    CHECK(c.idSet("hosp*") == std::set<std::int64_t>{a});
    CHECK(c.idSet("\"state spon\"*") == std::set<std::int64_t>{b});
    CHECK(c.idSet("wannacry OR microsoft") == std::set<std::int64_t>{a, d});
    CHECK(c.idSet("ransomware NOT wannacry") == std::set<std::int64_t>{b});
    CHECK(c.idSet("(wannacry OR officials) NOT britain") == std::set<std::int64_t>{b});
    CHECK(c.idSet("NOT ransomware") == std::set<std::int64_t>{d});
    CHECK(c.idSet("patch OR NOT ransomware") == std::set<std::int64_t>{d});
    CHECK(c.idSet("nothingmatchesthis").empty());
    CHECK(c.run("ransomware").total == 2);
}

TEST_CASE("search folds case, accents and width the way the index does", "[search]")
{
    Corpus c;
    const auto t = c.add("Telefónica hit", "Telefónica’s network in Madrid was hit by WannaCry.");
    const auto w = c.add("Wide", "ＮＯＴＰＥＴＹＡ in full width letters.");
    CHECK(c.idSet("telefonica") == std::set<std::int64_t>{t});
    CHECK(c.idSet("TELEFÓNICA") == std::set<std::int64_t>{t});
    CHECK(c.idSet("Telefónica's") == std::set<std::int64_t>{t});
    CHECK(c.idSet("notpetya") == std::set<std::int64_t>{w});
    CHECK(c.idSet("ＷａｎｎａＣｒｙ") == std::set<std::int64_t>{t});
}

TEST_CASE("search finds Japanese, Chinese and Thai words inside running text", "[search]")
{
    Corpus c;
    const auto ja = c.add("ニュース", "私は東京で働いています。大阪にも事務所があります。");
    const auto zh = c.add("新闻", "北京是中国的首都。");
    const auto th = c.add("ข่าว", "ภาษาไทยง่ายนิดเดียว");
    CHECK(c.idSet("東京") == std::set<std::int64_t>{ja});
    CHECK(c.idSet("大阪") == std::set<std::int64_t>{ja});
    CHECK(c.idSet("中国") == std::set<std::int64_t>{zh});
    CHECK(c.idSet("ไทย") == std::set<std::int64_t>{th});
    // A query word the dictionary cuts in two is read as a phrase.
    CHECK(c.idSet("東京で") == std::set<std::int64_t>{ja});
    auto r = c.run("東京");
    REQUIRE(r.hits.size() == 1);
    REQUIRE(r.hits[0].documentMatches.size() == 1);
    CHECK(r.hits[0].documentMatches[0] == MatchSpan{2, 4});
}

TEST_CASE("search ranks by BM25 with the title weighted above the text", "[search]")
{
    Corpus c;
    const auto inText = c.add("Shipping news", "Quarterly figures. Maersk was mentioned once in a long article about ports.");
    const auto inTitle = c.add("Maersk recovers", "The company restored its systems and its ports.");
    const auto often = c.add("Ports", "Maersk, Maersk and again Maersk: the shipping giant Maersk.");
    auto r = c.run("maersk");
    REQUIRE(r.hits.size() == 3);
    CHECK(r.hits[0].documentId == inTitle);
    CHECK(r.hits[2].documentId == inText);
    CHECK(r.hits[1].documentId == often);
    CHECK(r.hits[0].score > r.hits[1].score);
    CHECK(r.hits[1].score > r.hits[2].score);
    CHECK(r.hits[2].score > 0);
}

TEST_CASE("hits carry snippets and match positions in code points", "[search]")
{
    Corpus c;
    std::string text = "😱 Emoji first. ";
    for (int i = 0; i < 30; ++i)
        text += "Filler words about nothing in particular. ";
    text += "Then the NotPetya attack spread from Ukraine, and NotPetya hit Maersk.\nMore filler after it.";
    const auto id = c.add("NotPetya report", text);
    auto r = c.run("notpetya maersk");
    REQUIRE(r.hits.size() == 1);
    const SearchHit &h = r.hits[0];
    CHECK(h.documentId == id);
    CHECK(h.title == "NotPetya report");
    REQUIRE(h.titleMatches.size() == 1);
    CHECK(h.titleMatches[0] == MatchSpan{0, 8});

    REQUIRE(h.documentMatches.size() == 3);
    for (const MatchSpan &m : h.documentMatches) {
        const std::string word = codePoints(text, m);
        CHECK((word == "NotPetya" || word == "Maersk"));
    }
    REQUIRE(h.snippetMatches.size() == 3);
    CHECK(codePoints(h.snippet, h.snippetMatches[0]) == "NotPetya");
    CHECK(codePoints(h.snippet, h.snippetMatches[2]) == "Maersk");
    CHECK(h.snippet.rfind("…", 0) == 0);
    CHECK(h.snippet.find('\n') == std::string::npos);
    CHECK(text::codePointCount(h.snippet) <= 210);
    CHECK(h.snippetStart > 0);
    CHECK(h.snippetEnd > h.snippetStart);
}

TEST_CASE("a query of only filters lists documents with such annotations", "[search][filters]")
{
    Corpus c;
    const auto one = c.add("One attack", "NotPetya spread.", {{"NotPetya", "ATTACK", ""}});
    const auto two = c.add("Two attacks", "NotPetya and WannaCry and NotPetya again.",
                           {{"NotPetya", "ATTACK", ""}, {"WannaCry", "ATTACK", ""}});
    c.add("No attack", "Maersk reported profits.", {{"Maersk", "COMPANY", ""}});
    auto r = c.run("type:ATTACK");
    CHECK(r.total == 2);
    REQUIRE(r.hits.size() == 2);
    CHECK(r.hits[0].documentId == two); // more matching annotations first
    CHECK(r.hits[0].score == 3);
    CHECK(r.hits[1].documentId == one);
    // The annotations that matched are the highlights.
    REQUIRE(r.hits[1].documentMatches.size() == 1);
    CHECK(r.hits[1].documentMatches[0] == MatchSpan{0, 8});
    CHECK(codePoints(r.hits[1].snippet, r.hits[1].snippetMatches.at(0)) == "NotPetya");
    CHECK(c.idSet("type:attack") == std::set<std::int64_t>{one, two});
}

TEST_CASE("filters combine with words and with each other", "[search][filters]")
{
    Corpus c;
    const auto ships = c.add("Shipping", "Ransomware hit Maersk. Brad Smith of Microsoft commented.",
                             {{"Maersk", "COMPANY", ""}, {"Brad Smith", "PERSON", ""}, {"Microsoft", "COMPANY", ""}});
    const auto smith = c.add("Accord", "Smith signed the accord on ransomware.", {{"Smith", "PERSON", "Brad Smith"}});
    const auto nhs = c.add("Hospitals", "Ransomware hit hospitals in Britain.", {{"Britain", "NATION", ""}});
    const auto quiet = c.add("Quiet", "Nothing about malware here, only Microsoft.", {{"Microsoft", "COMPANY", ""}});

    CHECK(c.idSet("ransomware type:COMPANY") == std::set<std::int64_t>{ships});
    CHECK(c.idSet("ransomware NOT type:COMPANY") == std::set<std::int64_t>{smith, nhs});
    CHECK(c.idSet("entity:\"Brad Smith\"") == std::set<std::int64_t>{ships, smith});
    // By alias, in any case, accents and spacing folded.
    CHECK(c.idSet("entity:smith") == std::set<std::int64_t>{ships, smith});
    CHECK(c.idSet("entity:\"brad   SMITH\"") == std::set<std::int64_t>{ships, smith});
    CHECK(c.idSet("entity:Microsoft entity:Maersk") == std::set<std::int64_t>{ships});
    CHECK(c.idSet("type:NATION OR entity:Maersk") == std::set<std::int64_t>{ships, nhs});
    CHECK(c.idSet("malware OR type:NATION") == std::set<std::int64_t>{quiet, nhs});
    CHECK(c.idSet("NOT type:COMPANY") == std::set<std::int64_t>{smith, nhs});

    auto unknown = c.run("entity:Petya");
    CHECK(unknown.total == 0);
    CHECK(unknown.notes == std::vector<std::string>{"no entity is named 'Petya'"});
    auto badType = c.search->search("type:WEAPON");
    REQUIRE_FALSE(badType.ok());
    CHECK(badType.message().find("unknown type 'WEAPON'; the types are ") != std::string::npos);

    // Words rank; filter-only members of an OR follow the ranked hits.
    auto mixed = c.run("malware OR type:NATION");
    REQUIRE(mixed.hits.size() == 2);
    CHECK(mixed.hits[0].documentId == quiet);
    CHECK(mixed.hits[0].score > 0);
    CHECK(mixed.hits[1].score == 0);
}

TEST_CASE("status and origin filters narrow the annotations that count", "[search][filters]")
{
    Corpus c;
    const auto suggested = c.add("A", "NotPetya hit.", {{"NotPetya", "ATTACK", "", AnnotationStatus::Suggested, Origin::Auto}});
    const auto accepted = c.add("B", "NotPetya spread.", {{"NotPetya", "ATTACK", "", AnnotationStatus::Accepted, Origin::Auto}});
    const auto manual = c.add("C", "NotPetya again.", {{"NotPetya", "ATTACK", "", AnnotationStatus::Accepted, Origin::Manual}});
    const auto rejected = c.add("D", "NotPetya rejected.", {{"NotPetya", "ATTACK", "", AnnotationStatus::Rejected, Origin::Auto}});

    CHECK(c.idSet("type:ATTACK") == std::set<std::int64_t>{suggested, accepted, manual});
    CHECK(c.idSet("type:ATTACK status:accepted") == std::set<std::int64_t>{accepted, manual});
    CHECK(c.idSet("entity:notpetya status:accepted origin:manual") == std::set<std::int64_t>{manual});
    CHECK(c.idSet("status:rejected") == std::set<std::int64_t>{rejected});
    CHECK(c.idSet("origin:manual") == std::set<std::int64_t>{manual});
    CHECK(c.idSet("notpetya status:all") == std::set<std::int64_t>{suggested, accepted, manual, rejected});
    CHECK(c.idSet("notpetya status:accepted") == std::set<std::int64_t>{accepted, manual});
    CHECK(c.idSet("type:ATTACK status:accepted status:rejected").empty());
    // Qualifiers that keep the tagger's suggestions: summaries corrected by
    // the reviewed annotations.
    CHECK(c.idSet("type:ATTACK status:suggested") == std::set<std::int64_t>{suggested});
    CHECK(c.idSet("type:ATTACK origin:auto") == std::set<std::int64_t>{suggested, accepted});
    CHECK(c.idSet("status:suggested") == std::set<std::int64_t>{suggested});
    CHECK(c.idSet("entity:NotPetya status:all origin:auto") == std::set<std::int64_t>{suggested, accepted, rejected});
    auto weighted = c.run("type:ATTACK status:all");
    CHECK(weighted.total == 4);
    for (const SearchHit &h : weighted.hits)
        CHECK(h.score == 1);

    // Reviewing moves a document in and out of the results.
    const auto anns = c.store->annotations(suggested);
    REQUIRE(anns->size() == 1);
    REQUIRE(c.store->setAnnotationStatus((*anns)[0].id, AnnotationStatus::Rejected).ok());
    CHECK(c.idSet("type:ATTACK") == std::set<std::int64_t>{accepted, manual});
    CHECK(c.idSet("status:rejected") == std::set<std::int64_t>{suggested, rejected});
}

TEST_CASE("paging walks the ranked results without gaps or repeats", "[search]")
{
    Corpus c;
    std::set<std::int64_t> all;
    for (int i = 0; i < 45; ++i) {
        std::string text = "Report " + std::to_string(i) + ":";
        for (int k = 0; k <= i % 7; ++k)
            text += " ransomware";
        text += " and more words to vary the length" + std::string(static_cast<std::size_t>(i), '.') + " end.";
        all.insert(c.add("Report " + std::to_string(i), text));
    }
    std::vector<std::int64_t> walked;
    std::vector<double> scores;
    for (std::size_t offset = 0;; offset += 10) {
        SearchOptions o;
        o.limit = 10;
        o.offset = offset;
        auto page = c.run("ransomware", o);
        CHECK(page.total == 45);
        if (page.hits.empty())
            break;
        CHECK(page.hits.size() <= 10);
        for (const SearchHit &h : page.hits) {
            walked.push_back(h.documentId);
            scores.push_back(h.score);
        }
    }
    CHECK(walked.size() == 45);
    CHECK(std::set<std::int64_t>(walked.begin(), walked.end()) == all);
    CHECK(std::is_sorted(scores.rbegin(), scores.rend()));

    SearchOptions one;
    one.limit = 45;
    CHECK(c.ids("ransomware", one) == walked);
    SearchOptions countOnly;
    countOnly.limit = 0;
    auto counted = c.run("ransomware", countOnly);
    CHECK(counted.total == 45);
    CHECK(counted.hits.empty());

    // Paging through a filter-only list and a mixed query too.
    SearchOptions second;
    second.limit = 2;
    second.offset = 44;
    CHECK(c.run("ransomware", second).hits.size() == 1);
}

TEST_CASE("a search can be cancelled from another thread", "[search]")
{
    Corpus c;
    c.add("One", "Ransomware hit hospitals.");
    std::atomic<bool> cancel{true};
    SearchOptions o;
    o.cancel = &cancel;
    auto stopped = c.search->search("ransomware", o);
    REQUIRE_FALSE(stopped.ok());
    CHECK(stopped.message() == "search cancelled");
    CHECK(stopped.kind() == ErrorKind::Cancelled);
    cancel = false;
    CHECK(c.search->search("ransomware", o)->total == 1);
}

// Entities ----------------------------------------------------------------

TEST_CASE("entities are listed by type with mention and document counts", "[search][entities]")
{
    Corpus c;
    c.add("1", "Maersk and Merck. Maersk again.", {{"Maersk", "COMPANY", ""}, {"Merck", "COMPANY", ""}});
    c.add("2", "Maersk and NotPetya.", {{"Maersk", "COMPANY", ""}, {"NotPetya", "ATTACK", ""}});
    c.add("3", "Telefónica and WannaCry.", {{"Telefónica", "COMPANY", ""}, {"WannaCry", "ATTACK", ""}});

    auto companies = c.search->entities({"COMPANY", "", 50, 0});
    REQUIRE(companies.ok());
    REQUIRE(companies->size() == 3);
    CHECK((*companies)[0].name == "Maersk");
    CHECK((*companies)[0].type == "COMPANY");
    CHECK((*companies)[0].mentions == 3);
    CHECK((*companies)[0].documents == 2);

    auto all = c.search->entities();
    REQUIRE(all.ok());
    CHECK(all->size() == 5);

    auto prefixed = c.search->entities({"", "tele", 50, 0});
    REQUIRE(prefixed.ok());
    REQUIRE(prefixed->size() == 1);
    CHECK((*prefixed)[0].name == "Telefónica");
    auto byAccent = c.search->entities({"", "TÉLÉ", 50, 0});
    REQUIRE(byAccent.ok());
    CHECK(byAccent->size() == 1);
    CHECK(c.search->entities({"", "m", 50, 0})->size() == 2);
    CHECK(c.search->entities({"", "", 1, 1})->size() == 1);
    CHECK_FALSE(c.search->entities({"WEAPON", "", 50, 0}).ok());
}

TEST_CASE("co-occurrence counts the documents entities share", "[search][entities]")
{
    Corpus c;
    const std::vector<Mention> m = {{"NotPetya", "ATTACK", ""}, {"Maersk", "COMPANY", ""}, {"Merck", "COMPANY", ""},
                                    {"Ukraine", "NATION", ""},  {"FedEx", "COMPANY", ""},  {"Petya", "ATTACK", "NotPetya"}};
    c.add("1", "NotPetya hit Maersk and Merck in Ukraine.", m);
    c.add("2", "NotPetya hit Maersk. Maersk recovered.", m);
    c.add("3", "Petya, as some call it, hit FedEx.", m);
    c.add("4", "Maersk and FedEx without the attack.", m);

    auto next = c.search->cooccurring("NotPetya");
    REQUIRE(next.ok());
    REQUIRE(next->size() == 4);
    CHECK((*next)[0].name == "Maersk");
    CHECK((*next)[0].documents == 2);
    CHECK((*next)[0].mentions == 3);
    CHECK((*next)[0].type == "COMPANY");
    const auto find = [&](const std::string &name) {
        return std::find_if(next->begin(), next->end(), [&](const EntityCount &e) { return e.name == name; });
    };
    CHECK(find("FedEx")->documents == 1);
    CHECK(find("Merck")->documents == 1);
    CHECK(find("Ukraine")->documents == 1);

    // By alias, restricted to a type.
    auto companies = c.search->cooccurring("petya", {"company", 10});
    REQUIRE(companies.ok());
    CHECK(companies->size() == 3);
    for (const EntityCount &e : *companies)
        CHECK(e.type == "COMPANY");

    auto none = c.search->cooccurring("Stuxnet");
    REQUIRE_FALSE(none.ok());
    CHECK(none.message() == "no entity is named 'Stuxnet'");

    // Rejected annotations do not count.
    const auto anns = c.store->annotations(4);
    for (const Annotation &a : *anns)
        if (a.entityName == "Maersk")
            REQUIRE(c.store->setAnnotationStatus(a.id, AnnotationStatus::Rejected).ok());
    auto fedex = c.search->cooccurring("FedEx");
    REQUIRE(fedex.ok());
    CHECK(std::none_of(fedex->begin(), fedex->end(), [](const EntityCount &e) { return e.name == "Maersk"; }));
}

TEST_CASE("the annotation summaries always equal a recount", "[search][entities]")
{
    Corpus c;
    std::mt19937 rng(7);
    const std::vector<std::string> names = {"Maersk", "Merck", "NotPetya", "Ukraine", "Brad Smith"};
    const std::vector<std::string> types = {"COMPANY", "COMPANY", "ATTACK", "NATION", "PERSON"};
    for (int d = 0; d < 12; ++d) {
        std::vector<Mention> ms;
        std::string text = "Doc " + std::to_string(d) + ".";
        for (std::size_t k = 0; k < names.size(); ++k)
            if (rng() % 2) {
                text += " " + names[k] + ".";
                ms.push_back({names[k], types[k], ""});
            }
        c.add("T" + std::to_string(d), text, ms);
    }
    Database &db = storeConnection(*c.store);
    // Reject, accept, retype and remove at random, and delete documents.
    auto ids = c.store->documentIds();
    for (int step = 0; step < 60; ++step) {
        auto anns = c.store->annotations((*ids)[rng() % ids->size()]);
        if (anns->empty())
            continue;
        const Annotation &a = (*anns)[rng() % anns->size()];
        switch (rng() % 4) {
        case 0: REQUIRE(c.store->setAnnotationStatus(a.id, AnnotationStatus::Rejected).ok()); break;
        case 1: REQUIRE(c.store->setAnnotationStatus(a.id, AnnotationStatus::Accepted).ok()); break;
        case 2: REQUIRE(c.store->retypeAnnotation(a.id, "ORGANIZATION").ok()); break;
        default: REQUIRE(c.store->removeAnnotation(a.id).ok()); break;
        }
    }
    // Re-tagging adds suggestions in bulk; a document may arrive with
    // rejected annotations and with several mentions of one entity.
    for (std::size_t k = 1; k < 3; ++k) {
        REQUIRE(c.store->replaceSuggestions((*ids)[k], {{0, 3, "ORGANIZATION", "", Origin::Auto, AnnotationStatus::Suggested, ""}}).ok());
    }
    NewDocument extra;
    extra.text = "Merck and Merck again; Maersk.";
    extra.source = "extra.txt";
    REQUIRE(c.store->addDocument(extra, {{0, 5, "COMPANY", "", Origin::Auto, AnnotationStatus::Suggested, ""},
                                         {10, 15, "COMPANY", "", Origin::Auto, AnnotationStatus::Suggested, ""},
                                         {23, 29, "COMPANY", "", Origin::Auto, AnnotationStatus::Rejected, ""}})
                .ok());
    REQUIRE(c.store->removeDocument((*ids)[0]).ok());
    // An entity that annotations still name cannot be deleted behind their back.
    CHECK_FALSE(db.exec("DELETE FROM entities WHERE name = 'Merck'").ok());

    const auto diff = [&](const char *sql) { return *db.queryInt(sql); };
    CHECK(diff("SELECT count(*) FROM (SELECT type_id, document_id, mentions FROM document_types EXCEPT "
               "SELECT type_id, document_id, count(*) FROM annotations WHERE status <> 2 GROUP BY 1, 2)") == 0);
    CHECK(diff("SELECT count(*) FROM (SELECT type_id, document_id, count(*) FROM annotations WHERE status <> 2 "
               "GROUP BY 1, 2 EXCEPT SELECT type_id, document_id, mentions FROM document_types)") == 0);
    CHECK(diff("SELECT count(*) FROM (SELECT entity_id, document_id, mentions FROM document_entities EXCEPT "
               "SELECT entity_id, document_id, count(*) FROM annotations WHERE status <> 2 AND entity_id "
               "IS NOT NULL GROUP BY 1, 2)") == 0);
    CHECK(diff("SELECT count(*) FROM (SELECT entity_id, document_id, count(*) FROM annotations WHERE status <> "
               "2 AND entity_id IS NOT NULL GROUP BY 1, 2 EXCEPT SELECT entity_id, document_id, mentions FROM "
               "document_entities)") == 0);
    CHECK(diff("SELECT count(*) FROM (SELECT entity_id, documents, mentions FROM entity_stats EXCEPT SELECT entity_id, "
               "count(*), sum(mentions) FROM document_entities GROUP BY 1)") == 0);
    CHECK(diff("SELECT count(*) FROM (SELECT entity_id, count(*), sum(mentions) FROM document_entities GROUP BY 1 "
               "EXCEPT SELECT entity_id, documents, mentions FROM entity_stats)") == 0);
}

// Schema ------------------------------------------------------------------

TEST_CASE("a store at schema version 3 upgrades to the new index and summaries", "[search][migrations]")
{
    test::TempDir dir;
    const std::string path = dir.file("v3.sqlite");
    {
        Store::OpenOptions v3;
        v3.targetVersion = 3;
        auto old = Store::open(path, v3);
        REQUIRE(old.ok());
        test::addLegacyDocument(storeConnection(**old), 3, "私は東京で働いています。Telefónica and NotPetya.", "old.txt",
                                {{12, 22, "COMPANY", "", Origin::Auto, AnnotationStatus::Suggested, ""},
                                 {27, 35, "ATTACK", "", Origin::Manual, AnnotationStatus::Accepted, ""},
                                 {0, 1, "PERSON", "", Origin::Auto, AnnotationStatus::Rejected, ""}});
    }
    auto store = Store::open(path);
    REQUIRE(store.ok());
    CHECK((*store)->schemaVersion() == Store::latestSchemaVersion());
    Search search(**store);
    CHECK(search.search("東京")->total == 1);
    CHECK(search.search("telefonica")->total == 1);
    CHECK(search.search("type:COMPANY")->total == 1);
    CHECK(search.search("type:PERSON")->total == 0);
    CHECK(search.search("status:accepted origin:manual")->total == 1);
    auto e = search.entities();
    REQUIRE(e.ok());
    CHECK(e->size() == 2);

    // A second connection, as another thread would open, can write too.
    auto second = Store::open(path);
    REQUIRE(second.ok());
    NewDocument more;
    more.text = "大阪 and Maersk.";
    more.source = "new.txt";
    REQUIRE((*second)->addDocument(more).ok());
    CHECK(search.search("大阪")->total == 1);
}

TEST_CASE("searching a store kept at an older schema asks for the upgrade", "[search][migrations]")
{
    test::TempDir dir;
    Store::OpenOptions v3;
    v3.targetVersion = 3;
    auto old = Store::open(dir.file("v3.sqlite"), v3);
    REQUIRE(old.ok());
    Search search(**old);
    auto r = search.search("anything");
    REQUIRE_FALSE(r.ok());
    CHECK(r.message().find("search needs version 4") != std::string::npos);
}

TEST_CASE("a store of a few thousand articles is searched quickly and ranked sensibly", "[search][scale]")
{
    Corpus c;
    bench::ArticleGenerator gen(11);
    const std::vector<Mention> names = {{"NotPetya", "ATTACK", ""}, {"WannaCry", "ATTACK", ""}, {"Maersk", "COMPANY", ""},
                                        {"Microsoft", "COMPANY", ""}, {"Brad Smith", "PERSON", ""}, {"Russia", "NATION", ""}};
    REQUIRE(storeConnection(*c.store).exec("BEGIN").ok());
    for (int i = 0; i < 3000; ++i) {
        std::string text = gen.article(1200);
        if (i % 500 == 0)
            text += " A rare word: zyzzogeton.";
        const auto nl = text.find('\n');
        c.add(text.substr(0, nl), text, names);
    }
    REQUIRE(storeConnection(*c.store).exec("COMMIT").ok());

    const auto start = std::chrono::steady_clock::now();
    auto rare = c.run("zyzzogeton");
    CHECK(rare.total == 6);
    auto common = c.run("security");
    CHECK(common.total > 1500);
    CHECK(common.hits.size() == 20);
    auto phrase = c.run("\"the attack\"");
    CHECK(phrase.total > 0);
    auto filtered = c.run("ransomware type:ATTACK");
    CHECK(filtered.total > 0);
    auto next = c.search->cooccurring("NotPetya", {"COMPANY", 10});
    REQUIRE(next.ok());
    CHECK_FALSE(next->empty());
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    CHECK(ms < 1000);

    // Every hit of the common word really holds it, best score first.
    for (std::size_t i = 0; i < common.hits.size(); ++i) {
        CHECK_FALSE(common.hits[i].snippetMatches.empty());
        if (i > 0)
            CHECK(common.hits[i - 1].score >= common.hits[i].score);
    }
}
