#include "CliRunner.h"

#include "core/io/Json.h"

#include <catch2/catch.hpp>

#include <vector>

using namespace lede;

namespace {

using test::contains;

// Runs lede-cli on the store in `dir`.
test::CliRun runLede(const test::TempDir &dir, std::vector<std::string> args) { return test::runCli(dir, std::move(args)); }

} // namespace

TEST_CASE("lede-cli prints its version and help", "[cli]")
{
    test::TempDir dir;
    auto v = runLede(dir, {"--version"});
    CHECK(v.status == 0);
    CHECK(v.out.rfind("lede-cli ", 0) == 0);
    auto h = runLede(dir, {"--help"});
    CHECK(h.status == 0);
    CHECK(contains(h.out, "import PATH"));
    for (const char *command : {"import", "list", "show", "annotate", "export", "types", "stats"}) {
        auto c = runLede(dir, {command, "--help"});
        CHECK(c.status == 0);
        CHECK(contains(c.out, std::string("usage: lede-cli ") + command));
    }
}

TEST_CASE("lede-cli usage errors exit with 2 and one clear line", "[cli]")
{
    test::TempDir dir;
    auto none = runLede(dir, {});
    CHECK(none.status == 2);
    auto unknown = runLede(dir, {"frobnicate"});
    CHECK(unknown.status == 2);
    CHECK(contains(unknown.err, "unknown command 'frobnicate'"));
    auto badOption = runLede(dir, {"list", "--colour"});
    CHECK(badOption.status == 2);
    CHECK(contains(badOption.err, "unknown option '--colour'"));
    auto noPath = runLede(dir, {"import"});
    CHECK(noPath.status == 2);
    auto badSize = runLede(dir, {"import", "--max-size", "lots", "x.txt"});
    CHECK(badSize.status == 2);
    CHECK(contains(badSize.err, "size 'lots'"));
    auto badFormat = runLede(dir, {"export", "--format", "xml"});
    CHECK(badFormat.status == 2);
    auto badId = runLede(dir, {"show", "twelve"});
    CHECK(badId.status == 2);
    CHECK(contains(badId.err, "'twelve' is not a number"));
}

TEST_CASE("lede-cli imports a folder, reports failures and exits 1", "[cli]")
{
    test::TempDir dir;
    dir.write("news/accord.txt", "Tech firms sign accord\n\nMicrosoft and Cisco signed in San Francisco.\n");
    dir.write("news/notpetya.txt", "NotPetya\n\nThe NotPetya attack hit Maersk.\n");
    dir.write("news/empty.txt", "");
    dir.write("news/junk.txt", std::string("\x00\x01\x02\x03\x04", 5));
    auto r = runLede(dir, {"import", dir.file("news")});
    CHECK(r.status == 1);
    CHECK(contains(r.out, "imported 2, duplicates 0, failed 2 in "));
    CHECK(contains(r.err, "empty.txt: empty file"));
    CHECK(contains(r.err, "junk.txt: binary"));

    auto again = runLede(dir, {"import", "--quiet", dir.file("news/accord.txt"), dir.file("news/notpetya.txt")});
    CHECK(again.status == 0);
    CHECK(contains(again.out, "imported 0, duplicates 2, failed 0"));

    auto list = runLede(dir, {"list", "--json"});
    REQUIRE(list.status == 0);
    auto json = parseJson(list.out);
    REQUIRE(json.ok());
    const auto &docs = json->find("documents")->asArray();
    REQUIRE(docs.size() == 2);
    CHECK(docs[0].find("title")->asString() == "Tech firms sign accord");
    CHECK(docs[0].find("source")->asString() == "accord.txt");
}

TEST_CASE("lede-cli annotates, shows and exports with code-point offsets", "[cli]")
{
    test::TempDir dir;
    // The emoji is one code point but two UTF-16 units.
    dir.write("post.txt", "😱 Microsoft patched EternalBlue.\n");
    REQUIRE(runLede(dir, {"import", "--quiet", "--no-tag", dir.file("post.txt")}).status == 0);

    auto add = runLede(dir, {"annotate", "1", "--add", "2", "11", "COMPANY"});
    REQUIRE(add.status == 0);
    CHECK(contains(add.out, "[Microsoft]{COMPANY}"));
    auto add2 = runLede(dir, {"annotate", "1", "--add", "20", "31", "ORGANIZATION", "--entity", "EternalBlue exploit"});
    REQUIRE(add2.status == 0);
    auto retype = runLede(dir, {"annotate", "1", "--retype", "2", "ATTACK"});
    CHECK(retype.status == 0);
    CHECK(contains(retype.out, "[EternalBlue]{ATTACK}"));

    auto show = runLede(dir, {"show", "1"});
    REQUIRE(show.status == 0);
    CHECK(contains(show.out, "😱 [Microsoft]{COMPANY} patched [EternalBlue]{ATTACK}."));

    auto outside = runLede(dir, {"annotate", "1", "--add", "20", "99", "ATTACK"});
    CHECK(outside.status == 1);
    CHECK(contains(outside.err, "outside the text"));
    auto badType = runLede(dir, {"annotate", "1", "--add", "0", "1", "WEAPON"});
    CHECK(badType.status == 1);
    CHECK(contains(badType.err, "unknown type 'WEAPON'"));
    auto noDoc = runLede(dir, {"annotate", "7", "--accept", "1"});
    CHECK(noDoc.status == 1);
    CHECK(contains(noDoc.err, "no document with id 7"));

    auto exported = runLede(dir, {"export", "--format", "json"});
    REQUIRE(exported.status == 0);
    auto json = parseJson(exported.out);
    REQUIRE(json.ok());
    const auto &anns = json->find("documents")->asArray()[0].find("annotations")->asArray();
    REQUIRE(anns.size() == 2);
    CHECK(anns[0].find("start")->asInt() == 2);
    CHECK(anns[0].find("start_utf16")->asInt() == 3);
    CHECK(anns[0].find("text")->asString() == "Microsoft");
    CHECK(anns[1].find("entity")->find("name")->asString() == "EternalBlue exploit");

    auto listed = runLede(dir, {"show", "1", "--list"});
    REQUIRE(listed.status == 0);
    CHECK(contains(listed.out, "    1  2-11  COMPANY  accepted  manual  Microsoft\n"));
    CHECK(contains(listed.out, "    2  20-31  ATTACK  accepted  manual  EternalBlue\n"));
    // The full id, as exports write it, names the same annotation.
    const std::string fullId = std::to_string(anns[1].find("id")->asInt());
    auto byId = runLede(dir, {"annotate", "1", "--accept", fullId});
    CHECK(byId.status == 0);
    CHECK(contains(byId.out, "annotation 2: [EternalBlue]{ATTACK}"));
    auto missing = runLede(dir, {"annotate", "1", "--accept", "9"});
    CHECK(missing.status == 1);
    CHECK(contains(missing.err, "document 1 has no annotation 9"));

    REQUIRE(runLede(dir, {"annotate", "1", "--reject", "1"}).status == 0);
    auto csv = runLede(dir, {"export", "--format", "csv"});
    CHECK_FALSE(contains(csv.out, ",COMPANY,"));
    auto csvAll = runLede(dir, {"export", "--format", "csv", "--status", "all"});
    CHECK(contains(csvAll.out, ",COMPANY,"));
    REQUIRE(runLede(dir, {"annotate", "1", "--remove", "1"}).status == 0);
    CHECK_FALSE(contains(runLede(dir, {"show", "1", "--status", "all"}).out, "[Microsoft]"));
}

TEST_CASE("lede-cli exports to files and round-trips through import", "[cli]")
{
    test::TempDir dir;
    dir.write("a.txt", "Kaspersky rejected the claims.\n");
    REQUIRE(runLede(dir, {"import", "--quiet", "--no-tag", dir.file("a.txt")}).status == 0);
    REQUIRE(runLede(dir, {"annotate", "1", "--add", "0", "9", "COMPANY"}).status == 0);
    auto exported = runLede(dir, {"export", "--out", dir.file("out/corpus.json")});
    REQUIRE(exported.status == 0);
    auto brat = runLede(dir, {"export", "--format", "brat", "--out", dir.file("brat")});
    REQUIRE(brat.status == 0);
    CHECK(std::filesystem::exists(dir.file("brat/annotation.conf")));
    auto bratNoOut = runLede(dir, {"export", "--format", "brat"});
    CHECK(bratNoOut.status == 2);

    test::TempDir other;
    auto imported = runLede(other, {"import", dir.file("out/corpus.json")});
    REQUIRE(imported.status == 0);
    CHECK(contains(imported.out, "imported 1, duplicates 0, failed 0"));
    auto show = runLede(other, {"show", "1"});
    CHECK(contains(show.out, "[Kaspersky]{COMPANY} rejected"));
}

TEST_CASE("lede-cli manages types and prints stats", "[cli]")
{
    test::TempDir dir;
    auto add = runLede(dir, {"types", "--add", "MALWARE", "--color", "#112233", "--key", "6"});
    REQUIRE(add.status == 0);
    auto dup = runLede(dir, {"types", "--add", "MALWARE"});
    CHECK(dup.status == 1);
    CHECK(contains(dup.err, "exists already"));
    auto badColor = runLede(dir, {"types", "--add", "TOOL", "--color", "red"});
    CHECK(badColor.status == 1);
    auto list = runLede(dir, {"types"});
    CHECK(contains(list.out, "MALWARE"));
    CHECK(contains(list.out, "#112233"));
    auto stats = runLede(dir, {"stats", "--json"});
    REQUIRE(stats.status == 0);
    auto json = parseJson(stats.out);
    REQUIRE(json.ok());
    CHECK(json->find("documents")->asInt() == 0);
}

TEST_CASE("lede-cli refuses a store it cannot use with a clear message", "[cli]")
{
    test::TempDir dir;
    dir.write("store.sqlite", "not a database, only words in a file that pretends to be one");
    auto r = runLede(dir, {"stats"});
    CHECK(r.status == 1);
    CHECK(contains(r.err, "not a Lede store"));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

TEST_CASE("lede-cli tags on import and re-tags without touching reviewed annotations", "[cli][tagger]")
{
    test::TempDir dir;
    dir.write("news/a.txt", "Microsoft said on Monday that Russia was behind NotPetya.\n");
    auto imported = runLede(dir, {"import", "--quiet", dir.file("news")});
    REQUIRE(imported.status == 0);
    auto before = runLede(dir, {"export", "--format", "json"});
    auto json = parseJson(before.out);
    REQUIRE(json.ok());
    const auto &anns = json->find("documents")->asArray()[0].find("annotations")->asArray();
    REQUIRE(!anns.empty());
    CHECK(anns[0].find("origin")->asString() == "auto");
    CHECK(anns[0].find("status")->asString() == "suggested");
    const std::string firstId = std::to_string(anns[0].find("id")->asInt());
    REQUIRE(runLede(dir, {"annotate", "1", "--accept", firstId}).status == 0);

    auto tagged = runLede(dir, {"tag", "--all"});
    REQUIRE(tagged.status == 0);
    CHECK(contains(tagged.out, "tagged 1 documents"));
    auto after = parseJson(runLede(dir, {"export", "--format", "json"}).out);
    REQUIRE(after.ok());
    const auto &again = after->find("documents")->asArray()[0].find("annotations")->asArray();
    CHECK(again.size() == anns.size());
    CHECK(again[0].find("status")->asString() == "accepted");

    CHECK(runLede(dir, {"tag"}).status == 2);
    CHECK(runLede(dir, {"tag", "--all", "1"}).status == 2);
}

TEST_CASE("lede-cli eval scores suggestions against gold files", "[cli][tagger]")
{
    test::TempDir dir;
    // Two gold spans; the tagger finds Microsoft (a match) and Russia (gold
    // says NATION too), and the made-up gold span is a miss.
    dir.write("gold/one.txt", "Microsoft blamed Russia.\n");
    dir.write("gold/one.gold.json", R"({"source": "one.txt", "entities": [
        {"start": 0, "end": 9, "type": "COMPANY", "text": "Microsoft"},
        {"start": 17, "end": 23, "type": "NATION", "text": "Russia"},
        {"start": 10, "end": 16, "type": "ATTACK", "text": "blamed"}]})");
    auto r = runLede(dir, {"eval", dir.file("gold"), "--json", "--pred", dir.file("pred.json")});
    REQUIRE(r.status == 0);
    auto json = parseJson(r.out);
    REQUIRE(json.ok());
    const JsonValue *types = json->find("types");
    CHECK(types->find("COMPANY")->find("tp")->asInt() == 1);
    CHECK(types->find("ATTACK")->find("fn")->asInt() == 1);
    auto pred = parseJson(test::readFile(dir.file("pred.json")));
    REQUIRE(pred.ok());
    CHECK(pred->find("docs")->find("one.txt")->isArray());
    auto table = runLede(dir, {"eval", dir.file("gold")});
    CHECK(contains(table.out, "micro-F1"));
    CHECK(runLede(dir, {"eval", dir.file("nowhere")}).status == 1);
}

TEST_CASE("lede-cli eval agrees with shared/eval/score.py", "[cli][tagger]")
{
    // The project's scorer sits beside the repository (../shared) on
    // developer machines and in CI; elsewhere there is nothing to compare.
    const std::filesystem::path shared = std::filesystem::path(LEDE_SOURCE_DIR) / ".." / "shared";
    const std::filesystem::path scorer = shared / "eval" / "score.py";
    const std::filesystem::path corpus = shared / "corpus";
    if (!std::filesystem::exists(scorer) || !std::filesystem::exists(corpus) || std::system("python3 --version > /dev/null 2>&1") != 0) {
        WARN("shared/eval/score.py or python3 not found; comparison skipped");
        return;
    }
    test::TempDir dir;
    auto ours = runLede(dir, {"eval", corpus.string(), "--pred", dir.file("pred.json")});
    REQUIRE(ours.status == 0);
    const std::string command = "python3 '" + scorer.string() + "' '" + corpus.string() + "' '" + dir.file("pred.json")
        + "' > '" + dir.file("score.txt") + "'";
    REQUIRE(std::system(command.c_str()) == 0);
    const std::string theirs = test::readFile(dir.file("score.txt"));
    // Both print the same per-type table and the same micro-F1 line.
    auto lastLine = [](const std::string &text) {
        std::string t = text;
        while (!t.empty() && t.back() == '\n')
            t.pop_back();
        return t.substr(t.rfind('\n') + 1);
    };
    CHECK(lastLine(ours.out) == lastLine(theirs));
    CHECK(ours.out == theirs);
}

TEST_CASE("lede-cli shows why each suggestion was made, hides weak ones and lists the least confident first",
          "[cli][provenance]")
{
    test::TempDir dir;
    dir.write("a.txt", "Breach at Norvanta\n\nThe NotPetya attack hit Norvanta Holdings Inc. and Microsoft on Tuesday.\n");
    REQUIRE(runLede(dir, {"import", dir.file("a.txt")}).status == 0);
    auto listed = runLede(dir, {"show", "1", "--list"});
    REQUIRE(listed.status == 0);
    CHECK(contains(listed.out, "Norvanta Holdings Inc.  (rule:legal-suffix 0.58)\n"));
    CHECK(contains(listed.out, "NotPetya  (gazetteer:curated:attacks 0.86)\n"));

    auto review = runLede(dir, {"show", "1", "--least-confident"});
    REQUIRE(review.status == 0);
    const auto weak = review.out.find("Norvanta Holdings Inc.");
    const auto sure = review.out.find("NotPetya");
    REQUIRE(weak != std::string::npos);
    REQUIRE(sure != std::string::npos);
    CHECK(weak < sure);

    auto strong = runLede(dir, {"show", "1", "--min-confidence", "0.8"});
    REQUIRE(strong.status == 0);
    CHECK(contains(strong.out, "[NotPetya]{ATTACK}"));
    CHECK_FALSE(contains(strong.out, "{COMPANY}"));
    // An analyst's accepted name shows whatever its confidence was.
    REQUIRE(runLede(dir, {"annotate", "1", "--accept", "2"}).status == 0);
    strong = runLede(dir, {"show", "1", "--min-confidence", "0.8"});
    CHECK(contains(strong.out, "{COMPANY}"));

    auto bad = runLede(dir, {"show", "1", "--min-confidence", "high"});
    CHECK(bad.status == 2);
    CHECK(contains(bad.err, "--min-confidence needs a number from 0 to 1"));

    // Exports carry both.
    auto exported = runLede(dir, {"export", "--format", "csv"});
    REQUIRE(exported.status == 0);
    CHECK(contains(exported.out, ",provenance,confidence\r\n"));
    CHECK(contains(exported.out, ",rule:legal-suffix,0.58\r\n"));
}

TEST_CASE("train --from-store learns from the analyst's reviews and re-tags only the documents nobody reviewed",
          "[cli][learning]")
{
    test::TempDir dir;
    dir.write("in/1.txt", "Layoffs\n\nVelmora said on Tuesday it would cut 200 jobs at its plant.\n");
    dir.write("in/2.txt", "Outlook\n\nAnalysts expect Velmora to grow.\n");
    REQUIRE(runLede(dir, {"import", dir.file("in")}).status == 0);
    auto empty = runLede(dir, {"train", "--from-store", "--no-retag"});
    REQUIRE(empty.status == 0);
    CHECK(contains(empty.out, "no reviews to learn from"));

    REQUIRE(runLede(dir, {"annotate", "1", "--add", "9", "16", "COMPANY"}).status == 0);
    auto trained = runLede(dir, {"train", "--from-store"});
    REQUIRE(trained.status == 0);
    CHECK(contains(trained.out, "learned from 1 reviews in 1 sentences of 1 documents"));
    CHECK(contains(trained.out, "re-tagged 1 unreviewed documents"));
    auto second = runLede(dir, {"show", "2", "--list"});
    REQUIRE(second.status == 0);
    CHECK(contains(second.out, "25-32  COMPANY  suggested  auto  Velmora"));
    auto first = runLede(dir, {"show", "1", "--list"});
    CHECK(contains(first.out, "9-16  COMPANY  accepted  manual  Velmora"));
    CHECK(test::storeChecksOut(dir));

    auto forgotten = runLede(dir, {"train", "--from-store", "--forget", "--no-retag"});
    REQUIRE(forgotten.status == 0);
    CHECK(contains(forgotten.out, "removed the store's model update"));
    CHECK(runLede(dir, {"train", "--from-store", "--epochs", "3"}).status == 2);
    CHECK(runLede(dir, {"train", "--no-retag", dir.file("in")}).status == 2);
    auto threshold = runLede(dir, {"train", dir.file("in"), "--model-threshold", "1.5"});
    CHECK(threshold.status == 2);
    CHECK(contains(threshold.err, "--model-threshold needs a number from 0 to 1"));
}

TEST_CASE("lede-cli reads its command line as CLI11 declares it", "[cli]")
{
    test::TempDir dir;
    dir.write("a.txt", "Help wanted\n\nThe page says --help and -5 in its text.\n");
    REQUIRE(runLede(dir, {"import", "--quiet", "--no-tag", dir.file("a.txt")}).status == 0);

    // "--" ends the options: what follows is the query, even "--help".
    auto dashes = runLede(dir, {"search", "--", "--help"});
    CHECK(dashes.status == 0);
    CHECK(contains(dashes.out, "documents 1-1 of 1"));
    // Words that name other commands are words of the query.
    auto words = runLede(dir, {"search", "list", "import"});
    CHECK(words.status == 0);
    CHECK(contains(words.out, "no documents match: list AND import"));

    // --db before or after the command; the last one given counts.
    auto after = test::runProgram(dir, {"stats", "--db", dir.file("store.sqlite")});
    CHECK(after.status == 0);
    CHECK(contains(after.out, "documents    1"));
    auto before = test::runProgram(dir, {"--db", dir.file("other.sqlite"), "--db", dir.file("store.sqlite"), "list"});
    CHECK(before.status == 0);
    CHECK(contains(before.out, "Help wanted"));

    // One action of annotate at a time; --entity only with --add.
    auto two = runLede(dir, {"annotate", "1", "--accept", "1", "--reject", "1"});
    CHECK(two.status == 2);
    CHECK(contains(two.err, "--accept cannot be combined with --reject"));
    auto none = runLede(dir, {"annotate", "1"});
    CHECK(none.status == 2);
    CHECK(contains(none.err, "annotate needs one of --add, --remove, --retype, --accept, --reject"));
    auto entity = runLede(dir, {"annotate", "1", "--entity", "X", "--accept", "1"});
    CHECK(entity.status == 2);
    CHECK(contains(entity.err, "--entity goes with --add"));
    auto short_ = runLede(dir, {"annotate", "1", "--add", "4", "7"});
    CHECK(short_.status == 2);
    CHECK(contains(short_.err, "option '--add' needs 3 values"));
    auto offset = runLede(dir, {"annotate", "1", "--add", "four", "7", "COMPANY"});
    CHECK(offset.status == 2);
    CHECK(contains(offset.err, "start offset 'four' is not a number"));

    // Numbers are decimal: "010" is ten, not eight.
    auto limit = runLede(dir, {"search", "--limit", "010", "--json", "page"});
    CHECK(limit.status == 0);
    CHECK(contains(runLede(dir, {"search", "--limit", "1001", "page"}).err, "limit '1001' is more than 1000"));
    CHECK(contains(runLede(dir, {"search", "--limit", "2", "--limit", "3", "page"}).err, "option '--limit' given twice"));
    CHECK(contains(runLede(dir, {"list", "--json=maybe"}).err, "option '--json' takes no value"));
    CHECK(contains(runLede(dir, {"list", "extra"}).err, "list takes no arguments"));
    CHECK(contains(runLede(dir, {"show", "1", "2"}).err, "unexpected argument '2'"));
    CHECK(contains(runLede(dir, {"tag", "--all", "1"}).err, "tag needs document ids or --all (not both)"));

    // Help is generated from the declarations: every option, with its help.
    auto help = runLede(dir, {"entities", "--help"});
    CHECK(help.status == 0);
    for (const char *line : {"  --type T", "  --prefix P", "  --cooccur NAME", "  --limit N", "  --json"})
        CHECK(contains(help.out, line));
    CHECK_FALSE(contains(help.out, "Exit status: 0 success"));
    auto program = runLede(dir, {"--help"});
    for (const char *command : {"import", "list", "show", "annotate", "export", "types", "search", "entities", "tag",
                                "eval", "train", "stats", "backup", "check"})
        CHECK(contains(program.out, std::string("\n  ") + command + " "));
}
