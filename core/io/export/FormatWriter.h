#pragma once

#include "core/base/Result.h"
#include "core/io/Exporter.h"
#include "core/store/Domain.h"

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lede::exporting {

/// Where a single-file format's bytes go: a stream or a files::OutputFile,
/// which replaces its file atomically when the export is whole. Each call
/// gets a piece of output: a document, or part of a large one.
using Sink = std::function<Status(std::string_view)>;

/// One document as an export writes it: its text, and the annotations
/// chosen by status, read from the store one at a time in text order
/// (start, then end), each checked to fit the text: forEachAnnotation
/// calls `each` with them and stops at the first failure, its own or
/// theirs. It may be called more than once.
struct ExportedDocument {
    using Each = std::function<Status(const Annotation &)>;
    Document document;
    std::function<Status(const Each &each)> forEachAnnotation;
};

/// One export format. The exporter calls begin() once, document() for
/// each document in order (only one is in memory at a time), then end();
/// each adds what it wrote to the report (annotations, files). A new
/// format is a new file in this folder with a factory below, and a case
/// in Exporter.cpp's makeWriter.
class FormatWriter {
public:
    virtual ~FormatWriter() = default;
    /// The store's types, for formats that list them first.
    virtual Status begin(const std::vector<EntityType> &types, ExportReport &report) = 0;
    virtual Status document(const ExportedDocument &document, ExportReport &report) = 0;
    virtual Status end(ExportReport &report) = 0;
};

/// Lede's own JSON (`lede.corpus/1`), read back by parseLedeExport.
std::unique_ptr<FormatWriter> jsonWriter(Sink sink);
/// The same documents as JSON Lines, one per line, without the types.
std::unique_ptr<FormatWriter> jsonLinesWriter(Sink sink);
/// One RFC 4180 row per annotation.
std::unique_ptr<FormatWriter> csvWriter(Sink sink);
/// CoNLL-2003 columns with IOB2 tags, over core's tokens and sentences.
std::unique_ptr<FormatWriter> conllWriter(Sink sink);
/// A folder brat opens: annotation.conf and a .txt and .ann per document,
/// each file written atomically.
std::unique_ptr<FormatWriter> bratWriter(std::string folder);

} // namespace lede::exporting
