// What an analyst does with lede-cli that must never lose or garble their
// work: each case is one that once did.
#include "CliRunner.h"

#include "core/Json.h"
#include "core/Store.h"
#include "core/Text.h"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace lede;
using test::contains;
namespace fs = std::filesystem;

namespace {

const std::string kArticle =
    "U.S. and Britain blame Russia for NotPetya\n\nLONDON — Britain and the United States blamed Russia's military "
    "for the NotPetya attack, which hit Maersk, Merck and FedEx. Microsoft said the GRU was behind it.\n";

// Lines of `show ID --list` after the text: one per annotation.
std::string listing(const test::TempDir &dir, const std::string &doc)
{
    const test::CliRun run = test::runCli(dir, {"show", doc, "--list", "--status", "all"});
    REQUIRE(run.status == 0);
    return run.out.substr(run.out.rfind("\n\n") + 2);
}

} // namespace

TEST_CASE("a JSON file of three documents whose second is bad imports none of them", "[cli][import]")
{
    test::TempDir dir;
    const std::string file = dir.write("three.json", R"({"format": "lede.corpus/1", "documents": [
        {"text": "Mirai took down Dyn.", "annotations": [{"start": 0, "end": 5, "type": "ATTACK"}]},
        {"text": "Emotet came back.", "annotations": [{"start": 0, "end": 6, "type": "'; DROP TABLE documents; --"}]},
        {"text": "Conti retired.", "annotations": [{"start": 0, "end": 5, "type": "ORGANIZATION"}]}]})");
    const test::CliRun run = test::runCli(dir, {"import", file});
    CHECK(run.status == 1);
    CHECK(contains(run.out, "imported 0, duplicates 0, failed 1"));
    CHECK(contains(run.err, "three.json: document 2 annotation 1 has an invalid type"));
    const test::CliRun list = test::runCli(dir, {"list"});
    CHECK(list.out.empty());
}

TEST_CASE("importing a colleague's export merges their annotations, and your own export changes nothing", "[cli][import]")
{
    test::TempDir a, b;
    a.write("in/notpetya.txt", kArticle);
    REQUIRE(test::runCli(a, {"import", a.file("in")}).status == 0);
    REQUIRE(test::runCli(a, {"export", "--format", "json", "--out", a.file("a.json")}).status == 0);
    const std::string before = listing(a, "1");

    const test::CliRun bImport = test::runCli(b, {"import", a.file("a.json")});
    REQUIRE(bImport.status == 0);
    CHECK(contains(bImport.out, "imported 1, duplicates 0, failed 0"));
    // B adds a manual annotation ("LONDON", 44-50) and accepts suggestion 1.
    REQUIRE(test::runCli(b, {"annotate", "1", "--add", "44", "50", "NATION", "--entity", "London"}).status == 0);
    REQUIRE(test::runCli(b, {"annotate", "1", "--accept", "1"}).status == 0);
    REQUIRE(test::runCli(b, {"export", "--format", "json", "--out", b.file("b.json")}).status == 0);

    const test::CliRun merge = test::runCli(a, {"import", b.file("b.json")});
    INFO(merge.err);
    REQUIRE(merge.status == 0);
    CHECK(contains(merge.out, "imported 0, duplicates 1, merged 2 annotations, 0 conflicts, failed 0"));
    const std::string after = listing(a, "1");
    CHECK(contains(after, "44-50  NATION  accepted  imported  LONDON"));
    CHECK(after.substr(0, after.find('\n')).find("accepted") != std::string::npos); // number 1, now accepted

    for (const std::string &again : {b.file("b.json"), a.file("a.json")}) {
        const test::CliRun rerun = test::runCli(a, {"import", again});
        CHECK(contains(rerun.out, "imported 0, duplicates 1, merged 0 annotations, 0 conflicts, failed 0"));
        CHECK(listing(a, "1") == after);
    }
    CHECK(before != after);
    CHECK(test::storeChecksOut(a));
    CHECK(test::storeChecksOut(b));
}

TEST_CASE("re-tagging an unchanged document keeps every annotation's number", "[cli][tag]")
{
    test::TempDir dir;
    dir.write("in/notpetya.txt", kArticle);
    REQUIRE(test::runCli(dir, {"import", dir.file("in")}).status == 0);
    const std::string before = listing(dir, "1");
    for (int round = 0; round < 2; ++round) {
        const test::CliRun tag = test::runCli(dir, {"tag", "1"});
        REQUIRE(tag.status == 0);
        CHECK(listing(dir, "1") == before);
    }
    // Rejecting Britain (2) teaches the tagger not to suggest it, so
    // re-tagging drops the other Britain (5); every other number still
    // names what it named in the first listing.
    REQUIRE(test::runCli(dir, {"annotate", "1", "--reject", "2"}).status == 0);
    REQUIRE(test::runCli(dir, {"tag", "1"}).status == 0);
    const std::string after = listing(dir, "1");
    CHECK_FALSE(contains(after, "\n    5  "));
    CHECK(contains(after, "    2  9-16  NATION  rejected  auto  Britain"));
    CHECK(test::storeChecksOut(dir));
    const auto line6 = [](const std::string &table) {
        const auto at = table.find("\n    6  ");
        return at == std::string::npos ? std::string() : table.substr(at + 1, table.find('\n', at + 1) - at - 1);
    };
    REQUIRE_FALSE(line6(before).empty());
    CHECK(line6(listing(dir, "1")) == line6(before));
}

TEST_CASE("bytes that are not UTF-8 never enter the store, and never leave it as invalid JSON", "[cli][utf8]")
{
    test::TempDir dir;
    dir.write("in/bad\xff\xfe.txt", "Microsoft said so.\n");
    dir.write("in/caf\xe9.txt", "Google agreed.\n");
    const test::CliRun import = test::runCli(dir, {"import", dir.file("in")});
    REQUIRE(import.status == 0);
    CHECK(contains(import.out, "imported 2"));
    const test::CliRun list = test::runCli(dir, {"list", "--json"});
    REQUIRE(list.status == 0);
    REQUIRE(text::isValidUtf8(list.out));
    auto parsed = parseJson(list.out);
    REQUIRE(parsed.ok());
    CHECK(contains(list.out, "bad\xef\xbf\xbd\xef\xbf\xbd.txt"));

    const test::CliRun entity = test::runCli(dir, {"annotate", "1", "--add", "0", "4", "ORGANIZATION", "--entity", "Bad\xffName"});
    CHECK(entity.status == 2);
    CHECK(contains(entity.err, "the value of --entity is not valid UTF-8 (byte 4)"));

    // A store an older Lede let such bytes into still exports to files
    // this Lede reads back, and lists as valid JSON.
    {
        auto store = Store::open(dir.file("store.sqlite"));
        REQUIRE(store.ok());
        REQUIRE((*store)->database().exec("UPDATE documents SET source = CAST(X'6261640a1bff2e747874' AS TEXT) WHERE id = 1; "
                                          "UPDATE entities SET name = CAST(X'4d6963726fff' AS TEXT) WHERE name = 'Microsoft'").ok());
    }
    const test::CliRun checked = test::runCli(dir, {"check"});
    CHECK(checked.status == 1);
    CHECK(contains(checked.out, "document 1: its source is not valid UTF-8"));
    CHECK(contains(checked.out, "entity 1: its name 'Micro\xef\xbf\xbd' is not valid UTF-8"));
    const test::CliRun again = test::runCli(dir, {"list", "--json"});
    CHECK(text::isValidUtf8(again.out));
    CHECK(parseJson(again.out).ok());
    REQUIRE(test::runCli(dir, {"export", "--format", "json", "--out", dir.file("all.json")}).status == 0);
    test::TempDir other;
    const test::CliRun reread = test::runCli(other, {"import", dir.file("all.json")});
    INFO(reread.err);
    CHECK(reread.status == 0);
    CHECK(contains(reread.out, "imported 2"));
    CHECK(test::storeChecksOut(other));
}

TEST_CASE("titles, names and sources cannot send escape sequences to the terminal", "[cli][terminal]")
{
    test::TempDir dir;
    dir.write("in/\x1b]0;owned\x07.txt", "\x1b[31mRed alert\x1b[0m at Microsoft\n\nMicrosoft and \xe2\x80\xaeGoogle met.\n");
    REQUIRE(test::runCli(dir, {"import", dir.file("in")}).status == 0);
    for (const std::vector<std::string> &command :
         {std::vector<std::string>{"list"}, {"entities"}, {"show", "1", "--list"}, {"search", "microsoft"}}) {
        CAPTURE(command[0]);
        const test::CliRun run = test::runCli(dir, command);
        REQUIRE(run.status == 0);
        CHECK(run.out.find('\x1b') == std::string::npos);
        CHECK(run.out.find('\x07') == std::string::npos);
        CHECK(run.out.find("\xe2\x80\xae") == std::string::npos);
    }
    const test::CliRun list = test::runCli(dir, {"list"});
    CHECK(contains(list.out, "\\x1b[31mRed alert\\x1b[0m at Microsoft"));
    CHECK(contains(list.out, "(\\x1b]0;owned\\x07.txt)"));
    // JSON is for programs: it keeps the text, escaped as JSON escapes it.
    CHECK(contains(test::runCli(dir, {"list", "--json"}).out, "\\u001b[31mRed alert"));
}

TEST_CASE("two processes creating one new store at once both succeed", "[cli][concurrency]")
{
    for (int round = 0; round < 25; ++round) {
        test::TempDir dir;
        dir.write("a.txt", "Microsoft met Google in Spain.\n");
        const std::string out1 = dir.file("out1"), err1 = dir.file("err1"), err2 = dir.file("err2"), err3 = dir.file("err3");
        const pid_t first = test::spawnCli(dir, {"stats"}, out1, err1);
        const pid_t second = test::spawnCli(dir, {"import", "--no-tag", dir.file("a.txt")}, "/dev/null", err2);
        const pid_t third = test::spawnCli(dir, {"types", "--add", "MALWARE"}, "/dev/null", err3);
        CHECK(test::waitCli(first) == 0);
        CHECK(test::waitCli(second) == 0);
        CHECK(test::waitCli(third) == 0);
        INFO(test::readFile(err1) << test::readFile(err2) << test::readFile(err3));
        CHECK(test::readFile(err1).empty());
        CHECK(test::readFile(err3).empty());
        const test::CliRun check = test::runCli(dir, {"list"});
        CHECK(contains(check.out, "Microsoft met Google"));
    }
}

TEST_CASE("a store another program keeps locked is named, with who holds it", "[cli][concurrency]")
{
    test::TempDir dir;
    dir.write("a.txt", "Microsoft met Google in Spain.\n");
    REQUIRE(test::runCli(dir, {"import", dir.file("a.txt")}).status == 0);
    auto store = Store::open(dir.file("store.sqlite"));
    REQUIRE(store.ok());
    REQUIRE((*store)->database().exec("BEGIN IMMEDIATE").ok());
    REQUIRE((*store)->database().exec("UPDATE documents SET title = 'held' WHERE id = 1").ok());
    ::setenv("LEDE_BUSY_TIMEOUT_MS", "300", 1);
    const test::CliRun run = test::runCli(dir, {"annotate", "1", "--add", "0", "9", "COMPANY"});
    ::unsetenv("LEDE_BUSY_TIMEOUT_MS");
    CHECK(run.status == 1);
    CHECK(contains(run.err, "the store " + dir.file("store.sqlite") + " is busy: another program kept it locked for 0.3 s by "));
    CHECK(contains(run.err, "(process " + std::to_string(::getpid()) + "); try again when it is done"));
    REQUIRE((*store)->database().exec("ROLLBACK").ok());
    CHECK(test::runCli(dir, {"annotate", "1", "--add", "0", "9", "COMPANY"}).status == 0);
}
