#include "CliRunner.h"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <regex>
#include <set>

using namespace lede;
namespace fs = std::filesystem;

namespace {

using test::contains;

std::set<std::string> namesIn(const fs::path &folder)
{
    std::set<std::string> names;
    for (const auto &entry : fs::directory_iterator(folder))
        names.insert(entry.path().filename().string());
    return names;
}

// A TCP port on the loopback interface that counts who connects to it.
// Nothing accepts, but the kernel completes a connection into the backlog,
// so a fetch that happened shows as a pending connection.
class Listener {
public:
    Listener()
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t size = sizeof address;
        if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr *>(&address), size) != 0 || ::listen(m_fd, 16) != 0
            || ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&address), &size) != 0)
            return;
        m_port = ntohs(address.sin_port);
    }
    ~Listener()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Listener(const Listener &) = delete;
    Listener &operator=(const Listener &) = delete;

    int port() const { return m_port; }

    int pendingConnections()
    {
        int count = 0;
        for (int fd; (fd = ::accept(m_fd, nullptr, nullptr)) >= 0; ++count)
            ::close(fd);
        return count;
    }

private:
    int m_fd = -1;
    int m_port = 0;
};

} // namespace

TEST_CASE("a brat export writes only inside the chosen folder whatever the titles say", "[cli][export]")
{
    test::TempDir dir;
    const std::vector<std::string> titles = {
        "../../escaped", "../outside", "/tmp/absolute", "..", ".", "sub/../../x", "..\\\\..\\\\windows", "~/home",
        "-rf", ".hidden", "out/brat/annotation.conf", "CON",
    };
    std::string json = R"({"format": "lede.corpus/1", "documents": [)";
    for (std::size_t i = 0; i < titles.size(); ++i)
        json += std::string(i ? "," : "") + R"({"title": ")" + titles[i] + R"(", "text": "Article )"
            + std::to_string(i) + R"( about Acme Corp."})";
    json += "]}";
    dir.write("in/corpus.json", json);
    REQUIRE(test::runCli(dir, {"import", "--quiet", "--no-tag", dir.file("in/corpus.json")}).status == 0);
    const auto listed = test::runCli(dir, {"list"});
    REQUIRE(contains(listed.out, "../../escaped"));

    // The chosen folder lies deep inside the test's own folder, so that a
    // title climbing a few levels up would still land where the test sees.
    const fs::path out = dir.path() / "deep" / "er" / "out" / "brat";
    const std::set<std::string> before = namesIn(dir.path());
    const std::set<std::string> aboveBefore = namesIn(dir.path().parent_path());
    const auto exported = test::runCli(dir, {"export", "--format", "brat", "--out", out.string()});
    INFO(exported.err);
    REQUIRE(exported.status == 0);

    // Besides the runner's own output files, only the chosen folder and its
    // parents are new, and every file written is directly inside it: a
    // .txt and .ann per document, named by id and a plain stem of the
    // title, and annotation.conf.
    std::set<std::string> added;
    for (const std::string &name : namesIn(dir.path()))
        if (!before.count(name) && name.rfind("cli-", 0) != 0)
            added.insert(name);
    CHECK(added == std::set<std::string>{"deep"});
    const std::regex plain(R"([0-9]{4}-[a-z0-9]+(-[a-z0-9]+)*\.(txt|ann))");
    std::size_t documents = 0;
    for (const auto &entry : fs::recursive_directory_iterator(dir.path() / "deep")) {
        CAPTURE(entry.path().string());
        if (entry.is_directory()) {
            CHECK(out.string().rfind(entry.path().string(), 0) == 0);
            continue;
        }
        const std::string name = entry.path().filename().string();
        CHECK(entry.path().parent_path() == out);
        CHECK(entry.is_regular_file());
        CHECK((name == "annotation.conf" || std::regex_match(name, plain)));
        documents += entry.path().extension() == ".txt";
    }
    // Nor did anything named after a title appear beside the test's folder
    // (other programs may write there meanwhile, so only such names count).
    for (const std::string &name : namesIn(dir.path().parent_path())) {
        if (aboveBefore.count(name))
            continue;
        CAPTURE(name);
        for (const char *word : {"escaped", "outside", "absolute", "windows", "home", "hidden", "annotation"})
            CHECK(name.find(word) == std::string::npos);
    }
    CHECK(documents == titles.size());
}

TEST_CASE("an HTML import fetches nothing that the page links to", "[cli][import]")
{
    test::TempDir dir;
    Listener listener;
    REQUIRE(listener.port() > 0);
    const std::string origin = "http://127.0.0.1:" + std::to_string(listener.port());
    dir.write("page.html", "<!DOCTYPE html><html><head><title>Acme Corp breach</title>"
                           "<link rel=\"stylesheet\" href=\"" + origin + "/style.css\">"
                           "<link rel=\"preload\" href=\"" + origin + "/font.woff2\" as=\"font\">"
                           "<meta http-equiv=\"refresh\" content=\"0; url=" + origin + "/refresh\">"
                           "<script src=\"" + origin + "/tracker.js\"></script>"
                           "<style>@import url(\"" + origin + "/import.css\"); body { background: url(" + origin
                           + "/bg.png) }</style>"
                           "<base href=\"" + origin + "/\"></head><body>"
                           "<p>Acme Corp reported a breach.<img src=\"" + origin + "/pixel.gif\" srcset=\"" + origin
                           + "/2x.gif 2x\"></p>"
                           "<iframe src=\"" + origin + "/frame\"></iframe><object data=\"" + origin + "/object\"></object>"
                           "<video poster=\"" + origin + "/poster.jpg\"><source src=\"" + origin + "/video.mp4\"></video>"
                           "<p>Read more at <a href=\"" + origin + "/more\">the report</a>.</p>"
                           "<img src=\"file:///etc/passwd\"></body></html>");
    const auto imported = test::runCli(dir, {"import", "--quiet", "--no-tag", dir.file("page.html")});
    INFO(imported.err);
    REQUIRE(imported.status == 0);
    CHECK(listener.pendingConnections() == 0);
    // The listener does see a connection when one is made.
    const int probe = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(listener.port()));
    CHECK(::connect(probe, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0);
    CHECK(listener.pendingConnections() == 1);
    ::close(probe);

    // The text is the page's words only: no fetched content, no URLs from
    // attributes, nothing of /etc/passwd.
    const auto shown = test::runCli(dir, {"show", "1"});
    CHECK(contains(shown.out, "Acme Corp"));
    CHECK(contains(shown.out, "Read more at the report."));
    CHECK_FALSE(contains(shown.out, "127.0.0.1"));
    CHECK_FALSE(contains(shown.out, "root:"));
}
