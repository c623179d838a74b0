#include "UiTestUtil.h"

#include "ui/app/MainWindow.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <functional>

using namespace lede;
using namespace lede::test;
using lede::ui::toQString;
namespace fs = std::filesystem;

namespace {

// Runs `attempt` as a user that file modes apply to and returns what it
// says. Root ignores modes, so under root it runs in a child process that
// has dropped to "nobody"; the child does only that and leaves with
// _exit(), running no destructor or exit handler it inherited.
// nullopt (with `why`) when there is no such user.
std::optional<std::string> asUnprivileged(const std::function<std::string()> &attempt, std::string &why)
{
    if (::geteuid() != 0)
        return attempt();
    const passwd *nobody = ::getpwnam("nobody");
    if (!nobody) {
        why = "there is no user 'nobody' to open the store as";
        return std::nullopt;
    }
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        why = "no pipe";
        return std::nullopt;
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        if (::setgroups(0, nullptr) != 0 || ::setgid(nobody->pw_gid) != 0 || ::setuid(nobody->pw_uid) != 0)
            ::_exit(125);
        const std::string said = attempt();
        const bool written = ::write(fds[1], said.data(), said.size()) == static_cast<ssize_t>(said.size());
        ::_exit(written ? 0 : 124);
    }
    ::close(fds[1]);
    std::string said;
    char buffer[512];
    for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;)
        said.append(buffer, static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    if (pid > 0)
        ::waitpid(pid, &status, 0);
    if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        why = "the unprivileged child failed (status " + std::to_string(status) + ")";
        return std::nullopt;
    }
    return said;
}

} // namespace

TEST_CASE("a read-only store is refused with a message that names it and says why, and opens once writable")
{
    StoreFixture f;
    const auto id = f.addDocument("Grid attack", "Grid attack\n\nSandworm hit the grid.\n");
    TempDir other;
    fs::permissions(other.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec
                                      | fs::perms::others_read | fs::perms::others_exec, fs::perm_options::replace);
    const fs::path folder = other.path() / "shared";
    fs::create_directory(folder);
    const std::string path = (folder / "store.sqlite").string();
    test::addDocument(*test::openStore(path), "Shared", "Shared\n\nRead only.\n");
    if (::geteuid() == 0)
        REQUIRE(::chown(folder.c_str(), 65534, 65534) == 0); // nobody may look, not write
    fs::permissions(path, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read,
                    fs::perm_options::replace);

    // Checked in the process that can be refused: the workspace says why
    // and keeps nothing open of the refused store.
    std::string why;
    const auto said = asUnprivileged(
        [&] {
            ui::Workspace workspace;
            auto st = workspace.open(toQString(path));
            return st ? std::string("opened") : st.message() + (workspace.isOpen() ? " (left open)" : "");
        },
        why);
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read,
                    fs::perm_options::replace);
    if (!said) {
        WARN("skipped: " << why);
        return;
    }
    CHECK(*said == path + ": the store is read-only (the file is not writable). Lede saves every change to its store "
                       "as you make it: make the store writable, or open a copy of it.");

    // Writable again, the window opens it with everything in it, and the
    // first store's document is still there when it goes back.
    ui::MainWindow window(&f.workspace);
    REQUIRE(window.openStore(toQString(path)));
    CHECK(f.store().documentIds()->size() == 1);
    REQUIRE(window.openStore(toQString(f.path)));
    CHECK(*f.store().documentIds() == std::vector<std::int64_t>{id});
}
