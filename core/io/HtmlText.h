#pragma once

#include <string>
#include <string_view>

namespace lede {

/// The readable content of an HTML document.
struct HtmlText {
    /// The document's <title>, or failing a non-empty one the text of its
    /// first non-empty <h1>; empty if neither exists. One line, whitespace
    /// collapsed.
    std::string title;
    /// The visible text: paragraphs separated by exactly one blank line
    /// ("\n\n"), <br> as a single "\n", no leading or trailing whitespace on
    /// any line or on the whole text. Whitespace inside <pre> is kept, except
    /// trailing whitespace on its lines and runs of blank lines, which shrink
    /// to one.
    std::string text;
};

/// Extracts the visible text of an HTML document. Takes and returns UTF-8;
/// bytes are passed through as they come, so invalid UTF-8 in gives invalid
/// UTF-8 out. Drops scripts, styles, <noscript>, <template>, <head> (reading
/// its <title>), comments, doctypes, CDATA and processing instructions;
/// decodes character references. Never fails: malformed HTML, including
/// constructs left open at the end, gives its best reading. Runs in time
/// linear in the input and fetches nothing.
HtmlText htmlToText(std::string_view html);

} // namespace lede
