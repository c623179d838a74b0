#pragma once

#include "core/store/Domain.h"
#include "core/base/Result.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace lede {

class Store;

/// One article read from a file, ready for Store::addDocument.
struct ParsedDocument {
    NewDocument document;
    std::vector<NewAnnotation> annotations;
    /// The tagger's, for a document that brought no annotations of its own.
    Suggestions suggestions;
    /// Read from a Lede export: when the store has the document already,
    /// its annotations are merged into the stored ones.
    bool fromExport = false;
};

enum class FileFormat { Text, Markdown, Html, LedeJson, LedeJsonLines };

/// The format Lede reads a file as, from its name. Unknown extensions are
/// read as plain text when named explicitly.
FileFormat formatForPath(const std::string &path);
/// True for the extensions import picks up when it walks a folder.
bool isImportableExtension(const std::string &path);

/// Reads one file into documents: decodes its encoding, extracts HTML's
/// visible text, or validates a Lede JSON/JSONL export. `source` is what
/// the documents record as their origin. Errors name the problem, not the
/// file (the caller knows it); a bad file yields no documents at all.
Result<std::vector<ParsedDocument>> readArticleFile(const std::string &path, const std::string &source,
                                                    std::uint64_t maxSize);

/// Parses a Lede export (one corpus object, or JSON Lines of documents).
Result<std::vector<ParsedDocument>> parseLedeExport(std::string_view text, bool jsonLines, const std::string &source);

struct ImportOptions {
    std::uint64_t maxFileSize = 20ull * 1024 * 1024;
    /// Threads that read and decode files while the calling thread writes;
    /// 0 picks one less than the cores (at least one).
    unsigned readerThreads = 0;
    using Annotator = lede::Annotator;
    /// Makes an annotator (the tagger) for one reader thread; each reader
    /// calls it once and annotates the documents it reads that carry no
    /// annotations of their own. Empty: no tagging.
    std::function<Annotator()> makeAnnotator;
};

struct ImportFailure {
    std::string path;
    std::string reason;
};

struct ImportProgress {
    std::size_t done = 0;
    std::size_t total = 0;
    std::size_t imported = 0;
    std::size_t duplicates = 0;
    std::size_t failed = 0;
    std::uint64_t bytes = 0;
    double seconds = 0;
    std::string currentFile;
};

struct ImportReport {
    std::size_t files = 0;
    std::size_t imported = 0;
    std::size_t duplicates = 0;
    std::size_t ignored = 0; // files in folders with extensions Lede does not read
    /// Duplicates from Lede exports whose annotations were merged into the
    /// stored document (see Store::mergeAnnotations), and what that did.
    std::size_t mergedDocuments = 0;
    std::size_t mergedAnnotations = 0;
    std::size_t conflicts = 0;
    std::uint64_t bytes = 0;
    double seconds = 0;
    bool cancelled = false;
    std::vector<ImportFailure> failures;
    std::vector<std::int64_t> documentIds; // ids of the documents this run added
};

/// Imports files and folders (recursively) into the store. Each file is
/// written atomically (a savepoint within a batch committed every quarter
/// second): all the documents of an export, or none. A kill leaves whole
/// files only, and
/// re-running the same import adds just what is missing (the rest are
/// duplicates by content hash; a duplicate from a Lede export has its
/// annotations merged into the stored ones). Files are read in parallel but written in
/// the order of the listing, so the outcome equals a sequential run. A bad
/// file becomes a failure in the report and the batch goes on.
/// `progress` is called on the calling thread after each file; `cancel`
/// is polled between files.
ImportReport importPaths(Store &store, const std::vector<std::string> &paths, const ImportOptions &options,
                         const std::function<void(const ImportProgress &)> &progress = {},
                         const std::atomic<bool> *cancel = nullptr);

} // namespace lede
