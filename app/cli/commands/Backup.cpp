#include "../Arguments.h"
#include "../Command.h"
#include "../Context.h"

#include "core/base/Files.h"
#include "core/store/Store.h"
#include "core/text/Text.h"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <ostream>

namespace lede::cli {

namespace {

class BackupCommand final : public Command {
public:
    BackupCommand()
        : Command({"backup", "PATH", "copy the store, safely while it is in use, to one file", {},
                   R"(Writes a copy of the store to PATH: one self-contained file holding every
document, annotation, type and entity, consistent even while the desktop
or another lede-cli is writing. The copy is checked before it takes its
name, so PATH holds either the whole copy or what it held before. Copy a
store this way, not with cp: a store in use is more than one file (its
-wal holds the latest changes), and a copy of the file alone can lose
them or read as damaged. Open the copy with --db PATH.)",
                   {}})
    {
    }

    void declare(CLI::App &app) override
    {
        app.add_option("PATH", m_path, "the copy")->type_name(kPath);
        app.add_flag("--force", m_force, "replace PATH if it exists");
    }

    int run(Context &ctx) override
    {
        if (m_path.empty())
            throw UsageError{"backup needs the path of the copy"};
        Store *store = ctx.store(Access::Read);
        if (!store)
            return Failed;
        if (auto st = store->backup(m_path, m_force); !st) {
            if (!m_force && st.kind() == ErrorKind::AlreadyExists)
                return ctx.fail(st.message() + "; choose another name, or give --force to replace it");
            return ctx.fail(st.message());
        }
        std::error_code ec;
        const auto size = std::filesystem::file_size(m_path, ec);
        ctx.err << "backed up " << text::forTerminal(store->path()) << " to " << text::forTerminal(m_path)
                << (ec ? std::string() : " (" + files::formatSize(size) + ")") << '\n';
        return Ok;
    }

private:
    std::string m_path;
    bool m_force = false;
};

} // namespace

std::unique_ptr<Command> makeBackupCommand() { return std::make_unique<BackupCommand>(); }

} // namespace lede::cli
