#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>

namespace lede {
class JsonWriter;
class Store;
}

namespace lede::cli {

/// Exit statuses of lede-cli.
enum ExitCode { Ok = 0, Failed = 1, Usage = 2 };

/// What a command does with the store: a read command also works on a
/// store this process cannot write; a write command refuses one up front,
/// naming the store and the reason, instead of failing at its first write.
enum class Access { Read, Write };

/// What a running command works with: its output streams and the store,
/// opened on first use.
class Context {
public:
    Context(std::ostream &out, std::ostream &err, bool interactive, std::string dbPath);
    ~Context();

    /// The store, opened on first use; failures are reported here and the
    /// caller returns Failed on nullptr.
    Store *store(Access access);

    /// Prints "lede-cli: message" and returns Failed.
    int fail(const std::string &message);

    /// Prints the JSON value that `write` writes, on a line of its own, and
    /// returns Ok.
    int printJson(const std::function<void(JsonWriter &)> &write);

    std::ostream &out;
    std::ostream &err;
    /// Standard error is a terminal: progress lines are welcome.
    bool interactive;

private:
    std::string m_dbPath;
    std::unique_ptr<Store> m_store;
    bool m_readOnly = false;
};

} // namespace lede::cli
