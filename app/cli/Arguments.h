#pragma once

#include "core/store/Domain.h"

#include <cstdint>
#include <set>
#include <string>

namespace CLI {
class App;
class Validator;
}

// How lede-cli reads the values of its options and arguments: decimal
// numbers (no sign, no base: "010" is ten), sizes such as 20MB, fractions
// from 0 to 1, status lists. Each reader throws UsageError with a message
// that names what was wrong; each has a CLI11 validator with the same
// message, so that a bad value is refused while the command line is read,
// before a store is opened.
namespace lede::cli {

/// A command line that cannot be read: exit status 2, the message, and a
/// pointer to the command's --help.
struct UsageError {
    std::string message;
};

/// A whole number from 0; `what` names it in messages ("document id").
std::int64_t parseId(const std::string &text, const std::string &what);
/// A whole number from 0 to `most`.
std::size_t parseCount(const std::string &text, const std::string &what, std::size_t most);
/// A size in bytes: a number with an optional unit B, KB, MB, GB (powers of 1024).
std::uint64_t parseSize(const std::string &text);
/// A number from 0 to 1, read the same whatever the locale.
double parseFraction(const std::string &text, const std::string &option);
/// suggested, accepted, rejected, all; comma separated.
std::set<AnnotationStatus> parseStatuses(const std::string &text);
/// Comma-separated names, the empty ones left out.
std::set<std::string> splitNames(const std::string &text);

/// CLI11 validators that run the readers above and give their messages.
CLI::Validator isId(const std::string &what);
CLI::Validator isCount(const std::string &what, std::size_t most);
CLI::Validator isSize();
CLI::Validator isFraction(const std::string &option);
CLI::Validator isStatusList();

/// The type names of options and arguments whose values are paths: the
/// file system's bytes, which need not be UTF-8.
inline constexpr const char *kPath = "PATH";
inline constexpr const char *kDir = "DIR";

/// Every value that may end up in the store or in output must be UTF-8;
/// throws UsageError naming the first that is not. Paths (options and
/// arguments whose type name is kPath or kDir) are left as they are.
void requireText(const CLI::App &app);

} // namespace lede::cli
