#include "core/io/Exporter.h"

#include "core/store/Database.h"
#include "core/base/Files.h"
#include "core/io/Json.h"
#include "core/store/Store.h"
#include "core/text/Text.h"

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <unicode/utypes.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <algorithm>
#include <charconv>
#include <cerrno>
#include <climits>
#include <filesystem>
#include <memory>
#include <system_error>
#include <utility>

namespace fs = std::filesystem;

namespace lede {

namespace {

// A confidence as a CSV field: thousandths, as stored ("0.873").
std::string confidenceText(double confidence)
{
    // to_chars: a decimal point whatever the locale, never a comma that
    // would split the field.
    char buf[32];
    const auto written = std::to_chars(buf, buf + sizeof buf, confidence, std::chars_format::fixed, 3);
    std::string out(buf, written.ptr);
    while (out.size() > 1 && out.back() == '0')
        out.pop_back();
    if (out.back() == '.')
        out.pop_back();
    return out;
}

// Code points of context on each side of an annotation in the JSON
// formats, as a W3C TextQuoteSelector's prefix and suffix.
constexpr std::size_t kQuoteContext = 32;
constexpr std::size_t kMaxSlug = 60;

// Where an export's bytes go: a stream or a files::OutputFile. Each call gets at
// most one document's worth of output.
using Sink = std::function<Status(std::string_view)>;

struct LoadedDocument {
    Document document;
    std::vector<Annotation> annotations;
};

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

Result<LoadedDocument> loadDocument(Store &store, std::int64_t id, const std::set<AnnotationStatus> &statuses)
{
    LEDE_TRY_ASSIGN(auto document, store.document(id));
    LEDE_TRY_ASSIGN(auto annotations, store.annotations(id, statuses));
    // Every format slices the text by these offsets; one that does not fit
    // would produce output no reader accepts, so it stops the export.
    const auto length = static_cast<std::int64_t>(text::codePointCount(document.text));
    for (const Annotation &a : annotations)
        if (a.start < 0 || a.end <= a.start || a.end > length)
            return makeError("annotation " + std::to_string(a.id) + " of document " + std::to_string(id) + " ("
                             + std::to_string(a.start) + "-" + std::to_string(a.end) + ") is outside its text of "
                             + std::to_string(length) + " characters");
    return LoadedDocument{std::move(document), std::move(annotations)};
}

// Loads and visits the documents one at a time, so that only one text is
// in memory however large the corpus.
Status forEachDocument(Store &store, const ExportOptions &options, const std::vector<std::int64_t> &ids,
                       ExportReport &report, const std::function<Status(const LoadedDocument &)> &visit)
{
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (options.cancel && options.cancel->load())
            return makeError("export cancelled", ErrorKind::Cancelled);
        LEDE_TRY_ASSIGN(auto loaded, loadDocument(store, ids[i], options.statuses));
        if (auto st = visit(loaded); !st)
            return st;
        ++report.documents;
        if (options.progress)
            options.progress(i + 1, ids.size());
    }
    return {};
}

// JSON and JSON Lines ---------------------------------------------------------

void writeAnnotationJson(JsonWriter &w, const Annotation &a, const text::OffsetIndex &index)
{
    const auto start = static_cast<std::size_t>(a.start);
    const auto end = static_cast<std::size_t>(a.end);
    const std::size_t before = start > kQuoteContext ? start - kQuoteContext : 0;
    const std::size_t after = std::min(index.codePoints(), end + kQuoteContext);
    w.beginObject();
    w.key("id").value(a.id);
    w.key("start").value(a.start);
    w.key("end").value(a.end);
    w.key("start_utf16").value(static_cast<std::int64_t>(index.utf16Offset(start)));
    w.key("end_utf16").value(static_cast<std::int64_t>(index.utf16Offset(end)));
    w.key("text").value(index.slice(start, end));
    w.key("prefix").value(index.slice(before, start));
    w.key("suffix").value(index.slice(end, after));
    w.key("type").value(a.type);
    w.key("entity");
    if (a.entityId == 0) {
        w.null();
    } else {
        w.beginObject();
        w.key("id").value(a.entityId);
        w.key("name").value(a.entityName);
        w.endObject();
    }
    w.key("origin").value(toString(a.origin));
    w.key("status").value(toString(a.status));
    // When it was made and last changed: merging two analysts' exports
    // keeps the newer of two reviews of the same span.
    w.key("created_at").value(a.createdAt);
    w.key("modified_at").value(a.modifiedAt);
    // Why the tagger suggested it and how sure it was; absent for
    // annotations no tagger judged.
    if (!a.provenance.empty())
        w.key("provenance").value(a.provenance);
    if (a.confidence)
        w.key("confidence").value(*a.confidence);
    w.endObject();
}

void writeDocumentJson(JsonWriter &w, const LoadedDocument &loaded)
{
    const Document &d = loaded.document;
    const text::OffsetIndex index(d.text);
    w.beginObject();
    w.key("id").value(d.id);
    w.key("title").value(d.title);
    w.key("source").value(d.source);
    w.key("sha256").value(d.sha256);
    w.key("imported_at").value(d.importedAt);
    if (!d.url.empty())
        w.key("url").value(d.url);
    if (!d.publishedAt.empty())
        w.key("published_at").value(d.publishedAt);
    w.key("text").value(d.text);
    w.key("annotations").beginArray();
    for (const Annotation &a : loaded.annotations)
        writeAnnotationJson(w, a, index);
    w.endArray();
    w.endObject();
}

Status writeJson(Store &store, const ExportOptions &options, const std::vector<std::int64_t> &ids, const Sink &sink,
                 ExportReport &report)
{
    LEDE_TRY_ASSIGN(auto types, store.types());
    std::string buffer;
    JsonWriter w(buffer);
    w.beginObject();
    w.key("format").value("lede.corpus/1");
    w.key("exported_at").value(text::nowIso8601());
    w.key("types").beginArray();
    for (const EntityType &t : types) {
        w.beginObject();
        w.key("name").value(t.name);
        w.key("color").value(t.color);
        w.key("shortcut").value(t.shortcut);
        w.endObject();
    }
    w.endArray();
    w.key("documents").beginArray();
    // The writer only ever appends to the buffer and keeps the comma state
    // itself, so the buffer can be flushed and cleared between documents.
    if (auto st = sink(buffer); !st)
        return st;
    buffer.clear();
    auto st = forEachDocument(store, options, ids, report, [&](const LoadedDocument &doc) {
        writeDocumentJson(w, doc);
        report.annotations += doc.annotations.size();
        Status written = sink(buffer);
        buffer.clear();
        return written;
    });
    if (!st)
        return st;
    w.endArray();
    w.endObject();
    buffer.push_back('\n');
    return sink(buffer);
}

Status writeJsonLines(Store &store, const ExportOptions &options, const std::vector<std::int64_t> &ids,
                      const Sink &sink, ExportReport &report)
{
    return forEachDocument(store, options, ids, report, [&](const LoadedDocument &doc) {
        std::string line;
        JsonWriter w(line);
        writeDocumentJson(w, doc);
        line.push_back('\n');
        report.annotations += doc.annotations.size();
        return sink(line);
    });
}

// CSV -------------------------------------------------------------------------

void appendCsvField(std::string &out, std::string_view field)
{
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
        out += field;
        return;
    }
    out.push_back('"');
    for (const char c : field) {
        if (c == '"')
            out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
}

Status writeCsv(Store &store, const ExportOptions &options, const std::vector<std::int64_t> &ids, const Sink &sink,
                ExportReport &report)
{
    if (auto st = sink("document_id,title,start,end,text,type,entity,origin,status,provenance,confidence\r\n"); !st)
        return st;
    return forEachDocument(store, options, ids, report, [&](const LoadedDocument &doc) {
        const text::OffsetIndex index(doc.document.text);
        std::string rows;
        for (const Annotation &a : doc.annotations) {
            const std::string documentId = std::to_string(doc.document.id);
            const std::string start = std::to_string(a.start);
            const std::string end = std::to_string(a.end);
            const std::string confidence = a.confidence ? confidenceText(*a.confidence) : std::string();
            const std::string_view fields[] = {
                documentId,
                doc.document.title,
                start,
                end,
                index.slice(static_cast<std::size_t>(a.start), static_cast<std::size_t>(a.end)),
                a.type,
                a.entityId != 0 ? std::string_view(a.entityName) : std::string_view(),
                toString(a.origin),
                toString(a.status),
                a.provenance,
                confidence,
            };
            for (std::size_t i = 0; i < std::size(fields); ++i) {
                if (i > 0)
                    rows.push_back(',');
                appendCsvField(rows, fields[i]);
            }
            rows += "\r\n";
        }
        report.annotations += doc.annotations.size();
        return sink(rows);
    });
}

// CoNLL -----------------------------------------------------------------------

struct BreakIteratorCloser {
    void operator()(UBreakIterator *it) const { ubrk_close(it); }
};

// The text as ICU wants it, with the code-point offset of every UTF-16
// unit (and of the end) so that ICU's boundaries map back to Lede's
// offsets. The two units of a surrogate pair share their code point.
struct Utf16Text {
    std::u16string units;
    std::vector<std::size_t> codePointAt;
};

Result<Utf16Text> toUtf16(std::string_view utf8)
{
    if (utf8.size() > static_cast<std::size_t>(INT32_MAX) / 2)
        return makeError("the text is too large to split into tokens");
    Utf16Text out;
    out.units.reserve(utf8.size());
    out.codePointAt.reserve(utf8.size() + 1);
    const auto *s = reinterpret_cast<const std::uint8_t *>(utf8.data());
    const auto n = static_cast<std::int32_t>(utf8.size());
    std::int32_t i = 0;
    std::size_t cp = 0;
    while (i < n) {
        UChar32 c;
        U8_NEXT(s, i, n, c);
        if (c < 0)
            c = 0xFFFD;
        if (c <= 0xFFFF) {
            out.units.push_back(static_cast<char16_t>(c));
            out.codePointAt.push_back(cp);
        } else {
            out.units.push_back(static_cast<char16_t>(U16_LEAD(c)));
            out.units.push_back(static_cast<char16_t>(U16_TRAIL(c)));
            out.codePointAt.push_back(cp);
            out.codePointAt.push_back(cp);
        }
        ++cp;
    }
    out.codePointAt.push_back(cp);
    return out;
}

// All boundaries of one kind, from 0 to the end of the text.
Result<std::vector<std::int32_t>> boundaries(UBreakIteratorType kind, const char *locale, const std::u16string &text)
{
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UBreakIterator, BreakIteratorCloser> it(
        ubrk_open(kind, locale, reinterpret_cast<const UChar *>(text.data()), static_cast<std::int32_t>(text.size()),
                  &status));
    if (U_FAILURE(status))
        return makeError(std::string("ICU cannot split the text: ") + u_errorName(status));
    std::vector<std::int32_t> out;
    for (std::int32_t b = ubrk_first(it.get()); b != UBRK_DONE; b = ubrk_next(it.get()))
        out.push_back(b);
    return out;
}

bool isBlank(UChar32 c) { return u_isUWhiteSpace(c) || c == 0x200B || c == 0x2060 || c == 0xFEFF; }

void appendUtf8(std::string &out, UChar32 c)
{
    if (c < 0x80) {
        out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (c >> 12)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (c >> 18)));
        out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

struct Token {
    std::int32_t begin16 = 0;
    std::int32_t end16 = 0;
    std::size_t begin = 0; // code points
    std::size_t end = 0;
    std::size_t sentence = 0;
};

// Appends one document in CoNLL-2003 layout and returns how many of its
// annotations made it into the tags.
Result<std::size_t> appendConllDocument(std::string &out, const LoadedDocument &loaded)
{
    out += "-DOCSTART- -X- -X- O\n\n";
    LEDE_TRY_ASSIGN(auto text, toUtf16(loaded.document.text));
    const std::u16string &units = text.units;
    LEDE_TRY_ASSIGN(auto words, boundaries(UBRK_WORD, "en", units));
    // "ss=standard" makes ICU keep sentences together after common
    // abbreviations such as "Mr." and "U.S.", which the plain rules split.
    LEDE_TRY_ASSIGN(auto sentences, boundaries(UBRK_SENTENCE, "en@ss=standard", units));

    std::vector<Token> tokens;
    std::size_t sentence = 0;
    for (std::size_t k = 0; k + 1 < words.size(); ++k) {
        const std::int32_t begin = words[k];
        const std::int32_t end = words[k + 1];
        bool blank = true;
        for (std::int32_t i = begin; i < end && blank;) {
            UChar32 c;
            U16_NEXT(units.data(), i, end, c);
            blank = isBlank(c);
        }
        if (blank)
            continue;
        while (sentence + 2 < sentences.size() && sentences[sentence + 1] <= begin)
            ++sentence;
        tokens.push_back({begin, end, text.codePointAt[static_cast<std::size_t>(begin)],
                          text.codePointAt[static_cast<std::size_t>(end)], sentence});
    }

    // Each token gets at most one annotation: one that overlaps it. Taking
    // annotations by start, longer first, and dropping any that shares a
    // token with one already placed, the earlier-starting (then longer)
    // one wins and every placed annotation is a clean run of tokens.
    std::vector<const Annotation *> ordered;
    ordered.reserve(loaded.annotations.size());
    for (const Annotation &a : loaded.annotations)
        ordered.push_back(&a);
    std::stable_sort(ordered.begin(), ordered.end(), [](const Annotation *x, const Annotation *y) {
        return x->start != y->start ? x->start < y->start : x->end > y->end;
    });
    std::vector<const Annotation *> owner(tokens.size(), nullptr);
    std::size_t placed = 0;
    std::size_t claimedUpTo = 0; // tokens before this index are taken
    for (const Annotation *a : ordered) {
        const auto start = static_cast<std::size_t>(a->start);
        const auto end = static_cast<std::size_t>(a->end);
        const auto first = static_cast<std::size_t>(
            std::partition_point(tokens.begin(), tokens.end(), [&](const Token &t) { return t.end <= start; })
            - tokens.begin());
        if (first == tokens.size() || tokens[first].begin >= end || first < claimedUpTo)
            continue;
        std::size_t last = first;
        while (last + 1 < tokens.size() && tokens[last + 1].begin < end)
            ++last;
        for (std::size_t k = first; k <= last; ++k)
            owner[k] = a;
        claimedUpTo = last + 1;
        ++placed;
    }

    for (std::size_t k = 0; k < tokens.size(); ++k) {
        const Token &t = tokens[k];
        const bool newSentence = k == 0 || tokens[k - 1].sentence != t.sentence;
        if (k > 0 && newSentence)
            out.push_back('\n');
        // A token never holds white space (the word iterator keeps it in
        // segments of its own), but a stray one would break the columns.
        for (std::int32_t i = t.begin16; i < t.end16;) {
            UChar32 c;
            U16_NEXT(units.data(), i, t.end16, c);
            if (isBlank(c))
                out.push_back('_');
            else
                appendUtf8(out, c);
        }
        out += " -X- _ ";
        if (!owner[k]) {
            out.push_back('O');
        } else {
            // IOB2: every run starts with B-, also when an annotation goes on
            // past a sentence break.
            out += newSentence || owner[k - 1] != owner[k] ? "B-" : "I-";
            out += owner[k]->type;
        }
        out.push_back('\n');
    }
    if (!tokens.empty())
        out.push_back('\n');
    return placed;
}

Status writeConll(Store &store, const ExportOptions &options, const std::vector<std::int64_t> &ids, const Sink &sink,
                  ExportReport &report)
{
    return forEachDocument(store, options, ids, report, [&](const LoadedDocument &doc) -> Status {
        std::string block;
        auto placed = appendConllDocument(block, doc);
        if (!placed)
            return makeError("document " + std::to_string(doc.document.id) + ": " + placed.message());
        report.annotations += *placed;
        return sink(block);
    });
}

Status writeSingleFile(Store &store, const ExportOptions &options, const std::vector<std::int64_t> &ids,
                       const Sink &sink, ExportReport &report)
{
    switch (options.format) {
    case ExportFormat::Json:
        return writeJson(store, options, ids, sink, report);
    case ExportFormat::JsonLines:
        return writeJsonLines(store, options, ids, sink, report);
    case ExportFormat::Conll:
        return writeConll(store, options, ids, sink, report);
    case ExportFormat::Csv:
        return writeCsv(store, options, ids, sink, report);
    case ExportFormat::Brat:
        break;
    }
    return makeError("brat writes a folder; give --out");
}

// brat ------------------------------------------------------------------------

std::string oneLine(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
    return out;
}

// The standoff lines for one document. brat counts offsets in code points
// (Python str indices), as Lede does. A text-bound annotation may not
// cross a line break, so one that does becomes a discontinuous annotation
// of its lines' fragments, whose text brat expects to be the fragments
// joined by single spaces.
std::string bratAnnotations(const LoadedDocument &loaded, std::size_t &written)
{
    const text::OffsetIndex index(loaded.document.text);
    std::string out;
    std::size_t textBound = 0;
    std::size_t notes = 0;
    for (const Annotation &a : loaded.annotations) {
        const auto start = static_cast<std::size_t>(a.start);
        const std::string_view covered = index.slice(start, static_cast<std::size_t>(a.end));
        std::string spans;
        std::string quoted;
        std::size_t cp = start;
        std::size_t fragmentCp = start;
        std::size_t fragmentByte = 0;
        auto closeFragment = [&](std::size_t endCp, std::size_t endByte) {
            if (endCp == fragmentCp)
                return;
            if (!spans.empty()) {
                spans.push_back(';');
                quoted.push_back(' ');
            }
            spans += std::to_string(fragmentCp) + ' ' + std::to_string(endCp);
            quoted += covered.substr(fragmentByte, endByte - fragmentByte);
        };
        for (std::size_t b = 0; b < covered.size(); ++b) {
            const auto c = static_cast<unsigned char>(covered[b]);
            if ((c & 0xC0) == 0x80)
                continue;
            if (c == '\n') {
                closeFragment(cp, b);
                fragmentCp = cp + 1;
                fragmentByte = b + 1;
            }
            ++cp;
        }
        closeFragment(cp, covered.size());
        if (spans.empty())
            continue; // nothing but line breaks: brat cannot show it
        ++textBound;
        ++written;
        const std::string id = "T" + std::to_string(textBound);
        out += id + '\t' + a.type + ' ' + spans + '\t' + quoted + '\n';
        if (a.entityId != 0) {
            ++notes;
            out += "N" + std::to_string(notes) + "\tReference " + id + " Lede:" + std::to_string(a.entityId) + '\t'
                   + oneLine(a.entityName) + '\n';
        }
    }
    return out;
}

Status writeBrat(Store &store, const ExportOptions &options, const std::vector<std::int64_t> &ids,
                 const std::string &folder, ExportReport &report)
{
    std::error_code ec;
    const fs::path root(folder);
    if (fs::exists(root, ec) && !fs::is_directory(root, ec))
        return makeError("cannot write brat files into " + folder + ": it is not a folder");
    fs::create_directories(root, ec);
    if (ec)
        return makeError("cannot create the folder " + folder + ": " + ec.message());

    LEDE_TRY_ASSIGN(auto types, store.types());
    std::string conf = "# Entity types exported by Lede.\n[entities]\n";
    for (const EntityType &t : types)
        conf += t.name + '\n';
    conf += "\n[relations]\n\n[events]\n\n[attributes]\n";
    const std::string confPath = (root / "annotation.conf").string();
    if (auto st = files::writeFileAtomically(confPath, conf, files::Links::Replace); !st)
        return st;
    report.files.push_back(confPath);

    return forEachDocument(store, options, ids, report, [&](const LoadedDocument &doc) -> Status {
        const std::string stem = fileStemFor(doc.document.id, doc.document.title);
        const std::string txtPath = (root / (stem + ".txt")).string();
        const std::string annPath = (root / (stem + ".ann")).string();
        if (auto st = files::writeFileAtomically(txtPath, doc.document.text, files::Links::Replace); !st)
            return st;
        report.files.push_back(txtPath);
        if (auto st = files::writeFileAtomically(annPath, bratAnnotations(doc, report.annotations), files::Links::Replace); !st)
            return st;
        report.files.push_back(annPath);
        return {};
    });
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
    const Sink sink = [&out](std::string_view bytes) -> Status {
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out)
            return makeError("cannot write the export: the output stream failed");
        return {};
    };
    ExportReport report;
    LEDE_TRY(writeSingleFile(store, options, ids, sink, report));
    if (!out.flush())
        return makeError("cannot write the export: the output stream failed");
    return report;
}

Result<ExportReport> exportToPath(Store &store, const ExportOptions &options, const std::string &path)
{
    const ReadSnapshot snapshot = store.snapshot();
    LEDE_TRY_ASSIGN(auto ids, resolveDocuments(store, options));
    ExportReport report;
    if (options.format == ExportFormat::Brat) {
        LEDE_TRY(writeBrat(store, options, ids, path, report));
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
    const Sink sink = [&file](std::string_view bytes) { return file->write(bytes); };
    LEDE_TRY(writeSingleFile(store, options, ids, sink, report));
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
