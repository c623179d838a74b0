#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace lede {

/// A failure reported by core: one sentence a user can read, naming the
/// file, argument or record at fault. Core never throws across its API;
/// every fallible call returns a Result.
struct Error {
    std::string message;
};

inline Error makeError(std::string message) { return Error{std::move(message)}; }

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

private:
    std::optional<Error> m_error;
};

using Status = Result<void>;

} // namespace lede
