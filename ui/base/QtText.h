#pragma once

#include <QString>

#include <string>
#include <string_view>

// Core speaks UTF-8 std::string, Qt speaks QString: the two conversions,
// named so that every crossing is visible.
namespace lede::ui {

inline QString toQString(std::string_view utf8) { return QString::fromUtf8(utf8.data(), static_cast<qsizetype>(utf8.size())); }
inline std::string toUtf8(const QString &text) { return text.toStdString(); }

} // namespace lede::ui
