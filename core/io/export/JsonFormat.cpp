#include "core/io/export/FormatWriter.h"

#include "core/io/Json.h"
#include "core/text/Text.h"

#include <algorithm>
#include <utility>

namespace lede::exporting {

namespace {

// Code points of context on each side of an annotation, as a W3C
// TextQuoteSelector's prefix and suffix.
constexpr std::size_t kQuoteContext = 32;

void writeAnnotation(JsonWriter &w, const Annotation &a, const text::OffsetIndex &index)
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

// Output held before it goes to the sink: a document with hundreds of
// thousands of annotations is written in pieces, not built whole.
constexpr std::size_t kFlushBytes = 256u << 10;

Status flushLarge(std::string &buffer, const Sink &sink)
{
    if (buffer.size() < kFlushBytes)
        return {};
    Status written = sink(buffer);
    buffer.clear();
    return written;
}

// Writes through `w` into `buffer`, handing `sink` what has grown large.
Status writeDocument(JsonWriter &w, std::string &buffer, const Sink &sink, const ExportedDocument &exported,
                     std::size_t &written)
{
    const Document &d = exported.document;
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
    w.key("text");
    LEDE_TRY(w.value(d.text, [&] { return flushLarge(buffer, sink); }));
    w.key("annotations").beginArray();
    LEDE_TRY(exported.forEachAnnotation([&](const Annotation &a) {
        writeAnnotation(w, a, index);
        ++written;
        return flushLarge(buffer, sink);
    }));
    w.endArray();
    w.endObject();
    return {};
}

// One object: the format, the types, then the documents' array, which is
// flushed and cleared after each document (the JSON writer only appends
// and keeps its comma state itself).
class Json final : public FormatWriter {
public:
    explicit Json(Sink sink) : m_sink(std::move(sink)) {}

    Status begin(const std::vector<EntityType> &types, ExportReport &) override
    {
        m_w.beginObject();
        m_w.key("format").value("lede.corpus/1");
        m_w.key("exported_at").value(text::nowIso8601());
        m_w.key("types").beginArray();
        for (const EntityType &t : types) {
            m_w.beginObject();
            m_w.key("name").value(t.name);
            m_w.key("color").value(t.color);
            m_w.key("shortcut").value(t.shortcut);
            m_w.endObject();
        }
        m_w.endArray();
        m_w.key("documents").beginArray();
        return flush();
    }

    Status document(const ExportedDocument &exported, ExportReport &report) override
    {
        LEDE_TRY(writeDocument(m_w, m_buffer, m_sink, exported, report.annotations));
        return flush();
    }

    Status end(ExportReport &) override
    {
        m_w.endArray();
        m_w.endObject();
        m_buffer.push_back('\n');
        return flush();
    }

private:
    Status flush()
    {
        Status written = m_sink(m_buffer);
        m_buffer.clear();
        return written;
    }

    Sink m_sink;
    std::string m_buffer;
    JsonWriter m_w{m_buffer};
};

class JsonLines final : public FormatWriter {
public:
    explicit JsonLines(Sink sink) : m_sink(std::move(sink)) {}

    Status begin(const std::vector<EntityType> &, ExportReport &) override { return {}; }

    Status document(const ExportedDocument &exported, ExportReport &report) override
    {
        std::string line;
        JsonWriter w(line);
        LEDE_TRY(writeDocument(w, line, m_sink, exported, report.annotations));
        line.push_back('\n');
        return m_sink(line);
    }

    Status end(ExportReport &) override { return {}; }

private:
    Sink m_sink;
};

} // namespace

std::unique_ptr<FormatWriter> jsonWriter(Sink sink) { return std::make_unique<Json>(std::move(sink)); }

std::unique_ptr<FormatWriter> jsonLinesWriter(Sink sink) { return std::make_unique<JsonLines>(std::move(sink)); }

} // namespace lede::exporting
