#include "CliRunner.h"

#include "core/store/Database.h"
#include "core/store/Store.h"
#include "core/store/StoreConnection.h"

#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

using namespace lede;

namespace {

pid_t spawnLede(const test::TempDir &dir, std::vector<std::string> args) { return test::spawnCli(dir, std::move(args)); }
int waitFor(pid_t pid) { return test::waitCli(pid); }

// Every article of the batch is a Lede JSON export holding one document
// with exactly three annotations, so a half-written document shows.
void writeBatch(const test::TempDir &dir, int files)
{
    for (int i = 0; i < files; ++i) {
        const std::string n = std::to_string(i);
        const std::string text = "Report " + n + ": Acme" + n + " blamed Vexcorp" + n + " for Worm" + n + ".";
        const auto at = [&](const std::string &word) { return std::to_string(text.find(word)); };
        const auto end = [&](const std::string &word) { return std::to_string(text.find(word) + word.size()); };
        const std::string json = R"({"format": "lede.corpus/1", "documents": [{"title": "Report )" + n + R"(", "text": ")"
            + text + R"(", "annotations": [
            {"start": )" + at("Acme" + n) + ", \"end\": " + end("Acme" + n) + R"(, "type": "COMPANY"},
            {"start": )" + at("Vexcorp" + n) + ", \"end\": " + end("Vexcorp" + n) + R"(, "type": "COMPANY"},
            {"start": )" + at("Worm" + n) + ", \"end\": " + end("Worm" + n) + R"(, "type": "ATTACK"}]}]})";
        dir.write("batch/" + std::to_string(i / 1000) + "/" + std::string(i < 10 ? "000" : i < 100 ? "00" : i < 1000 ? "0" : "") + n + ".json", json);
    }
}

} // namespace

TEST_CASE("an import killed at random moments leaves a consistent store and finishes on re-run", "[reliability]")
{
    test::TempDir dir;
    constexpr int kFiles = 6000;
    writeBatch(dir, kFiles);
    std::mt19937 random(20261126);
    int interrupted = 0; // kills that left the batch part-way
    for (int round = 0; round < 6; ++round) {
        const pid_t pid = spawnLede(dir, {"import", "--quiet", "--no-tag", dir.file("batch")});
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(10, 150)(random)));
        ::kill(pid, SIGKILL);
        waitFor(pid);

        auto store = Store::open(dir.file("store.sqlite"));
        REQUIRE(store.ok());
        Database *db = &storeConnection(**store);
        auto check = db->prepare("PRAGMA integrity_check");
        INFO((check.ok() ? std::string() : check.message()));
        REQUIRE(check.ok());
        REQUIRE(*check->step());
        CHECK(check->text(0) == "ok");
        // The full-text index agrees with the documents table.
        CHECK(db->exec("INSERT INTO documents_fts (documents_fts) VALUES ('integrity-check')").ok());
        // No document without its three annotations.
        auto partial = db->queryInt("SELECT count(*) FROM documents d WHERE (SELECT count(*) FROM annotations a "
                                       "WHERE a.document_id = d.id) <> 3");
        REQUIRE(partial.ok());
        CHECK(*partial == 0);
        const auto count = db->queryInt("SELECT count(*) FROM documents");
        REQUIRE(count.ok());
        if (*count < kFiles)
            ++interrupted;
        store->reset();
        CHECK(test::storeChecksOut(dir));
    }
    CHECK(interrupted > 0);

    const pid_t last = spawnLede(dir, {"import", "--quiet", "--no-tag", dir.file("batch")});
    CHECK(waitFor(last) == 0);
    auto store = Store::open(dir.file("store.sqlite"));
    REQUIRE(store.ok());
    auto docs = (*store)->documents();
    REQUIRE(docs.ok());
    CHECK(docs->size() == static_cast<std::size_t>(kFiles));
    CHECK(*storeConnection(**store).queryInt("SELECT count(*) FROM annotations") == 3 * kFiles);
    CHECK(*storeConnection(**store).queryInt("SELECT count(DISTINCT sha256) FROM documents") == kFiles);
    CHECK(test::storeChecksOut(dir));
}

TEST_CASE("two processes annotating one store at the same time lose nothing", "[reliability]")
{
    test::TempDir dir;
    std::string text;
    for (int i = 0; i < 400; ++i)
        text += "word" + std::to_string(i % 10) + " ";
    dir.write("doc.txt", text + "\n");
    REQUIRE(waitFor(spawnLede(dir, {"import", "--quiet", "--no-tag", dir.file("doc.txt")})) == 0);

    // Each writer adds annotations over its own half of the text, one
    // lede-cli process per change, as two analysts' tools would.
    // A failed change keeps what lede-cli said about it.
    auto writer = [&](int from, std::string &said) {
        int failures = 0;
        const std::string errPath = dir.file("err-" + std::to_string(from));
        for (int k = 0; k < 40; ++k) {
            const int start = from + k * 6;
            if (waitFor(test::spawnCli(dir,
                                       {"annotate", "1", "--add", std::to_string(start), std::to_string(start + 5),
                                        k % 2 ? "COMPANY" : "PERSON"},
                                       "/dev/null", errPath))
                != 0) {
                ++failures;
                said += test::readFile(errPath);
            }
        }
        return failures;
    };
    int failuresA = 0, failuresB = 0;
    std::string saidA, saidB;
    std::thread a([&] { failuresA = writer(0, saidA); });
    std::thread b([&] { failuresB = writer(1000, saidB); });
    a.join();
    b.join();
    INFO("first writer's errors: " << saidA << "second writer's errors: " << saidB);
    CHECK(failuresA == 0);
    CHECK(failuresB == 0);
    auto store = Store::open(dir.file("store.sqlite"));
    REQUIRE(store.ok());
    auto anns = (*store)->annotations(1);
    REQUIRE(anns.ok());
    CHECK(anns->size() == 80);
    CHECK(test::storeChecksOut(dir));
}
