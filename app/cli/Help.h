#pragma once

#include "Command.h"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace lede::cli {

/// lede-cli's help pages, generated from what each command declares: the
/// usage line (from its options, unless the command writes its own), the
/// description, one line per option and argument with its help, and the
/// footer. For the program itself, the command list instead of arguments.
class HelpFormatter : public CLI::FormatterBase {
public:
    /// For a command; `usage` replaces the generated usage line when set.
    explicit HelpFormatter(std::string usage = {});
    /// For the program, listing `commands`.
    explicit HelpFormatter(std::vector<Command::About> commands);

    std::string make_help(const CLI::App *app, std::string name, CLI::AppFormatMode mode) const override;

private:
    std::string usage(const CLI::App &app) const;
    static std::string optionTable(const CLI::App &app);

    std::string m_usage;
    std::vector<Command::About> m_commands;
};

} // namespace lede::cli
