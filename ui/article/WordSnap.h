#pragma once

#include <QStringView>

#include <utility>

namespace lede::ui {

/// Widens or narrows a selection [start, end) of `text` (UTF-16 offsets)
/// to whole words: a boundary inside a word moves out to the word's edge,
/// and white space and punctuation at either end are dropped, except a
/// full stop closing a short capitalised abbreviation ("Inc.", "Jr.").
/// Surrogate pairs are never split. Returns an empty range at `start`
/// when nothing but white space or punctuation is selected.
std::pair<qsizetype, qsizetype> snapToWords(QStringView text, qsizetype start, qsizetype end);

} // namespace lede::ui
