#include "core/io/export/FormatWriter.h"

#include "core/text/Text.h"

#include <charconv>
#include <iterator>
#include <utility>

namespace lede::exporting {

namespace {

// A confidence as a field: thousandths, as stored ("0.873").
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

void appendField(std::string &out, std::string_view field)
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

class Csv final : public FormatWriter {
public:
    explicit Csv(Sink sink) : m_sink(std::move(sink)) {}

    Status begin(const std::vector<EntityType> &, ExportReport &) override
    {
        return m_sink("document_id,title,start,end,text,type,entity,origin,status,provenance,confidence\r\n");
    }

    Status document(const ExportedDocument &exported, ExportReport &report) override
    {
        const Document &d = exported.document;
        const text::OffsetIndex index(d.text);
        const std::string documentId = std::to_string(d.id);
        std::string rows;
        LEDE_TRY(exported.forEachAnnotation([&](const Annotation &a) -> Status {
            const std::string start = std::to_string(a.start);
            const std::string end = std::to_string(a.end);
            const std::string confidence = a.confidence ? confidenceText(*a.confidence) : std::string();
            const std::string_view fields[] = {
                documentId,
                d.title,
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
                appendField(rows, fields[i]);
            }
            rows += "\r\n";
            // A document with hundreds of thousands of annotations goes
            // out in pieces rather than as one string.
            ++report.annotations;
            if (rows.size() >= (256u << 10)) {
                LEDE_TRY(m_sink(rows));
                rows.clear();
            }
            return {};
        }));
        return m_sink(rows);
    }

    Status end(ExportReport &) override { return {}; }

private:
    Sink m_sink;
};

} // namespace

std::unique_ptr<FormatWriter> csvWriter(Sink sink) { return std::make_unique<Csv>(std::move(sink)); }

} // namespace lede::exporting
