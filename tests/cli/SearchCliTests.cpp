#include "CliRunner.h"

#include "core/io/Json.h"
#include "core/text/Text.h"

#include <catch2/catch.hpp>

#include <vector>

using namespace lede;

namespace {

using test::contains;
using test::runCli;

// Three articles, imported without the tagger and annotated by hand so the
// counts are known.
void importNews(const test::TempDir &dir)
{
    dir.write("news/1-notpetya.txt", "NotPetya cripples Maersk\n\nThe NotPetya attack hit Maersk and Merck in June.\n");
    dir.write("news/2-wannacry.txt", "WannaCry hits hospitals\n\n😱 WannaCry ransomware hit Telefónica and hospitals.\n");
    dir.write("news/3-accord.txt", "Tech accord\n\nBrad Smith of Microsoft signed the accord. Smith spoke of NotPetya.\n");
    REQUIRE(runCli(dir, {"import", "--quiet", "--no-tag", dir.file("news")}).status == 0);
    // Offsets in code points of the stored text (title line included).
    const std::vector<std::vector<std::string>> anns = {
        {"1", "30", "38", "ATTACK"},  {"1", "50", "56", "COMPANY"}, {"1", "61", "66", "COMPANY"},
        {"2", "27", "35", "ATTACK"},  {"2", "51", "61", "COMPANY"}, {"3", "13", "23", "PERSON"},
        {"3", "27", "36", "COMPANY"}, {"3", "71", "79", "ATTACK"}};
    for (const auto &a : anns) {
        auto r = runCli(dir, {"annotate", a[0], "--add", a[1], a[2], a[3]});
        INFO(r.err);
        REQUIRE(r.status == 0);
    }
    auto alias = runCli(dir, {"annotate", "3", "--add", "56", "61", "PERSON", "--entity", "Brad Smith"});
    INFO(alias.err);
    REQUIRE(alias.status == 0);
}

std::vector<std::int64_t> ids(const JsonValue &json)
{
    std::vector<std::int64_t> out;
    for (const JsonValue &r : json.find("results")->asArray())
        out.push_back(r.find("id")->asInt());
    return out;
}

} // namespace

TEST_CASE("lede-cli search prints JSON with snippets and code-point matches", "[search][cli]")
{
    test::TempDir dir;
    importNews(dir);
    auto r = runCli(dir, {"search", "--json", "wannacry"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    auto json = parseJson(r.out);
    REQUIRE(json.ok());
    CHECK(json->find("total")->asInt() == 1);
    const auto &results = json->find("results")->asArray();
    REQUIRE(results.size() == 1);
    const JsonValue &hit = results[0];
    CHECK(hit.find("id")->asInt() == 2);
    CHECK(hit.find("title")->asString() == "WannaCry hits hospitals");
    CHECK(hit.find("score")->asDouble() > 0);
    const std::string snippet = hit.find("snippet")->asString();
    const auto &matches = hit.find("matches")->asArray();
    REQUIRE(matches.size() == 2);
    for (const JsonValue &m : matches) {
        const auto start = static_cast<std::size_t>(m.asArray()[0].asInt());
        const auto end = static_cast<std::size_t>(m.asArray()[1].asInt());
        CHECK(std::string(text::sliceCodePoints(snippet, start, end)) == "WannaCry");
    }
    // After the emoji (one code point) the text offsets are code points.
    const auto &doc = hit.find("document_matches")->asArray();
    REQUIRE(doc.size() == 2);
    CHECK(doc[1].asArray()[0].asInt() == 27);
    CHECK(doc[1].asArray()[1].asInt() == 35);
    CHECK(hit.find("title_matches")->asArray().size() == 1);
}

TEST_CASE("lede-cli search filters, pages and folds", "[search][cli]")
{
    test::TempDir dir;
    importNews(dir);
    auto parse = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"search", "--json"});
        auto r = runCli(dir, args);
        INFO(r.err);
        REQUIRE(r.status == 0);
        auto json = parseJson(r.out);
        REQUIRE(json.ok());
        return *json;
    };
    CHECK(ids(parse({"telefonica"})) == std::vector<std::int64_t>{2});
    CHECK(parse({"notpetya"}).find("total")->asInt() == 2);
    CHECK(ids(parse({"notpetya", "--type", "PERSON"})) == std::vector<std::int64_t>{3});
    CHECK(ids(parse({"--entity", "smith"})) == std::vector<std::int64_t>{3});
    CHECK(ids(parse({"type:ATTACK NOT entity:NotPetya"})) == std::vector<std::int64_t>{2});
    // Unquoted words are one query.
    CHECK(ids(parse({"hit", "maersk"})) == std::vector<std::int64_t>{1});

    auto first = parse({"type:COMPANY", "--limit", "2"});
    CHECK(first.find("total")->asInt() == 3);
    CHECK(first.find("results")->asArray().size() == 2);
    auto rest = parse({"type:COMPANY", "--limit", "2", "--offset", "2"});
    CHECK(rest.find("results")->asArray().size() == 1);
    std::vector<std::int64_t> all = ids(first);
    all.push_back(ids(rest)[0]);
    std::sort(all.begin(), all.end());
    CHECK(all == std::vector<std::int64_t>{1, 2, 3});

    auto none = runCli(dir, {"search", "--entity", "Petya", "NotPetya"});
    CHECK(none.status == 0);
    CHECK(contains(none.err, "no entity is named 'Petya'"));
    CHECK(contains(none.out, "no documents match"));
}

TEST_CASE("lede-cli search marks matches in plain text output", "[search][cli]")
{
    test::TempDir dir;
    importNews(dir);
    auto r = runCli(dir, {"search", "maersk"});
    REQUIRE(r.status == 0);
    CHECK(contains(r.out, "NotPetya cripples [Maersk]"));
    CHECK(contains(r.out, "hit [Maersk] and Merck"));
    CHECK(contains(r.out, "documents 1-1 of 1: maersk"));
    CHECK_FALSE(contains(r.out, "\033["));
}

TEST_CASE("lede-cli search exits 2 for a query it cannot read", "[search][cli]")
{
    test::TempDir dir;
    importNews(dir);
    for (const std::vector<std::string> &args :
         std::vector<std::vector<std::string>>{{"search"},
                                               {"search", "NOT"},
                                               {"search", "type:"},
                                               {"search", "status:maybe"},
                                               {"search", "Telef\xF3nica"},
                                               {"search", "type:WEAPON"},
                                               {"search", "x", "--type", "WEAPON"},
                                               {"search", "x", "--limit", "lots"},
                                               {"search", "x", "--limit", "5000"},
                                               {"search", "a OR status:accepted"}}) {
        auto r = runCli(dir, args);
        INFO(args.back() << ": " << r.err);
        CHECK(r.status == 2);
        CHECK(contains(r.err, "lede-cli search: "));
        CHECK_FALSE(contains(r.err, "fts5"));
        CHECK_FALSE(contains(r.err, "SQL"));
    }
    // Read literally, with a note: SQL text and stray punctuation.
    auto sql = runCli(dir, {"search", "--json", "'; DROP TABLE documents; --"});
    CHECK(sql.status == 0);
    CHECK(parseJson(sql.out)->find("total")->asInt() == 0);
    auto unbalanced = runCli(dir, {"search", "--json", "(maersk OR \"hospitals"});
    CHECK(unbalanced.status == 0);
    CHECK(parseJson(unbalanced.out)->find("total")->asInt() == 2);
    CHECK(contains(unbalanced.err, "unclosed quote"));
    CHECK(runCli(dir, {"list"}).status == 0);
}

TEST_CASE("lede-cli entities lists counts and co-occurrence as JSON", "[search][cli]")
{
    test::TempDir dir;
    importNews(dir);
    auto r = runCli(dir, {"entities", "--json"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    auto json = parseJson(r.out);
    REQUIRE(json.ok());
    const auto &all = json->find("results")->asArray();
    REQUIRE(all.size() == 7);
    CHECK(all[0].find("name")->asString() == "NotPetya");
    CHECK(all[0].find("type")->asString() == "ATTACK");
    CHECK(all[0].find("documents")->asInt() == 2);
    CHECK(all[0].find("mentions")->asInt() == 2);
    CHECK(all[0].find("id")->isInteger());

    auto people = parseJson(runCli(dir, {"entities", "--json", "--type", "person"}).out);
    REQUIRE(people.ok());
    REQUIRE(people->find("results")->asArray().size() == 1);
    CHECK(people->find("results")->asArray()[0].find("mentions")->asInt() == 2);

    auto prefixed = parseJson(runCli(dir, {"entities", "--json", "--prefix", "TELE"}).out);
    REQUIRE(prefixed.ok());
    REQUIRE(prefixed->find("results")->asArray().size() == 1);
    CHECK(prefixed->find("results")->asArray()[0].find("name")->asString() == "Telefónica");

    auto next = runCli(dir, {"entities", "--json", "--cooccur", "notpetya", "--type", "COMPANY"});
    INFO(next.err);
    REQUIRE(next.status == 0);
    auto companies = parseJson(next.out);
    REQUIRE(companies.ok());
    const auto &list = companies->find("results")->asArray();
    REQUIRE(list.size() == 3);
    for (const JsonValue &e : list) {
        CHECK(e.find("type")->asString() == "COMPANY");
        CHECK(e.find("documents")->asInt() == 1);
    }

    auto text = runCli(dir, {"entities", "--limit", "2"});
    CHECK(text.status == 0);
    CHECK(contains(text.out, "NotPetya"));
    auto unknown = runCli(dir, {"entities", "--cooccur", "Stuxnet"});
    CHECK(unknown.status == 1);
    CHECK(contains(unknown.err, "no entity is named 'Stuxnet'"));
    CHECK(runCli(dir, {"entities", "--type", "WEAPON"}).status == 2);
    CHECK(runCli(dir, {"entities", "--prefix", "a", "--cooccur", "b"}).status == 2);
    CHECK(runCli(dir, {"entities", "--help"}).status == 0);
    CHECK(contains(runCli(dir, {"search", "--help"}).out, "usage: lede-cli search"));
}
