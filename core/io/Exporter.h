#pragma once

#include "core/store/Domain.h"
#include "core/base/Result.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace lede {

class Store;

/// The formats Lede writes. Json and JsonLines read back with
/// parseLedeExport; Brat is a folder brat can open; Conll is CoNLL-2003
/// style tokens with IOB2 tags; Csv is one RFC 4180 row per annotation.
enum class ExportFormat { Json, JsonLines, Brat, Conll, Csv };

/// "json", "jsonl", "brat", "conll" or "csv"; nullopt for anything else.
std::optional<ExportFormat> parseExportFormat(std::string_view name);

struct ExportOptions {
    ExportFormat format = ExportFormat::Json;
    /// Documents to export, in this order (repeats are written once);
    /// empty exports every document, by id.
    std::vector<std::int64_t> documentIds;
    /// Annotations with these statuses are exported; empty means all.
    std::set<AnnotationStatus> statuses = {AnnotationStatus::Suggested, AnnotationStatus::Accepted};
    /// Called after each document with (done, total); may be empty.
    std::function<void(std::size_t done, std::size_t total)> progress;
    /// Polled between documents. When it turns true the export stops with
    /// the error "export cancelled"; a single-file export then leaves the
    /// destination as it was.
    const std::atomic<bool> *cancel = nullptr;
};

struct ExportReport {
    std::size_t documents = 0;
    /// Annotations written. For CoNLL, annotations that lose to an
    /// overlapping one or cover no token are not counted.
    std::size_t annotations = 0;
    /// Files written, in order; empty for a stream.
    std::vector<std::string> files;
};

/// Writes a single-file format (json, jsonl, conll, csv) to `out`, one
/// document at a time, reading all documents in one read transaction so
/// the output is a consistent snapshot. Brat fails with "brat writes a
/// folder; give --out". An unknown id in `documentIds` fails before
/// anything is written; a failure later on (a store or stream error) may
/// leave partial output in the stream.
Result<ExportReport> exportToStream(Store &store, const ExportOptions &options, std::ostream &out);

/// Exports to a path. Single-file formats go to the file `path` through a
/// files::OutputFile: a regular file is replaced atomically, so it holds
/// either its old content or the whole export; a symbolic link is written
/// through; a FIFO or device is written directly; a folder, a store and
/// an SQLite database are refused. Brat writes into the
/// folder `path` (created if missing) `annotation.conf` and, per document,
/// `<stem>.txt` and `<stem>.ann` (see fileStemFor), each atomically;
/// a failure part-way leaves the files already written.
Result<ExportReport> exportToPath(Store &store, const ExportOptions &options, const std::string &path);

/// A safe file-name stem for a document: the zero-padded id, a '-' and a
/// slug of the title ("0007-tech-firms-sign-accord"). The slug keeps ASCII
/// letters and digits lower-cased (accents are stripped first, so "Café"
/// gives "cafe"), turns every other run into one '-', has no leading or
/// trailing '-', is at most 60 characters and is "untitled" when nothing
/// is left. The stem never holds a path separator and is never "." or "..".
std::string fileStemFor(std::int64_t id, const std::string &title);

} // namespace lede
