#include "ProcessLocks.h"
#include "TestUtil.h"

#include "core/base/Files.h"
#include "core/io/Importer.h"
#include "core/store/Store.h"

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

using namespace lede;
using lede::test::TempDir;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> namesIn(const fs::path &folder)
{
    std::vector<std::string> names;
    for (const auto &entry : fs::directory_iterator(folder))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

void setModifiedTime(const std::string &path, std::chrono::seconds ago)
{
    const auto when = std::chrono::system_clock::now() - ago;
    timeval times[2];
    times[0].tv_sec = times[1].tv_sec = std::chrono::system_clock::to_time_t(when);
    times[0].tv_usec = times[1].tv_usec = 0;
    REQUIRE(::utimes(path.c_str(), times) == 0);
}

} // namespace

TEST_CASE("nothing but SQLite opens the files of a store this process has open")
{
    TempDir dir;
    const std::string path = dir.file("store.sqlite");
    CHECK_FALSE(files::storeFileReason(path).has_value());
    {
        auto store = Store::open(path);
        REQUIRE(store.ok());
        NewDocument doc;
        doc.title = "t";
        doc.source = "t.txt";
        doc.text = "Microsoft and Google.\n";
        REQUIRE((*store)->addDocument(doc).ok());
        REQUIRE(fs::exists(path + "-wal"));
        const int locks = test::locksHeldOn(path);
        REQUIRE(locks > 0);

        // By any name: as given, through a link, through "..", by a hard link.
        fs::create_directory(dir.path() / "sub");
        fs::create_symlink(path, dir.file("link.sqlite"));
        fs::create_hard_link(path, dir.file("hard.txt"));
        for (const std::string &name :
             {path, dir.file("link.sqlite"), dir.file("sub/../store.sqlite"), dir.file("hard.txt")}) {
            CAPTURE(name);
            auto why = files::storeFileReason(name);
            REQUIRE(why.has_value());
            CHECK(*why == "it is the store Lede has open");
            auto read = files::readFile(name, 1 << 30);
            REQUIRE_FALSE(read.ok());
            CHECK(read.message() == *why);
            auto out = files::OutputFile::create(name);
            REQUIRE_FALSE(out.ok());
            CHECK(out.message().find("it is the store Lede has open") != std::string::npos);
        }
        for (const char *side : {"-wal", "-shm", "-journal"}) {
            auto why = files::storeFileReason(path + side);
            REQUIRE(why.has_value());
            CHECK(why->find("of the store " + path + ", which Lede has open") != std::string::npos);
            CHECK_FALSE(files::readFile(path + side, 1 << 30).ok());
            CHECK_FALSE(files::OutputFile::create(path + side).ok());
        }

        // An import handed the store, its side files and its folder (where
        // the hard link passes for an article) reads none of them, and the
        // store keeps its locks. The hard link is the store's own file,
        // named first, so it is planned once.
        dir.write("article.txt", "Russia and Ukraine.\n");
        ImportOptions options;
        const ImportReport report = importPaths(**store, {path, path + "-wal", path + "-shm", dir.path().string()}, options);
        CHECK(report.imported == 1);
        REQUIRE(report.failures.size() == 3);
        for (const ImportFailure &f : report.failures)
            CHECK(f.reason.find("Lede has open") != std::string::npos);
        // Named alone, the hard link fails as the store.
        const ImportReport linked = importPaths(**store, {dir.file("hard.txt")}, options);
        REQUIRE(linked.failures.size() == 1);
        CHECK(linked.failures[0].reason.find("Lede has open") != std::string::npos);
        CHECK(test::locksHeldOn(path) == locks);
        CHECK(fs::exists(path + "-wal"));
    }
    // The last connection gone, the file is an ordinary file again.
    CHECK_FALSE(files::storeFileReason(path).has_value());
    CHECK(files::readFile(path, 1 << 30).ok());
}

TEST_CASE("reading a file says what is wrong with it")
{
    TempDir dir;
    CHECK(files::readFile(dir.file("missing.txt"), 100).message() == "no such file");
    CHECK(files::readFile(dir.file("missing.txt"), 100).kind() == ErrorKind::NotFound);
    CHECK(files::readFile(dir.path().string(), 100).message() == "it is a folder");
    CHECK(files::readFile(dir.path().string(), 100).kind() == ErrorKind::InvalidInput);
    REQUIRE(::mkfifo(dir.file("fifo").c_str(), 0644) == 0);
    CHECK(files::readFile(dir.file("fifo"), 100).message() == "not a regular file"); // and does not wait for a writer
    CHECK(files::readFile("/dev/null", 100).message() == "not a regular file");

    const std::string big(20 * 1024 * 1024 + 1, 'x');
    dir.write("big.txt", big);
    CHECK(files::readFile(dir.file("big.txt"), 20 * 1024 * 1024, ", see --max-size").message()
          == "the file is too large (20,971,521 bytes; the limit is 20,971,520 bytes, see --max-size)");
    CHECK(files::readFile(dir.file("big.txt"), 10 * 1024 * 1024).message()
          == "the file is too large (20.0 MB; the limit is 10.0 MB)");
    CHECK(files::readFile(dir.file("big.txt"), 30 * 1024 * 1024)->size() == big.size());
}

TEST_CASE("sizes read as people write them")
{
    CHECK(files::formatSize(0) == "0 bytes");
    CHECK(files::formatSize(1) == "1 byte");
    CHECK(files::formatSize(1023) == "1023 bytes");
    CHECK(files::formatSize(1536) == "1.5 KB");
    CHECK(files::formatSize(20ull * 1024 * 1024) == "20.0 MB");
    CHECK(files::formatSize(3ull * 1024 * 1024 * 1024) == "3.0 GB");
    CHECK(files::describeSizeOverLimit(2048, 1024) == "2.0 KB; the limit is 1.0 KB");
    CHECK(files::describeSizeOverLimit(1025, 1024) == "1,025 bytes; the limit is 1,024 bytes");
}

TEST_CASE("an output file replaces a regular file whole and leaves nothing beside it")
{
    TempDir dir;
    const std::string path = dir.file("out.json");
    dir.write("out.json", "old\n");
    REQUIRE(::chmod(path.c_str(), 0640) == 0);
    {
        auto out = files::OutputFile::create(path);
        REQUIRE(out.ok());
        REQUIRE((*out)->write("new ").ok());
        // Until commit, the old content stays and no other name appears.
        CHECK(test::readFile(path) == "old\n");
        CHECK(namesIn(dir.path()) == std::vector<std::string>{"out.json"});
        REQUIRE((*out)->write("content\n").ok());
        REQUIRE((*out)->commit().ok());
    }
    CHECK(test::readFile(path) == "new content\n");
    CHECK(namesIn(dir.path()) == std::vector<std::string>{"out.json"});
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0640);

    // Abandoned: the old file stays, nothing else is left.
    {
        auto out = files::OutputFile::create(path);
        REQUIRE(out.ok());
        REQUIRE((*out)->write("half").ok());
    }
    CHECK(test::readFile(path) == "new content\n");
    CHECK(namesIn(dir.path()) == std::vector<std::string>{"out.json"});
}

TEST_CASE("an output file writes through links, into FIFOs and devices, and refuses folders and databases")
{
    TempDir dir;
    // A link: the target changes, the link stays a link.
    dir.write("real/target.csv", "old\n");
    fs::create_symlink(dir.file("real/target.csv"), dir.file("link.csv"));
    REQUIRE(files::writeFileAtomically(dir.file("link.csv"), "through\n").ok());
    CHECK(fs::is_symlink(dir.file("link.csv")));
    CHECK(test::readFile(dir.file("real/target.csv")) == "through\n");
    // A dangling link names the file to create.
    fs::create_symlink("made.csv", dir.file("dangling.csv"));
    REQUIRE(files::writeFileAtomically(dir.file("dangling.csv"), "made\n").ok());
    CHECK(fs::is_symlink(dir.file("dangling.csv")));
    CHECK(test::readFile(dir.file("made.csv")) == "made\n");
    // Links::Replace puts a file in the link's place.
    REQUIRE(files::writeFileAtomically(dir.file("link.csv"), "mine\n", files::Links::Replace).ok());
    CHECK_FALSE(fs::is_symlink(dir.file("link.csv")));
    CHECK(test::readFile(dir.file("link.csv")) == "mine\n");
    CHECK(test::readFile(dir.file("real/target.csv")) == "through\n");

    // A device is written, not replaced.
    REQUIRE(files::writeFileAtomically("/dev/null", "gone\n").ok());
    struct stat st {};
    REQUIRE(::stat("/dev/null", &st) == 0);
    CHECK(S_ISCHR(st.st_mode));

    // A FIFO: its reader gets the bytes, and it stays a FIFO.
    const std::string fifo = dir.file("pipe");
    REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
    std::string received;
    std::thread reader([&] { received = test::readFile(fifo); });
    REQUIRE(files::writeFileAtomically(fifo, "piped\n").ok());
    reader.join();
    CHECK(received == "piped\n");
    REQUIRE(::stat(fifo.c_str(), &st) == 0);
    CHECK(S_ISFIFO(st.st_mode));

    auto folder = files::OutputFile::create(dir.file("real"));
    REQUIRE_FALSE(folder.ok());
    CHECK(folder.message() == "cannot write " + dir.file("real") + ": it is a folder");

    {
        auto other = Store::open(dir.file("other.sqlite"));
        REQUIRE(other.ok());
    }
    auto database = files::OutputFile::create(dir.file("other.sqlite"));
    REQUIRE_FALSE(database.ok());
    CHECK(database.message().find("it is an SQLite database") != std::string::npos);
}

TEST_CASE("temporary files that killed writers left in a folder are removed by the next write there")
{
    TempDir dir;
    const std::string stale = dir.write(".corpus.json.tmp-AbC123", std::string(4096, 'x'));
    const std::string fresh = dir.write(".other.json.tmp-Zz9Yy8", "being written");
    const std::string unrelated = dir.write(".notes.tmp-1", "mine");
    setModifiedTime(stale, std::chrono::hours(1));
    REQUIRE(files::writeFileAtomically(dir.file("corpus.json"), "{}\n").ok());
    CHECK_FALSE(fs::exists(stale));
    CHECK(fs::exists(fresh)); // a writer may still be at it
    CHECK(fs::exists(unrelated));
}
