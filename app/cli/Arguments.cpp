#include "Arguments.h"

#include "core/text/Text.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <sstream>

namespace lede::cli {

std::int64_t parseId(const std::string &text, const std::string &what)
{
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec == std::errc::result_out_of_range)
        throw UsageError{what + " '" + text::forTerminal(text) + "' is too large"};
    if (ec != std::errc() || p != text.data() + text.size())
        throw UsageError{what + " '" + text::forTerminal(text) + "' is not a number"};
    if (v < 0)
        throw UsageError{what + " " + text + " is negative"
                         + (what.find("offset") != std::string::npos ? ": offsets count code points from 0" : "")};
    return v;
}

std::size_t parseCount(const std::string &text, const std::string &what, std::size_t most)
{
    const std::int64_t v = parseId(text, what);
    if (static_cast<std::uint64_t>(v) > most)
        throw UsageError{what + " '" + text + "' is more than " + std::to_string(most)};
    return static_cast<std::size_t>(v);
}

std::uint64_t parseSize(const std::string &text)
{
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p == text.data())
        throw UsageError{"size '" + text::forTerminal(text) + "' is not a number such as 20MB"};
    std::string unit(p, text.data() + text.size());
    std::transform(unit.begin(), unit.end(), unit.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    std::uint64_t factor = 1;
    if (unit.empty() || unit == "B")
        factor = 1;
    else if (unit == "K" || unit == "KB")
        factor = 1024;
    else if (unit == "M" || unit == "MB")
        factor = 1024 * 1024;
    else if (unit == "G" || unit == "GB")
        factor = 1024ull * 1024 * 1024;
    else
        throw UsageError{"size '" + text::forTerminal(text) + "' has an unknown unit (use KB, MB or GB)"};
    if (v == 0)
        throw UsageError{"size '" + text + "' must be more than zero"};
    // Files are read whole into memory: a limit past what any article or
    // export needs is a typo, and past 2^64 it would wrap around.
    constexpr std::uint64_t kMost = 16ull * 1024 * 1024 * 1024;
    if (v > kMost / factor)
        throw UsageError{"size '" + text + "' is more than 16 GB, the largest file Lede reads"};
    return v * factor;
}

double parseFraction(const std::string &text, const std::string &option)
{
    // from_chars reads the same "0.5" whatever LC_NUMERIC says.
    double x = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), x, std::chars_format::general);
    if (text.empty() || ec != std::errc() || p != text.data() + text.size() || !(x >= 0.0 && x <= 1.0))
        throw UsageError{option + " needs a number from 0 to 1, not '" + text::forTerminal(text) + "'"};
    return x;
}

std::set<AnnotationStatus> parseStatuses(const std::string &text)
{
    std::set<AnnotationStatus> out;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        if (item == "all") {
            out = {AnnotationStatus::Suggested, AnnotationStatus::Accepted, AnnotationStatus::Rejected};
            continue;
        }
        auto s = parseStatus(item);
        if (!s)
            throw UsageError{"status '" + text::forTerminal(item) + "' is not one of suggested, accepted, rejected, all"};
        out.insert(*s);
    }
    if (out.empty())
        throw UsageError{"--status needs at least one status"};
    return out;
}

std::set<std::string> splitNames(const std::string &text)
{
    std::set<std::string> out;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ','))
        if (!item.empty())
            out.insert(item);
    return out;
}

namespace {

// A validator from a reader: the reader's message, or nothing when the
// value reads.
template <class Read>
CLI::Validator readerCheck(Read read, std::string description)
{
    return CLI::Validator(
        [read](std::string &value) -> std::string {
            try {
                read(value);
                return {};
            } catch (const UsageError &e) {
                return e.message;
            }
        },
        std::move(description));
}

} // namespace

CLI::Validator isId(const std::string &what)
{
    return readerCheck([what](const std::string &v) { parseId(v, what); }, "");
}

CLI::Validator isCount(const std::string &what, std::size_t most)
{
    return readerCheck([what, most](const std::string &v) { parseCount(v, what, most); }, "");
}

CLI::Validator isSize()
{
    return readerCheck([](const std::string &v) { parseSize(v); }, "");
}

CLI::Validator isFraction(const std::string &option)
{
    return readerCheck([option](const std::string &v) { parseFraction(v, option); }, "");
}

CLI::Validator isStatusList()
{
    return readerCheck([](const std::string &v) { parseStatuses(v); }, "");
}

void requireText(const CLI::App &app)
{
    for (const CLI::Option *option : app.get_options()) {
        const std::string type = option->get_type_name();
        if (type == kPath || type == kDir)
            continue;
        for (const std::string &v : option->results()) {
            if (text::isValidUtf8(v))
                continue;
            const std::string byte = std::to_string(text::firstInvalidUtf8(v) + 1);
            if (option->get_positional())
                throw UsageError{"argument '" + text::forTerminal(v) + "' is not valid UTF-8 (byte " + byte + ")"};
            throw UsageError{"the value of " + option->get_name() + " is not valid UTF-8 (byte " + byte + ")"};
        }
    }
}

} // namespace lede::cli
