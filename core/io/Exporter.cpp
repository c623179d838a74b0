#include "core/io/Exporter.h"

#include "core/base/Files.h"
#include "core/io/export/FormatWriter.h"
#include "core/store/Store.h"
#include "core/text/Text.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <climits>
#include <filesystem>
#include <memory>
#include <system_error>
#include <utility>

namespace fs = std::filesystem;

namespace lede {

using exporting::ExportedDocument;
using exporting::FormatWriter;
using exporting::Sink;

namespace {

constexpr std::size_t kMaxSlug = 60;

Result<std::vector<std::int64_t>> resolveDocuments(Store &store, const ExportOptions &options)
{
    LEDE_TRY_ASSIGN(auto all, store.documentIds());
    if (options.documentIds.empty())
        return all;
    const std::set<std::int64_t> known(all.begin(), all.end());
    std::set<std::int64_t> seen;
    std::vector<std::int64_t> out;
    for (const std::int64_t id : options.documentIds) {
        if (!known.count(id))
            return makeError("no document with id " + std::to_string(id), ErrorKind::NotFound);
        if (seen.insert(id).second)
            out.push_back(id);
    }
    return out;
}

Result<ExportedDocument> loadDocument(Store &store, std::int64_t id, const std::set<AnnotationStatus> &statuses)
{
    LEDE_TRY_ASSIGN(auto document, store.document(id));
    const auto length = static_cast<std::int64_t>(text::codePointCount(document.text));
    auto each = [&store, id, statuses, length](const ExportedDocument::Each &write) {
        return store.forEachAnnotation(id, statuses, [&](const Annotation &a) -> Status {
            // Every format slices the text by these offsets; one that does
            // not fit would produce output no reader accepts, so it stops
            // the export.
            if (a.start < 0 || a.end <= a.start || a.end > length)
                return makeError("annotation " + std::to_string(a.id) + " of document " + std::to_string(id) + " ("
                                     + std::to_string(a.start) + "-" + std::to_string(a.end)
                                     + ") is outside its text of " + std::to_string(length) + " characters",
                                 ErrorKind::Corrupt);
            return write(a);
        });
    };
    return ExportedDocument{std::move(document), std::move(each)};
}

std::unique_ptr<FormatWriter> makeWriter(ExportFormat format, Sink sink)
{
    switch (format) {
    case ExportFormat::Json:
        return exporting::jsonWriter(std::move(sink));
    case ExportFormat::JsonLines:
        return exporting::jsonLinesWriter(std::move(sink));
    case ExportFormat::Conll:
        return exporting::conllWriter(std::move(sink));
    case ExportFormat::Csv:
        return exporting::csvWriter(std::move(sink));
    case ExportFormat::Brat:
        break;
    }
    return nullptr;
}

// Feeds the writer the store's types and then the documents one at a
// time, so that only one text is in memory however large the corpus.
Status run(Store &store, const ExportOptions &options, const std::vector<std::int64_t> &ids, FormatWriter &writer,
           ExportReport &report)
{
    LEDE_TRY_ASSIGN(const auto types, store.types());
    LEDE_TRY(writer.begin(types, report));
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (options.cancel && options.cancel->load())
            return makeError("export cancelled", ErrorKind::Cancelled);
        LEDE_TRY_ASSIGN(const auto exported, loadDocument(store, ids[i], options.statuses));
        LEDE_TRY(writer.document(exported, report));
        ++report.documents;
        if (options.progress)
            options.progress(i + 1, ids.size());
    }
    return writer.end(report);
}

} // namespace

std::optional<ExportFormat> parseExportFormat(std::string_view name)
{
    if (name == "json")
        return ExportFormat::Json;
    if (name == "jsonl")
        return ExportFormat::JsonLines;
    if (name == "brat")
        return ExportFormat::Brat;
    if (name == "conll")
        return ExportFormat::Conll;
    if (name == "csv")
        return ExportFormat::Csv;
    return std::nullopt;
}

Result<ExportReport> exportToStream(Store &store, const ExportOptions &options, std::ostream &out)
{
    if (options.format == ExportFormat::Brat)
        return makeError("brat writes a folder; give --out");
    const ReadSnapshot snapshot = store.snapshot();
    LEDE_TRY_ASSIGN(auto ids, resolveDocuments(store, options));
    auto writer = makeWriter(options.format, [&out](std::string_view bytes) -> Status {
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out)
            return makeError("cannot write the export: the output stream failed", ErrorKind::Io);
        return {};
    });
    ExportReport report;
    LEDE_TRY(run(store, options, ids, *writer, report));
    if (!out.flush())
        return makeError("cannot write the export: the output stream failed", ErrorKind::Io);
    return report;
}

Result<ExportReport> exportToPath(Store &store, const ExportOptions &options, const std::string &path)
{
    const ReadSnapshot snapshot = store.snapshot();
    LEDE_TRY_ASSIGN(auto ids, resolveDocuments(store, options));
    ExportReport report;
    if (options.format == ExportFormat::Brat) {
        LEDE_TRY(run(store, options, ids, *exporting::bratWriter(path), report));
        return report;
    }
    // As for brat's folder, a missing destination folder is created.
    if (const fs::path parent = fs::path(path).parent_path(); !parent.empty()) {
        std::error_code ec;
        fs::create_directories(parent, ec);
        if (ec)
            return makeError("cannot create the folder " + parent.string() + ": " + ec.message());
    }
    LEDE_TRY_ASSIGN(auto file, files::OutputFile::create(path));
    auto writer = makeWriter(options.format, [&file](std::string_view bytes) { return file->write(bytes); });
    LEDE_TRY(run(store, options, ids, *writer, report));
    LEDE_TRY(file->commit());
    report.files.push_back(path);
    return report;
}

std::string fileStemFor(std::int64_t id, const std::string &title)
{
    std::string stem = std::to_string(std::max<std::int64_t>(id, 0));
    if (stem.size() < 4)
        stem.insert(0, 4 - stem.size(), '0');

    // Compatibility decomposition turns "é" into "e" plus a combining mark
    // (dropped below) and "ﬁ" or fullwidth letters into plain ASCII, so
    // Latin titles keep their words.
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfkd = unorm2_getNFKDInstance(&status);
    if (U_FAILURE(status))
        nfkd = nullptr;

    std::string slug;
    bool gap = false;
    bool full = false;
    auto add = [&](UChar32 c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            const bool dash = gap && !slug.empty();
            if (slug.size() + (dash ? 2 : 1) > kMaxSlug) {
                full = true;
                return;
            }
            if (dash)
                slug.push_back('-');
            gap = false;
            slug.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
        } else if (c < 0 || u_charType(c) != U_NON_SPACING_MARK) {
            gap = true;
        }
    };

    const auto *s = reinterpret_cast<const std::uint8_t *>(title.data());
    const auto n = static_cast<std::int32_t>(std::min<std::size_t>(title.size(), INT32_MAX));
    for (std::int32_t i = 0; i < n && !full;) {
        UChar32 c;
        U8_NEXT(s, i, n, c);
        UChar decomposed[32];
        UErrorCode err = U_ZERO_ERROR;
        const std::int32_t length = nfkd && c >= 0 ? unorm2_getDecomposition(nfkd, c, decomposed, 32, &err) : -1;
        if (length < 0 || U_FAILURE(err)) {
            add(c);
            continue;
        }
        for (std::int32_t k = 0; k < length && !full;) {
            UChar32 d;
            U16_NEXT(decomposed, k, length, d);
            add(d);
        }
    }
    return stem + '-' + (slug.empty() ? std::string("untitled") : slug);
}

} // namespace lede
