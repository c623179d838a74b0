#include "Help.h"

#include <CLI/CLI.hpp>

namespace lede::cli {

namespace {

// Help lines are written for an 80-column terminal: names in a column of
// this width, then what they do.
constexpr std::size_t kNameColumn = 20;
constexpr std::size_t kUsageWidth = 100;

bool takesMany(const CLI::Option &option)
{
    return option.get_items_expected_max() >= CLI::detail::expected_max_vector_size;
}

// "--max-size SIZE", "--json", "PATH...".
std::string display(const CLI::Option &option)
{
    if (option.get_positional())
        return option.get_name() + (takesMany(option) ? "..." : "");
    const std::string type = option.get_type_name();
    return option.get_name() + (type.empty() ? "" : " " + type);
}

bool listed(const CLI::App &app, const CLI::Option &option)
{
    // A command's --help goes without saying; the program's is where to start.
    return (app.get_parent() == nullptr || &option != app.get_help_ptr()) && !option.get_description().empty();
}

// Two columns; a description of several lines keeps its column.
void addRow(std::string &out, const std::string &name, const std::string &description)
{
    std::string line = "  " + name;
    line += line.size() + 2 > kNameColumn ? std::string(2, ' ') : std::string(kNameColumn - line.size(), ' ');
    const std::size_t indent = std::max(line.size(), kNameColumn);
    for (std::size_t pos = 0; pos <= description.size();) {
        const std::size_t nl = description.find('\n', pos);
        const std::size_t end = nl == std::string::npos ? description.size() : nl;
        line += description.substr(pos, end - pos);
        out += line + '\n';
        if (nl == std::string::npos)
            break;
        line = std::string(indent, ' ');
        pos = nl + 1;
    }
}

void addParagraph(std::string &out, const std::string &text)
{
    if (text.empty())
        return;
    out += '\n';
    out += text;
    if (text.back() != '\n')
        out += '\n';
}

} // namespace

HelpFormatter::HelpFormatter(std::string usage) : m_usage(std::move(usage)) {}

HelpFormatter::HelpFormatter(std::vector<Command::About> commands) : m_commands(std::move(commands)) {}

std::string HelpFormatter::usage(const CLI::App &app) const
{
    if (!m_usage.empty())
        return m_usage.back() == '\n' ? m_usage : m_usage + '\n';
    const std::string start = "usage: lede-cli " + app.get_name();
    std::string out = start;
    std::size_t lineStart = 0;
    auto add = [&](const std::string &word) {
        if (out.size() - lineStart + 1 + word.size() > kUsageWidth) {
            out += '\n';
            lineStart = out.size();
            out += std::string(start.size(), ' ');
        }
        out += ' ' + word;
    };
    for (const CLI::Option *option : app.get_options())
        if (!option->get_positional() && option != app.get_help_ptr())
            add('[' + display(*option) + ']');
    for (const CLI::Option *option : app.get_options())
        if (option->get_positional())
            add(display(*option));
    return out + '\n';
}

std::string HelpFormatter::optionTable(const CLI::App &app)
{
    std::string out;
    for (bool positional : {true, false})
        for (const CLI::Option *option : app.get_options())
            if (option->get_positional() == positional && listed(app, *option))
                addRow(out, display(*option), option->get_description());
    return out;
}

std::string HelpFormatter::make_help(const CLI::App *app, std::string, CLI::AppFormatMode) const
{
    std::string out;
    if (app->get_parent() == nullptr) {
        out = "usage: lede-cli [--db PATH] COMMAND [ARGS...]\n";
        addParagraph(out, app->get_description());
        out += "\nCommands:\n";
        for (const Command::About &command : m_commands)
            addRow(out, command.name + (command.arguments.empty() ? "" : " " + command.arguments), command.summary);
        out += "\nOptions:\n" + optionTable(*app);
        addParagraph(out, app->get_footer());
        return out;
    }
    out = usage(*app);
    addParagraph(out, app->get_description());
    if (const std::string table = optionTable(*app); !table.empty())
        out += '\n' + table;
    addParagraph(out, app->get_footer());
    return out;
}

} // namespace lede::cli
