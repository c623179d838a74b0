#include "core/io/Importer.h"

#include "core/io/HtmlText.h"
#include "core/store/Database.h"
#include "core/base/Files.h"
#include "core/io/Json.h"
#include "core/io/import/FilePlan.h"
#include "core/io/import/ImportReaders.h"
#include "core/io/import/ImportWriter.h"
#include "core/store/Store.h"
#include "core/text/Text.h"
#include "core/text/TextDecoder.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <set>

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

// An export may bring types the store lacks, each made on import; more
// than this in one file is no export of Lede's, and a list no one could
// use.
constexpr std::size_t kMaxTypesPerFile = 100;

Status limitTypes(const std::vector<ParsedDocument> &docs)
{
    std::set<std::string> types;
    for (const ParsedDocument &d : docs)
        for (const NewAnnotation &a : d.annotations)
            types.insert(entity_type::canonicalName(a.type));
    if (types.size() > kMaxTypesPerFile)
        return makeError("names " + std::to_string(types.size()) + " entity types; an import takes at most "
                             + std::to_string(kMaxTypesPerFile) + " in one file",
                         ErrorKind::InvalidInput);
    return {};
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
        LEDE_TRY(limitTypes(out));
        colorTypes(out, typeColors);
        return out;
    }

    text::LineReader lines(content);
    for (std::string_view line; lines.next(line);) {
        const std::size_t lineNo = lines.number();
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
    LEDE_TRY(limitTypes(out));
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

    LEDE_TRY_ASSIGN(auto decoded, decodeOwned(std::move(bytes)));
    ParsedDocument doc;
    doc.document.source = source;
    if (format == FileFormat::Html) {
        HtmlText html = htmlToText(decoded.text);
        doc.document.text = std::move(html.text);
        text::normalizeInPlace(doc.document.text);
        doc.document.title = std::string(text::trim(text::normalize(html.title)));
        if (text::trim(doc.document.text).empty())
            return makeError("the HTML has no visible text");
    } else {
        doc.document.text = std::move(decoded.text);
        text::normalizeInPlace(doc.document.text);
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

ImportReport importPaths(Store &store, const std::vector<std::string> &paths, const ImportOptions &options,
                         const std::function<void(const ImportProgress &)> &progress, const std::atomic<bool> *cancel)
{
    const auto started = std::chrono::steady_clock::now();
    ImportReport report;
    const std::vector<importing::PlannedFile> files = importing::planFiles(paths, report);
    report.files = files.size();

    // Readers parse files ahead of the writer, which takes them strictly
    // in order on this thread, the only one to touch the store.
    importing::ImportReaders readers(files, options);
    importing::ImportWriter writer(store, report);
    ImportProgress state;
    state.total = files.size();
    for (std::size_t i = 0; i < files.size(); ++i) {
        if (cancel && cancel->load()) {
            report.cancelled = true;
            break;
        }
        importing::ReadFile read = readers.take(i);
        const importing::PlannedFile &file = files[i];
        if (!read.documents)
            report.failures.push_back({file.path, read.documents.message()});
        else
            writer.write(file.path, *read.documents);
        report.bytes += read.bytes;
        // Given back before a commit, which indexes the batch: SQLite then
        // holds a huge text twice over, and the file's own copy need not
        // be there too.
        readers.giveBack(std::move(read));
        writer.commitIfDue();

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
    writer.finish();
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
}

} // namespace lede
