#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace lede {

/// What went wrong, for callers that act on it (retry when busy, say
/// nothing when cancelled, offer a read-only view); the message says it
/// to the user.
enum class ErrorKind {
    Failed,        // none of the kinds below
    NotFound,      // no such file, document, annotation, type or entity
    InvalidInput,  // a file, value or argument Lede cannot take
    AlreadyExists, // the destination is there already
    Busy,          // another program holds the store's lock
    ReadOnly,      // the store or a file cannot be written
    Full,          // the disk, or a size limit, is full
    Cancelled,     // the caller asked the work to stop
    Corrupt,       // the store is damaged, or not a store
    Io,            // reading or writing a file failed
};

/// A failure reported by core: one sentence a user can read, naming the
/// file, argument or record at fault, and its kind. Core never throws
/// across its API; every fallible call returns a Result.
struct Error {
    std::string message;
    ErrorKind kind = ErrorKind::Failed;
};

inline Error makeError(std::string message, ErrorKind kind = ErrorKind::Failed)
{
    return Error{std::move(message), kind};
}

/// The same failure told with more context in front: "a.json: " + error.
inline Error prefixError(std::string prefix, const Error &error)
{
    return Error{std::move(prefix) + error.message, error.kind};
}

/// Holds either a value of T or an Error.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_data(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_data(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_data); }
    const T &value() const & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const Error &error() const { return std::get<1>(m_data); }
    const std::string &message() const { return error().message; }
    ErrorKind kind() const { return error().kind; }

private:
    std::variant<T, Error> m_data;
};

/// Result of an operation that yields nothing but may fail.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }
    const std::string &message() const { return m_error->message; }
    ErrorKind kind() const { return m_error->kind; }

private:
    std::optional<Error> m_error;
};

using Status = Result<void>;

} // namespace lede

// Propagating a failure. In a function returning a Result or a Status,
//
//     LEDE_TRY(tx->commit());
//     LEDE_TRY_ASSIGN(const auto rows, store.annotations(id));
//
// return at once with the callee's error when it failed; otherwise the
// first goes on, and the second declares `rows` as the callee's value
// (moved out of its Result).
#define LEDE_TRY(expr)                                                         \
    do {                                                                       \
        if (auto &&lede_try_result_ = (expr); !lede_try_result_)               \
            return lede_try_result_.error();                                   \
    } while (false)

#define LEDE_TRY_CONCAT_(a, b) a##b
#define LEDE_TRY_CONCAT(a, b) LEDE_TRY_CONCAT_(a, b)
#define LEDE_TRY_ASSIGN(declaration, expr)                                     \
    LEDE_TRY_ASSIGN_(LEDE_TRY_CONCAT(lede_try_result_, __LINE__), declaration, expr)
#define LEDE_TRY_ASSIGN_(result, declaration, expr)                            \
    auto result = (expr);                                                      \
    if (!result)                                                               \
        return result.error();                                                 \
    declaration = std::move(result).value()
