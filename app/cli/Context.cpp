#include "Context.h"

#include "core/io/Json.h"
#include "core/store/Store.h"
#include "core/store/StoreAccess.h"
#include "core/text/Text.h"

#include <filesystem>
#include <ostream>

namespace lede::cli {

Context::Context(std::ostream &out, std::ostream &err, bool interactive, std::string dbPath)
    : out(out), err(err), interactive(interactive), m_dbPath(std::move(dbPath))
{
}

Context::~Context() = default;

Store *Context::store(Access access)
{
    if (m_store && (access == Access::Read || !m_readOnly))
        return m_store.get();
    const std::optional<std::string> readOnly = storeReadOnlyReason(m_dbPath);
    if (readOnly && access == Access::Write) {
        err << "lede-cli: " << text::forTerminal(m_dbPath) << ": the store is read-only (" << *readOnly
            << "); nothing was changed. Make it writable and run the command again.\n";
        return nullptr;
    }
    Store::OpenOptions options;
    options.readOnly = readOnly.has_value();
    // Lede makes the folder of its own default store; a path the user gave
    // must lead to a folder that exists.
    options.createParent = m_dbPath == Store::builtInPath();
    std::error_code ec;
    const bool isNew = !std::filesystem::exists(m_dbPath, ec);
    auto opened = Store::open(m_dbPath, options);
    if (!opened) {
        err << "lede-cli: " << text::forTerminal(opened.message()) << '\n';
        return nullptr;
    }
    if (isNew && interactive)
        err << "lede-cli: created a new store at " << text::forTerminal(m_dbPath) << '\n';
    m_store = std::move(*opened);
    m_readOnly = options.readOnly;
    return m_store.get();
}

int Context::fail(const std::string &message)
{
    err << "lede-cli: " << text::forTerminal(message) << '\n';
    return Failed;
}

int Context::printJson(const std::function<void(JsonWriter &)> &write)
{
    std::string json;
    JsonWriter w(json);
    write(w);
    out << json << '\n';
    return Ok;
}

} // namespace lede::cli
