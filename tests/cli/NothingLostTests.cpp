// What an analyst does with lede-cli that must never lose or garble their
// work: each case is one that once did.
#include "CliRunner.h"

#include "core/io/Json.h"
#include "core/store/Store.h"
#include "core/store/StoreConnection.h"
#include "core/text/Text.h"

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

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
    // Rejecting Britain (2) once says it is wrong there: a name from the
    // built-in lists is not dropped everywhere for one rejection, so the
    // other Britain (5) stays, under its number, as does every other.
    REQUIRE(test::runCli(dir, {"annotate", "1", "--reject", "2"}).status == 0);
    REQUIRE(test::runCli(dir, {"tag", "1"}).status == 0);
    const std::string after = listing(dir, "1");
    const auto line = [](const std::string &table, const std::string &number) {
        const auto at = table.find("\n    " + number + "  ");
        return at == std::string::npos ? std::string() : table.substr(at + 1, table.find('\n', at + 1) - at - 1);
    };
    REQUIRE_FALSE(line(before, "5").empty());
    CHECK(line(after, "5") == line(before, "5"));
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
        REQUIRE(storeConnection(**store).exec("UPDATE documents SET source = CAST(X'6261640a1bff2e747874' AS TEXT) WHERE id = 1; "
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
    REQUIRE(storeConnection(**store).exec("BEGIN IMMEDIATE").ok());
    REQUIRE(storeConnection(**store).exec("UPDATE documents SET title = 'held' WHERE id = 1").ok());
    ::setenv("LEDE_BUSY_TIMEOUT_MS", "300", 1);
    const test::CliRun run = test::runCli(dir, {"annotate", "1", "--add", "0", "9", "COMPANY"});
    ::unsetenv("LEDE_BUSY_TIMEOUT_MS");
    CHECK(run.status == 1);
    CHECK(contains(run.err, "the store " + dir.file("store.sqlite") + " is busy: another program kept it locked for 0.3 s by "));
    CHECK(contains(run.err, "(process " + std::to_string(::getpid()) + "); try again when it is done"));
    REQUIRE(storeConnection(**store).exec("ROLLBACK").ok());
    CHECK(test::runCli(dir, {"annotate", "1", "--add", "0", "9", "COMPANY"}).status == 0);
}

TEST_CASE("export --out writes into FIFOs, devices and through links, refuses folders and stores, and leaves no temporary files",
          "[cli][export]")
{
    test::TempDir dir;
    dir.write("in/a.txt", kArticle);
    REQUIRE(test::runCli(dir, {"import", dir.file("in")}).status == 0);

    // /dev/null takes the bytes and stays a device.
    CHECK(test::runCli(dir, {"export", "--out", "/dev/null"}).status == 0);
    CHECK(fs::is_character_file("/dev/null"));

    // A FIFO: its reader gets the whole export.
    const std::string fifo = dir.file("pipe");
    REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
    const pid_t writer = test::spawnCli(dir, {"export", "--format", "jsonl", "--out", fifo});
    const std::string piped = test::readFile(fifo);
    CHECK(test::waitCli(writer) == 0);
    CHECK(contains(piped, "NotPetya"));
    CHECK(fs::is_fifo(fifo));

    // A link: the target is written, the link stays.
    fs::create_directory(dir.path() / "real");
    fs::create_symlink(dir.file("real/corpus.csv"), dir.file("link.csv"));
    CHECK(test::runCli(dir, {"export", "--format", "csv", "--out", dir.file("link.csv")}).status == 0);
    CHECK(fs::is_symlink(dir.file("link.csv")));
    CHECK(contains(test::readFile(dir.file("real/corpus.csv")), "NotPetya"));

    const test::CliRun folder = test::runCli(dir, {"export", "--out", dir.file("real")});
    CHECK(folder.status == 1);
    CHECK(contains(folder.err, "cannot write " + dir.file("real") + ": it is a folder"));
    const test::CliRun store = test::runCli(dir, {"export", "--out", dir.file("store.sqlite")});
    CHECK(store.status == 1);
    CHECK(contains(store.err, "it is the store Lede has open"));
    CHECK(fs::is_regular_file(dir.file("store.sqlite")));
    CHECK(test::storeChecksOut(dir));
}

TEST_CASE("an export killed part-way leaves the old file and nothing beside it", "[cli][export][reliability]")
{
    test::TempDir dir;
    for (int i = 0; i < 600; ++i)
        dir.write("in/" + std::to_string(i) + ".txt", "Report " + std::to_string(i) + "\n\n" + kArticle + kArticle + kArticle);
    REQUIRE(test::runCli(dir, {"import", "--no-tag", dir.file("in")}).status == 0);
    fs::create_directory(dir.path() / "out");
    const std::string out = dir.file("out/corpus.json");
    dir.write("out/corpus.json", "the previous export\n");
    std::mt19937 random(20261202);
    for (int round = 0; round < 5; ++round) {
        const pid_t pid = test::spawnCli(dir, {"export", "--out", out});
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(5, 60)(random)));
        ::kill(pid, SIGKILL);
        test::waitCli(pid);
        std::vector<std::string> names;
        for (const auto &entry : fs::directory_iterator(dir.path() / "out"))
            names.push_back(entry.path().filename().string());
        CHECK(names == std::vector<std::string>{"corpus.json"});
        const std::string now = test::readFile(out);
        CHECK((now == "the previous export\n" || contains(now.substr(now.size() - 4), "]}")));
    }
    CHECK(test::runCli(dir, {"export", "--out", out}).status == 0);
    CHECK(contains(test::readFile(out), "\"lede.corpus/1\""));
}

TEST_CASE("lede-cli says clearly what is wrong with a store path, a size, an offset or standard output", "[cli][messages]")
{
    test::TempDir dir;
    const std::string missingFolder = dir.file("no/such/folder/x.sqlite");
    const test::CliRun folder = test::runCli(dir, {"--db", missingFolder, "stats"});
    CHECK(folder.status == 1);
    CHECK(contains(folder.err, missingFolder + ": cannot create the store: the folder " + dir.file("no/such/folder")
                                   + " does not exist"));
    CHECK_FALSE(fs::exists(dir.file("no")));

    REQUIRE(::mkfifo(dir.file("fifo").c_str(), 0644) == 0);
    CHECK(contains(test::runCli(dir, {"--db", dir.file("fifo"), "stats"}).err, "not a store: it is a FIFO"));
    CHECK(contains(test::runCli(dir, {"--db", "/dev/null", "stats"}).err, "not a store: it is a character device"));

    ::setenv("LEDE_DB", "", 1);
    // Without --db, as a shell with LEDE_DB= would run it.
    const std::string emptyErr = dir.file("empty-err");
    const int emptyStatus = test::waitCli(test::spawnProgram({"stats"}, "/dev/null", emptyErr));
    ::unsetenv("LEDE_DB");
    CHECK(emptyStatus == 2);
    CHECK(contains(test::readFile(emptyErr), "LEDE_DB is set but empty"));

    dir.write("big.txt", std::string(20 * 1024 * 1024 + 1, 'a'));
    CHECK(contains(test::runCli(dir, {"import", dir.file("big.txt")}).err,
                   "the file is too large (20,971,521 bytes; the limit is 20,971,520 bytes, see --max-size)"));
    const test::CliRun huge = test::runCli(dir, {"import", "--max-size", "17179869184GB", dir.file("big.txt")});
    CHECK(huge.status == 2);
    CHECK(contains(huge.err, "is more than 16 GB"));

    dir.write("a.txt", kArticle);
    REQUIRE(test::runCli(dir, {"import", dir.file("a.txt")}).status == 0);
    CHECK(contains(test::runCli(dir, {"annotate", "1", "--add", "-1", "4", "COMPANY"}).err,
                   "start offset -1 is negative: offsets count code points from 0"));
    CHECK(contains(test::runCli(dir, {"annotate", "1", "--add", "3", "3", "COMPANY"}).err,
                   "annotation 3-3 is empty: it ends where it starts"));
    CHECK(contains(test::runCli(dir, {"search", "Maersk", "--offset", "999999999"}).out,
                   "no documents from 1000000000 on: 1 document matches (see --offset)"));
    const test::CliRun brackets = test::runCli(dir, {"search", std::string(1000, ')') + " Maersk"});
    CHECK(brackets.status == 0);
    CHECK(brackets.err == "lede-cli search: ignored a ')' that closes nothing (1000 times)\n");

    // A full disk on standard output is named as such.
    const std::string errPath = dir.file("full-err");
    const pid_t full = test::spawnCli(dir, {"export"}, "/dev/full", errPath);
    CHECK(test::waitCli(full) == 1);
    CHECK(test::readFile(errPath) == "lede-cli: cannot write to standard output: No space left on device\n");
}
