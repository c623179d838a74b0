#include "CliRunner.h"

#include "core/store/Store.h"
#include "core/store/StoreConnection.h"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <set>

using namespace lede;
namespace fs = std::filesystem;

namespace {

using test::contains;

// lede-cli run by a user that file modes apply to. Root ignores them, so
// when the tests run as root the child drops to "nobody" before it starts
// lede-cli, and runs a copy of it from the test's folder, which that user
// can reach wherever the build tree is.
class Analyst {
public:
    explicit Analyst(const test::TempDir &dir)
        : m_dir(dir)
    {
        m_program = LEDE_CLI_PATH;
        if (::geteuid() != 0)
            return;
        const passwd *nobody = ::getpwnam("nobody");
        if (!nobody) {
            m_unavailable = "there is no user 'nobody' to run lede-cli as";
            return;
        }
        m_uid = nobody->pw_uid;
        m_gid = nobody->pw_gid;
        m_dropRoot = true;
        m_program = dir.file("lede-cli");
        std::error_code ec;
        fs::copy_file(LEDE_CLI_PATH, m_program, ec);
        if (ec)
            m_unavailable = "cannot copy lede-cli for user 'nobody': " + ec.message();
    }

    /// Why the test cannot run here, or empty.
    const std::string &unavailable() const { return m_unavailable; }

    /// Gives the analyst `path` (the store's folder), as their own.
    void own(const fs::path &path) const
    {
        if (m_dropRoot)
            REQUIRE(::chown(path.c_str(), m_uid, m_gid) == 0);
    }

    test::CliRun run(const std::string &store, std::vector<std::string> args)
    {
        args.insert(args.begin(), {m_program, "--db", store});
        std::vector<char *> argv;
        for (std::string &a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        const std::string outPath = m_dir.file("out-" + std::to_string(m_runs));
        const std::string errPath = m_dir.file("err-" + std::to_string(m_runs++));
        const int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        const int out = ::open(outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        const int err = ::open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        test::CliRun run;
        const pid_t pid = in >= 0 && out >= 0 && err >= 0 ? ::fork() : -1;
        if (pid == 0) {
            // Only async-signal-safe calls between fork and exec.
            if (::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0)
                ::_exit(125);
            if (m_dropRoot && (::setgroups(0, nullptr) != 0 || ::setgid(m_gid) != 0 || ::setuid(m_uid) != 0))
                ::_exit(125);
            ::execv(argv[0], argv.data());
            ::_exit(126);
        }
        if (pid > 0) {
            int status = 0;
            ::waitpid(pid, &status, 0);
            run.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        for (const int fd : {in, out, err})
            if (fd >= 0)
                ::close(fd);
        run.out = test::readFile(outPath);
        run.err = test::readFile(errPath);
        return run;
    }

private:
    const test::TempDir &m_dir;
    std::string m_program;
    std::string m_unavailable;
    bool m_dropRoot = false;
    uid_t m_uid = 0;
    gid_t m_gid = 0;
    int m_runs = 0;
};

std::set<std::string> filesIn(const fs::path &folder)
{
    std::set<std::string> names;
    for (const auto &entry : fs::directory_iterator(folder))
        names.insert(entry.path().filename().string());
    return names;
}

// An export without its time of export, which differs from run to run.
std::string withoutExportTime(std::string json)
{
    const std::string key = "\"exported_at\":\"";
    const auto at = json.find(key);
    if (at != std::string::npos)
        json.erase(at, json.find('"', at + key.size()) + 2 - at);
    return json;
}

void setMode(const fs::path &path, fs::perms mode) { fs::permissions(path, mode, fs::perm_options::replace); }

constexpr fs::perms kReadOnlyFile = fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read;
constexpr fs::perms kWritableFile = kReadOnlyFile | fs::perms::owner_write;
constexpr fs::perms kReadOnlyFolder = kReadOnlyFile | fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec;
constexpr fs::perms kWritableFolder = kReadOnlyFolder | fs::perms::owner_write;

// Puts the modes back however the test ends, so the folder can be removed.
struct RestoreModes {
    fs::path folder, store;
    ~RestoreModes()
    {
        std::error_code ec;
        fs::permissions(folder, kWritableFolder, fs::perm_options::replace, ec);
        fs::permissions(store, kWritableFile, fs::perm_options::replace, ec);
    }
};

// A "stores" folder of `dir` owned by the analyst, and the path of a store
// in it; empty (with a warning) where the test cannot run as that user.
std::string analystStore(const test::TempDir &dir, Analyst &analyst)
{
    if (!analyst.unavailable().empty()) {
        WARN("skipped: " << analyst.unavailable());
        return {};
    }
    const fs::path folder = dir.path() / "stores";
    fs::create_directory(folder);
    analyst.own(folder);
    const std::string store = (folder / "store.sqlite").string();
    if (analyst.run(store, {"--version"}).status != 0) {
        WARN("skipped: lede-cli does not run as an unprivileged user here");
        return {};
    }
    return store;
}

} // namespace

TEST_CASE("lede-cli reads a read-only store, refuses to write it with a clear message and writes again once it may",
          "[cli][reliability]")
{
    test::TempDir dir;
    Analyst analyst(dir);
    if (!analyst.unavailable().empty()) {
        WARN("skipped: " << analyst.unavailable());
        return;
    }
    setMode(dir.path(), kReadOnlyFolder | fs::perms::owner_write);
    const fs::path folder = dir.path() / "stores";
    fs::create_directory(folder);
    setMode(folder, kWritableFolder);
    analyst.own(folder);
    const std::string store = (folder / "store.sqlite").string();
    const RestoreModes restore{folder, store};
    dir.write("articles/acme.txt", "Acme Corp said the Sandworm group hit its plant in Kyiv.\n");
    dir.write("articles/vexcorp.txt", "Vexcorp denied that Brad Smith had warned it about NotPetya.\n");
    const std::string later = dir.write("later/globex.txt", "Globex hired Jane Doe after the WannaCry attack.\n");
    for (const char *sub : {"articles", "later"}) {
        setMode(dir.path() / sub, kReadOnlyFolder);
        for (const auto &entry : fs::directory_iterator(dir.path() / sub))
            setMode(entry.path(), kReadOnlyFile);
    }

    const auto version = analyst.run(store, {"--version"});
    if (version.status != 0) {
        WARN("skipped: lede-cli does not run as an unprivileged user here (status " << version.status << ")");
        return;
    }
    REQUIRE(analyst.run(store, {"import", "--quiet", "--no-tag", dir.file("articles")}).status == 0);
    REQUIRE(analyst.run(store, {"annotate", "1", "--add", "0", "9", "COMPANY"}).status == 0);
    REQUIRE(analyst.run(store, {"types", "--add", "MALWARE"}).status == 0);
    const auto listed = analyst.run(store, {"list"});
    const auto exported = analyst.run(store, {"export", "--format", "json"});
    REQUIRE(listed.status == 0);
    REQUIRE(exported.status == 0);
    REQUIRE(contains(exported.out, "Acme Corp"));
    REQUIRE(contains(exported.out, "\"exported_at\""));
    REQUIRE_FALSE(contains(withoutExportTime(exported.out), "exported_at"));
    REQUIRE(contains(withoutExportTime(exported.out), "\"types\""));
    // The last writer has closed the store: no -wal or -shm stays behind.
    REQUIRE(filesIn(folder) == std::set<std::string>{"store.sqlite"});

    struct Case {
        const char *what;
        fs::perms file, folder;
        const char *reason;
    };
    const Case cases[] = {
        {"a read-only file", kReadOnlyFile, kWritableFolder, "the file is not writable"},
        {"a read-only folder", kWritableFile, kReadOnlyFolder, "its folder is not writable"},
        {"a read-only file in a read-only folder", kReadOnlyFile, kReadOnlyFolder, "the file is not writable"},
    };
    for (const Case &c : cases) {
        SECTION(c.what)
        {
            setMode(store, c.file);
            setMode(folder, c.folder);

            // Every read command works and sees what was committed.
            CHECK(analyst.run(store, {"list"}).out == listed.out);
            CHECK(withoutExportTime(analyst.run(store, {"export", "--format", "json"}).out)
                  == withoutExportTime(exported.out));
            const auto shown = analyst.run(store, {"show", "1"});
            CHECK(shown.status == 0);
            CHECK(contains(shown.out, "[Acme Corp]{COMPANY}"));
            const auto found = analyst.run(store, {"search", "Sandworm"});
            CHECK(found.status == 0);
            CHECK(contains(found.out, "Sandworm"));
            for (std::vector<std::string> read : {std::vector<std::string>{"entities"}, {"stats"}, {"types"}}) {
                const auto r = analyst.run(store, read);
                INFO(read[0] << ": " << r.err);
                CHECK(r.status == 0);
            }

            // Every write command fails, naming the store and why, in words
            // and not in SQLite's.
            const std::vector<std::vector<std::string>> writes = {
                {"import", "--quiet", later},
                {"annotate", "2", "--add", "0", "7", "COMPANY"},
                {"tag", "--all", "--quiet"},
                {"types", "--add", "VENDOR"},
            };
            for (const auto &write : writes) {
                const auto w = analyst.run(store, write);
                INFO(write[0] << ": " << w.err);
                CHECK(w.status == 1);
                CHECK(contains(w.err, store + ": the store is read-only (" + c.reason));
                CHECK(contains(w.err, "nothing was changed"));
                CHECK_FALSE(contains(w.err, "readonly database"));
                CHECK(w.out.empty());
            }
            // Reading left nothing beside the store that could keep it
            // read-only once it is writable again.
            CHECK(filesIn(folder) == std::set<std::string>{"store.sqlite"});

            // Writable again: the writes go through and nothing was lost.
            setMode(folder, kWritableFolder);
            setMode(store, kWritableFile);
            for (const auto &write : writes) {
                const auto w = analyst.run(store, write);
                INFO(write[0] << ": " << w.err);
                CHECK(w.status == 0);
            }
            const auto after = analyst.run(store, {"export", "--format", "json"});
            CHECK(contains(after.out, "Globex"));
            CHECK(contains(after.out, "VENDOR"));
            CHECK(contains(analyst.run(store, {"show", "1"}).out, "[Acme Corp]{COMPANY}"));
            CHECK(contains(analyst.run(store, {"show", "2"}).out, "[Vexcorp]{COMPANY}"));
            CHECK(contains(analyst.run(store, {"list"}).out, "globex"));
        }
    }
}

TEST_CASE("lede-cli names the folder when a new store cannot be created in it", "[cli][reliability]")
{
    test::TempDir dir;
    Analyst analyst(dir);
    if (!analyst.unavailable().empty()) {
        WARN("skipped: " << analyst.unavailable());
        return;
    }
    const fs::path folder = dir.path() / "locked";
    fs::create_directory(folder);
    setMode(folder, kReadOnlyFolder);
    const std::string store = (folder / "new.sqlite").string();
    const RestoreModes restore{folder, store};
    dir.write("a.txt", "Acme Corp said little.\n");
    if (analyst.run(store, {"--version"}).status != 0) {
        WARN("skipped: lede-cli does not run as an unprivileged user here");
        return;
    }
    const auto r = analyst.run(store, {"import", "--quiet", dir.file("a.txt")});
    CHECK(r.status == 1);
    CHECK(contains(r.err, store + ": cannot create the store: the folder " + folder.string() + " is not writable"));
    CHECK_FALSE(contains(r.err, "unable to open database file"));
    CHECK_FALSE(fs::exists(store));
}

TEST_CASE("a folder or file the analyst cannot read is reported with the reason, and the rest is imported",
          "[cli][reliability]")
{
    test::TempDir dir;
    Analyst analyst(dir);
    const std::string store = analystStore(dir, analyst);
    if (store.empty())
        return;
    dir.write("in/readable.txt", "Acme Corp said little.\n");
    dir.write("in/secret/hidden.txt", "Vexcorp said nothing.\n");
    const std::string locked = dir.write("in/locked.txt", "Globex said less.\n");
    setMode(dir.path() / "in" / "secret", fs::perms::owner_all);
    setMode(locked, fs::perms::owner_read | fs::perms::owner_write);
    const RestoreModes restore{dir.path() / "in" / "secret", locked};
    const auto r = analyst.run(store, {"import", "--quiet", "--no-tag", dir.file("in")});
    INFO(r.err);
    CHECK(r.status == 1);
    CHECK(contains(r.out, "imported 1, duplicates 0, failed 2"));
    CHECK(contains(r.err, dir.file("in/secret") + ": cannot read the folder: Permission denied"));
    CHECK(contains(r.err, locked + ": cannot open it for reading: Permission denied"));
}

TEST_CASE("a store on a read-only medium whose -wal holds changes says what it needs", "[cli][reliability]")
{
    test::TempDir dir;
    Analyst analyst(dir);
    const std::string store = analystStore(dir, analyst);
    if (store.empty())
        return;
    const fs::path folder = fs::path(store).parent_path();
    const RestoreModes restore{folder, store};
    dir.write("a.txt", "Acme Corp said little.\n");
    REQUIRE(analyst.run(store, {"import", "--quiet", dir.file("a.txt")}).status == 0);
    // A -wal with a committed change that no checkpoint moved into the
    // store, as a machine that lost power leaves it.
    {
        auto db = Store::open(store);
        REQUIRE(db.ok());
        REQUIRE(storeConnection(**db).exec("PRAGMA wal_autocheckpoint = 0").ok());
        REQUIRE(storeConnection(**db).exec("UPDATE documents SET title = 'changed' WHERE id = 1").ok());
        REQUIRE(fs::file_size(store + "-wal") > 0);
        const std::string keep = store + "-wal.kept";
        fs::copy_file(store + "-wal", keep);
        db->reset();
        fs::rename(keep, store + "-wal");
        fs::remove(store + "-shm");
    }
    setMode(folder, kReadOnlyFolder);
    const auto r = analyst.run(store, {"list"});
    CHECK(r.status == 1);
    CHECK(contains(r.err, store + ": cannot read the store: its -wal holds changes not yet in the store file"));
    CHECK(contains(r.err, "the folder " + folder.string() + " is not writable"));
    CHECK_FALSE(contains(r.err, "unable to open database file"));
    setMode(folder, kWritableFolder);
    const auto after = analyst.run(store, {"list"});
    CHECK(after.status == 0);
    CHECK(contains(after.out, "changed"));
}
