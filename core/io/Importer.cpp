#include "core/io/Importer.h"

#include "core/io/HtmlText.h"
#include "core/store/Database.h"
#include "core/base/Files.h"
#include "core/io/Json.h"
#include "core/store/Store.h"
#include "core/text/Text.h"
#include "core/text/TextDecoder.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

namespace fs = std::filesystem;

namespace lede {

namespace {

std::string lowerExtension(const std::string &path)
{
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

// Title of a Markdown article: its first non-empty line without the
// heading marks.
std::string markdownTitle(const std::string &text)
{
    std::string title = text::firstLineTitle(text);
    const std::size_t hashes = title.find_first_not_of('#');
    if (hashes != std::string::npos && hashes > 0)
        title = std::string(text::trim(std::string_view(title).substr(hashes)));
    return title;
}

std::string describeJsonPlace(std::size_t index, bool jsonLines)
{
    return jsonLines ? "line " + std::to_string(index + 1) : "document " + std::to_string(index + 1);
}

const std::string *stringMember(const JsonValue &object, std::string_view key)
{
    const JsonValue *v = object.find(key);
    return v && v->isString() ? &v->asString() : nullptr;
}

Result<ParsedDocument> parseExportedDocument(const JsonValue &doc, const std::string &source)
{
    if (!doc.isObject())
        return makeError("is not a JSON object");
    const std::string *text = stringMember(doc, "text");
    if (!text)
        return makeError("has no \"text\" string");
    if (text::trim(*text).empty())
        return makeError("has an empty text");
    // Offsets in the file count code points of this exact text; a text that
    // normalisation would change could not keep them.
    if (text::normalize(*text) != *text)
        return makeError("has a text that is not in NFC with \\n line ends, so its offsets are ambiguous");

    ParsedDocument out;
    out.fromExport = true;
    out.document.text = *text;
    if (const std::string *title = stringMember(doc, "title"))
        out.document.title = *title;
    const std::string *recordedSource = stringMember(doc, "source");
    out.document.source = recordedSource && !recordedSource->empty() ? *recordedSource : source;
    if (const std::string *url = stringMember(doc, "url"))
        out.document.url = *url;
    if (const std::string *published = stringMember(doc, "published_at"))
        out.document.publishedAt = *published;

    const JsonValue *annotations = doc.find("annotations");
    if (!annotations || annotations->isNull())
        return out;
    if (!annotations->isArray())
        return makeError("has \"annotations\" that is not an array");

    const text::OffsetIndex index(*text);
    const auto length = static_cast<std::int64_t>(index.codePoints());
    std::size_t n = 0;
    for (const JsonValue &a : annotations->asArray()) {
        ++n;
        const std::string where = "annotation " + std::to_string(n);
        if (!a.isObject())
            return makeError(where + " is not a JSON object");
        const JsonValue *start = a.find("start");
        const JsonValue *end = a.find("end");
        if (!start || !end || !start->isInteger() || !end->isInteger())
            return makeError(where + " needs integer \"start\" and \"end\"");
        if (start->asInt() < 0 || end->asInt() <= start->asInt() || end->asInt() > length)
            return makeError(where + " (" + std::to_string(start->asInt()) + "-" + std::to_string(end->asInt())
                             + ") is outside the text of " + std::to_string(length) + " characters");
        const std::string *type = stringMember(a, "type");
        if (!type || type->empty())
            return makeError(where + " has no \"type\"");
        if (auto st = entity_type::checkName(*type); !st)
            return makeError(where + " has an invalid type: " + st.message());
        const std::string_view covered =
            index.slice(static_cast<std::size_t>(start->asInt()), static_cast<std::size_t>(end->asInt()));
        if (const std::string *quoted = stringMember(a, "text"); quoted && *quoted != covered)
            return makeError(where + " quotes \"" + *quoted + "\" but the text there reads \"" + std::string(covered)
                             + "\"");
        NewAnnotation na;
        na.start = start->asInt();
        na.end = end->asInt();
        na.type = *type;
        na.origin = Origin::Imported;
        na.status = AnnotationStatus::Accepted;
        if (const std::string *status = stringMember(a, "status")) {
            auto parsed = parseStatus(*status);
            if (!parsed)
                return makeError(where + " has an unknown status \"" + *status + "\"");
            na.status = *parsed;
        }
        if (const JsonValue *entity = a.find("entity"); entity && entity->isObject()) {
            if (const std::string *name = stringMember(*entity, "name"))
                na.entityName = *name;
        }
        for (auto [key, field] : {std::pair{"created_at", &na.createdAt}, std::pair{"modified_at", &na.modifiedAt}}) {
            const std::string *when = stringMember(a, key);
            if (!when)
                continue;
            auto seconds = text::parseIso8601(*when);
            if (!seconds)
                return makeError(where + " has a \"" + key + "\" that is not a time such as 2026-12-02T03:04:05Z");
            *field = *seconds;
        }
        if (const JsonValue *provenance = a.find("provenance"); provenance && !provenance->isNull()) {
            if (!provenance->isString() || provenance->asString().size() > 200)
                return makeError(where + " has a \"provenance\" that is not a short string");
            na.provenance = provenance->asString();
        }
        if (const JsonValue *confidence = a.find("confidence"); confidence && !confidence->isNull()) {
            if (!confidence->isNumber() || confidence->asDouble() < 0.0 || confidence->asDouble() > 1.0)
                return makeError(where + " has a \"confidence\" that is not a number from 0 to 1");
            na.confidence = confidence->asDouble();
        }
        out.annotations.push_back(std::move(na));
    }
    return out;
}

// The colour a type new to the store gets: the export's, else grey.
void colorTypes(std::vector<ParsedDocument> &docs, const std::map<std::string, std::string> &typeColors)
{
    for (ParsedDocument &d : docs)
        for (NewAnnotation &a : d.annotations) {
            const auto color = typeColors.find(a.type);
            a.typeColor = color != typeColors.end() ? color->second : "#868e96";
        }
}

} // namespace

FileFormat formatForPath(const std::string &path)
{
    const std::string ext = lowerExtension(path);
    if (ext == ".html" || ext == ".htm" || ext == ".xhtml")
        return FileFormat::Html;
    if (ext == ".json")
        return FileFormat::LedeJson;
    if (ext == ".jsonl" || ext == ".ndjson")
        return FileFormat::LedeJsonLines;
    if (ext == ".md" || ext == ".markdown")
        return FileFormat::Markdown;
    return FileFormat::Text;
}

bool isImportableExtension(const std::string &path)
{
    static const std::set<std::string> kExtensions = {".txt",  ".text", ".md",   ".markdown", ".html",
                                                      ".htm",  ".xhtml", ".json", ".jsonl",    ".ndjson"};
    return kExtensions.count(lowerExtension(path)) > 0;
}

Result<std::vector<ParsedDocument>> parseLedeExport(std::string_view content, bool jsonLines, const std::string &source)
{
    if (!text::isValidUtf8(content))
        return makeError("is not valid UTF-8 (byte " + std::to_string(text::firstInvalidUtf8(content)) + ")");
    if (content.substr(0, 3) == "\xEF\xBB\xBF")
        content.remove_prefix(3);

    std::vector<ParsedDocument> out;
    std::map<std::string, std::string> typeColors;
    if (!jsonLines) {
        // The documents are read one at a time as the parser reaches them
        // and kept as documents, never as one tree of the whole file.
        std::optional<Error> documentError;
        JsonStream documents{"documents", [&](const JsonValue &doc, std::size_t i) -> Status {
                                 if (documentError)
                                     return {};
                                 auto parsed = parseExportedDocument(doc, source);
                                 if (!parsed)
                                     documentError = prefixError(describeJsonPlace(i, false) + " ", parsed.error());
                                 else
                                     out.push_back(std::move(*parsed));
                                 return {};
                             }};
        LEDE_TRY_ASSIGN(const auto root, parseJson(content, &documents));
        const std::string *format = stringMember(root, "format");
        if (!format || format->rfind("lede.corpus/", 0) != 0)
            return makeError("is not a Lede export (no \"format\": \"lede.corpus/1\")", ErrorKind::InvalidInput);
        if (*format != "lede.corpus/1")
            return makeError("is a Lede export of a newer format (" + *format + ")", ErrorKind::InvalidInput);
        if (const JsonValue *types = root.find("types"); types && types->isArray()) {
            std::size_t n = 0;
            for (const JsonValue &t : types->asArray()) {
                ++n;
                const std::string *name = stringMember(t, "name");
                const std::string *color = stringMember(t, "color");
                if (!name || !color)
                    continue;
                if (auto st = entity_type::checkName(*name); !st)
                    return makeError("type " + std::to_string(n) + " of \"types\" is invalid: " + st.message());
                if (auto st = entity_type::checkColor(*color); !st)
                    return makeError("type " + std::to_string(n) + " (" + *name + ") of \"types\" is invalid: "
                                     + st.message());
                typeColors[*name] = *color;
            }
        }
        const JsonValue *list = root.find("documents");
        if (!list || !list->isArray())
            return makeError("has no \"documents\" array", ErrorKind::InvalidInput);
        if (documentError)
            return *documentError;
        colorTypes(out, typeColors);
        return out;
    }

    std::size_t lineNo = 0;
    std::size_t pos = 0;
    while (pos < content.size()) {
        std::size_t nl = content.find('\n', pos);
        if (nl == std::string_view::npos)
            nl = content.size();
        const std::string_view line = content.substr(pos, nl - pos);
        pos = nl + 1;
        ++lineNo;
        if (text::trim(line).empty())
            continue;
        auto value = parseJson(line);
        if (!value)
            return prefixError("line " + std::to_string(lineNo) + ": ", value.error());
        auto parsed = parseExportedDocument(*value, source);
        if (!parsed)
            return prefixError("line " + std::to_string(lineNo) + " ", parsed.error());
        out.push_back(std::move(*parsed));
    }
    if (out.empty())
        return makeError("holds no documents", ErrorKind::InvalidInput);
    colorTypes(out, typeColors);
    return out;
}

Result<std::vector<ParsedDocument>> readArticleFile(const std::string &path, const std::string &source,
                                                    std::uint64_t maxSize)
{
    const FileFormat format = formatForPath(path);
    const bool json = format == FileFormat::LedeJson || format == FileFormat::LedeJsonLines;
    // An export holds many articles, so it may be larger than one article.
    const std::uint64_t limit = json ? std::max<std::uint64_t>(maxSize, 1024ull * 1024 * 1024) : maxSize;
    LEDE_TRY_ASSIGN(auto bytes, files::readFile(path, limit, ", see --max-size"));
    if (bytes.empty())
        return makeError("empty file");

    if (json) {
        LEDE_TRY_ASSIGN(auto docs, parseLedeExport(bytes, format == FileFormat::LedeJsonLines, source));
        for (const ParsedDocument &d : docs)
            if (d.document.text.size() > maxSize)
                return makeError("holds a document larger than the limit of " + files::formatSize(maxSize)
                                 + " (see --max-size)");
        return docs;
    }

    LEDE_TRY_ASSIGN(auto decoded, decodeText(bytes));
    ParsedDocument doc;
    doc.document.source = source;
    if (format == FileFormat::Html) {
        HtmlText html = htmlToText(decoded.text);
        doc.document.text = text::normalize(html.text);
        doc.document.title = std::string(text::trim(text::normalize(html.title)));
        if (text::trim(doc.document.text).empty())
            return makeError("the HTML has no visible text");
    } else {
        doc.document.text = text::normalize(decoded.text);
        if (text::trim(doc.document.text).empty())
            return makeError("empty file (only white space)");
        doc.document.title =
            format == FileFormat::Markdown ? markdownTitle(doc.document.text) : text::firstLineTitle(doc.document.text);
    }
    if (doc.document.title.empty())
        doc.document.title = text::firstLineTitle(doc.document.text);
    // Hashing here runs on the reader threads, off the single writer.
    doc.document.sha256 = text::sha256Hex(doc.document.text);
    doc.document.normalized = true;
    std::vector<ParsedDocument> out;
    out.push_back(std::move(doc));
    return out;
}

namespace {

struct PlannedFile {
    std::string path;
    std::string source;
};

struct Outcome {
    Result<std::vector<ParsedDocument>> documents = makeError("not read");
    std::uint64_t bytes = 0;
};

// Collects the importable files under `folder`. Hidden files and folders
// are passed over, and so are links to folders (which could loop); a
// folder or entry that cannot be read is a failure of its own, and the
// walk goes on with the rest.
void walkFolder(const fs::path &root, const fs::path &folder, std::vector<PlannedFile> &found, ImportReport &report)
{
    std::error_code ec;
    fs::directory_iterator it(folder, ec);
    if (ec) {
        report.failures.push_back({folder.string(), "cannot read the folder: " + ec.message()});
        return;
    }
    std::vector<fs::path> subfolders;
    for (const fs::directory_iterator end; it != end; it.increment(ec)) {
        if (ec)
            break;
        const fs::path &path = it->path();
        const std::string name = path.filename().string();
        if (!name.empty() && name[0] == '.')
            continue;
        std::error_code entryError;
        const bool link = it->is_symlink(entryError);
        const auto status = it->status(entryError);
        if (entryError) {
            // A dangling link is no file to import; anything else the user
            // should hear about.
            if (!link)
                report.failures.push_back({path.string(), "cannot read it: " + entryError.message()});
            continue;
        }
        if (fs::is_directory(status)) {
            if (!link)
                subfolders.push_back(path);
            continue;
        }
        if (!fs::is_regular_file(status))
            continue;
        if (!isImportableExtension(name)) {
            ++report.ignored;
            continue;
        }
        found.push_back({path.string(), path.lexically_relative(root).generic_string()});
    }
    if (ec)
        report.failures.push_back({folder.string(), "cannot read the folder: " + ec.message()});
    for (const fs::path &sub : subfolders)
        walkFolder(root, sub, found, report);
}

// Expands the arguments into the files to import, in a stable order.
std::vector<PlannedFile> planFiles(const std::vector<std::string> &paths, ImportReport &report)
{
    std::vector<PlannedFile> files;
    std::set<std::string> seen;
    auto add = [&](const fs::path &p, std::string source) {
        std::error_code ec;
        const fs::path canonical = fs::weakly_canonical(p, ec);
        // The path stays the file system's bytes, to find the file by; the
        // source the document records is what a reader shows for the name:
        // bytes that are not UTF-8 become U+FFFD.
        if (seen.insert(ec ? p.string() : canonical.string()).second)
            files.push_back({p.string(), text::toValidUtf8(source)});
    };
    for (const std::string &arg : paths) {
        std::error_code ec;
        const fs::path root(arg);
        const auto status = fs::status(root, ec);
        if (ec || !fs::exists(status)) {
            const bool missing = !ec || ec == std::errc::no_such_file_or_directory;
            report.failures.push_back({arg, missing ? "no such file or folder" : "cannot read it: " + ec.message()});
            continue;
        }
        if (!fs::is_directory(status)) {
            add(root, root.filename().string());
            continue;
        }
        std::vector<PlannedFile> found;
        walkFolder(root, root, found, report);
        std::sort(found.begin(), found.end(), [](const auto &a, const auto &b) { return a.source < b.source; });
        for (PlannedFile &f : found)
            add(f.path, std::move(f.source));
    }
    return files;
}

} // namespace

ImportReport importPaths(Store &store, const std::vector<std::string> &paths, const ImportOptions &options,
                         const std::function<void(const ImportProgress &)> &progress, const std::atomic<bool> *cancel)
{
    const auto started = std::chrono::steady_clock::now();
    ImportReport report;
    const std::vector<PlannedFile> files = planFiles(paths, report);
    report.files = files.size();

    // Readers parse files ahead of the writer, at most kWindow ahead, and
    // drop their results into per-file slots; the writer consumes the slots
    // strictly in order. Only the calling thread touches the store.
    constexpr std::size_t kWindow = 32;
    std::vector<std::optional<Outcome>> slots(files.size());
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t nextToRead = 0;
    std::size_t written = 0;
    bool stop = false;

    auto reader = [&] {
        const ImportOptions::Annotator annotate = options.makeAnnotator ? options.makeAnnotator() : nullptr;
        for (;;) {
            std::size_t i;
            {
                std::unique_lock lock(mutex);
                changed.wait(lock, [&] { return stop || nextToRead >= files.size() || nextToRead < written + kWindow; });
                if (stop || nextToRead >= files.size())
                    return;
                i = nextToRead++;
            }
            Outcome outcome;
            std::error_code ec;
            outcome.bytes = fs::file_size(files[i].path, ec);
            if (ec)
                outcome.bytes = 0;
            outcome.documents = readArticleFile(files[i].path, files[i].source, options.maxFileSize);
            if (annotate && outcome.documents) {
                for (ParsedDocument &doc : *outcome.documents)
                    if (doc.annotations.empty())
                        doc.annotations = annotate(doc.document.normalized ? doc.document.text
                                                                           : text::normalize(doc.document.text));
            }
            {
                std::lock_guard lock(mutex);
                slots[i].emplace(std::move(outcome));
            }
            changed.notify_all();
        }
    };

    unsigned threads = options.readerThreads;
    if (threads == 0)
        threads = std::max(1u, std::thread::hardware_concurrency() - 1);
    threads = std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(1, files.size())));
    std::vector<std::thread> readers;
    for (unsigned t = 0; t < threads && !files.empty(); ++t)
        readers.emplace_back(reader);

    // Files are written in batches: each file inside its own savepoint, so
    // it lands whole or not at all, and the batch committed every few
    // hundred milliseconds. Committing per file would make SQLite flush a
    // new full-text segment for every article and halve the import rate;
    // a kill loses at most the open batch, which re-running restores.
    constexpr auto kBatchTime = std::chrono::milliseconds(250);
    constexpr std::size_t kBatchFiles = 500;
    std::optional<Transaction> batch;
    auto batchStarted = std::chrono::steady_clock::now();
    std::vector<std::pair<std::string, std::int64_t>> inBatch; // (file, document id) added by the open batch
    std::size_t filesInBatch = 0;
    // Nothing of the open batch was kept: its documents are failures now.
    auto loseBatch = [&](const std::string &why) {
        for (const auto &[path, id] : inBatch) {
            report.failures.push_back({path, "cannot store it: " + why});
            --report.imported;
            report.documentIds.erase(std::remove(report.documentIds.begin(), report.documentIds.end(), id),
                                     report.documentIds.end());
        }
        batch.reset();
        inBatch.clear();
        filesInBatch = 0;
    };
    auto commitBatch = [&] {
        if (!batch)
            return;
        if (Status st = batch->commit(); !st) {
            loseBatch(st.message());
            return;
        }
        batch.reset();
        inBatch.clear();
        filesInBatch = 0;
    };

    // One file, in a savepoint of its own inside the batch: all of its
    // documents land, or none of them do and the file is one failure.
    auto storeFile = [&](const std::string &path, const std::vector<ParsedDocument> &documents) {
        std::size_t imported = 0, duplicates = 0, merged = 0, conflicts = 0;
        std::vector<std::int64_t> ids;
        std::optional<std::string> failure;
        std::optional<Transaction> unit;
        if (auto tx = store.transaction(); tx)
            unit.emplace(std::move(*tx));
        else
            failure = tx.message();
        for (std::size_t d = 0; d < documents.size() && !failure; ++d) {
            const ParsedDocument &doc = documents[d];
            const std::string where = documents.size() > 1 ? "document " + std::to_string(d + 1) + ": " : "";
            auto added = store.addDocument(doc.document, doc.annotations);
            if (!added) {
                failure = where + added.message();
                break;
            }
            if (!added->duplicate) {
                ++imported;
                ids.push_back(added->id);
                continue;
            }
            ++duplicates;
            if (!doc.fromExport || doc.annotations.empty())
                continue;
            auto merge = store.mergeAnnotations(added->id, doc.annotations);
            if (!merge) {
                failure = where + merge.message();
                break;
            }
            merged += merge->merged();
            conflicts += merge->conflicts;
            ++report.mergedDocuments;
        }
        if (!failure)
            if (Status st = unit->commit(); !st)
                failure = st.message();
        if (failure) {
            unit.reset();
            report.failures.push_back({path, "cannot store it: " + *failure});
            // On a full disk or an I/O error SQLite rolls back the whole
            // batch by itself: what it held is lost, and says so.
            if (batch && !store.inTransaction())
                loseBatch(*failure);
            return;
        }
        report.imported += imported;
        report.duplicates += duplicates;
        report.mergedAnnotations += merged;
        report.conflicts += conflicts;
        for (const std::int64_t id : ids) {
            report.documentIds.push_back(id);
            if (batch)
                inBatch.emplace_back(path, id);
        }
    };

    ImportProgress state;
    state.total = files.size();
    for (std::size_t i = 0; i < files.size(); ++i) {
        if (cancel && cancel->load()) {
            report.cancelled = true;
            break;
        }
        Outcome outcome;
        {
            std::unique_lock lock(mutex);
            changed.wait(lock, [&] { return slots[i].has_value(); });
            outcome = std::move(*slots[i]);
            slots[i].reset();
        }
        const PlannedFile &file = files[i];
        if (!batch) {
            auto tx = store.transaction();
            if (tx) {
                batch.emplace(std::move(*tx));
                batchStarted = std::chrono::steady_clock::now();
            }
        }
        if (!outcome.documents)
            report.failures.push_back({file.path, outcome.documents.message()});
        else
            storeFile(file.path, *outcome.documents);
        if (++filesInBatch >= kBatchFiles || std::chrono::steady_clock::now() - batchStarted >= kBatchTime)
            commitBatch();
        report.bytes += outcome.bytes;
        {
            std::lock_guard lock(mutex);
            written = i + 1;
        }
        changed.notify_all();

        if (progress) {
            state.done = i + 1;
            state.imported = report.imported;
            state.duplicates = report.duplicates;
            state.failed = report.failures.size();
            state.bytes = report.bytes;
            state.currentFile = file.path;
            state.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            progress(state);
        }
    }
    commitBatch();
    {
        std::lock_guard lock(mutex);
        stop = true;
    }
    changed.notify_all();
    for (std::thread &t : readers)
        t.join();
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
}

} // namespace lede
