#include "core/io/export/FormatWriter.h"

#include "core/base/Files.h"
#include "core/text/Text.h"

#include <filesystem>
#include <system_error>
#include <utility>

namespace fs = std::filesystem;

namespace lede::exporting {

namespace {

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
// joined by single spaces. The lines go to `sink` some 64 KB at a time.
Status standoff(const ExportedDocument &exported, std::size_t &written, const Sink &sink)
{
    constexpr std::size_t kPiece = 64 * 1024;
    const text::OffsetIndex index(exported.document.text);
    std::string out;
    std::size_t textBound = 0;
    std::size_t notes = 0;
    LEDE_TRY(exported.forEachAnnotation([&](const Annotation &a) -> Status {
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
            return {}; // nothing but line breaks: brat cannot show it
        ++textBound;
        ++written;
        const std::string id = "T" + std::to_string(textBound);
        out += id + '\t' + a.type + ' ' + spans + '\t' + quoted + '\n';
        if (a.entityId != 0) {
            ++notes;
            out += "N" + std::to_string(notes) + "\tReference " + id + " Lede:" + std::to_string(a.entityId) + '\t'
                   + oneLine(a.entityName) + '\n';
        }
        if (out.size() < kPiece)
            return {};
        const Status sent = sink(out);
        out.clear();
        return sent;
    }));
    return out.empty() ? Status{} : sink(out);
}

class Brat final : public FormatWriter {
public:
    explicit Brat(std::string folder) : m_folder(std::move(folder)), m_root(m_folder) {}

    Status begin(const std::vector<EntityType> &types, ExportReport &report) override
    {
        std::error_code ec;
        if (fs::exists(m_root, ec) && !fs::is_directory(m_root, ec))
            return makeError("cannot write brat files into " + m_folder + ": it is not a folder",
                             ErrorKind::InvalidInput);
        fs::create_directories(m_root, ec);
        if (ec)
            return makeError("cannot create the folder " + m_folder + ": " + ec.message(), files::errorKind(ec.value()));
        std::string conf = "# Entity types exported by Lede.\n[entities]\n";
        for (const EntityType &t : types)
            conf += t.name + '\n';
        conf += "\n[relations]\n\n[events]\n\n[attributes]\n";
        return write("annotation.conf", conf, report);
    }

    Status document(const ExportedDocument &exported, ExportReport &report) override
    {
        const std::string stem = fileStemFor(exported.document.id, exported.document.title);
        LEDE_TRY(write(stem + ".txt", exported.document.text, report));
        const std::string annPath = (m_root / (stem + ".ann")).string();
        LEDE_TRY_ASSIGN(auto ann, files::OutputFile::create(annPath, files::Links::Replace));
        LEDE_TRY(standoff(exported, report.annotations, [&](std::string_view piece) { return ann->write(piece); }));
        LEDE_TRY(ann->commit());
        report.files.push_back(annPath);
        return {};
    }

    Status end(ExportReport &) override { return {}; }

private:
    Status write(const std::string &name, std::string_view content, ExportReport &report)
    {
        const std::string path = (m_root / name).string();
        LEDE_TRY(files::writeFileAtomically(path, content, files::Links::Replace));
        report.files.push_back(path);
        return {};
    }

    std::string m_folder;
    fs::path m_root;
};

} // namespace

std::unique_ptr<FormatWriter> bratWriter(std::string folder) { return std::make_unique<Brat>(std::move(folder)); }

} // namespace lede::exporting
