// The data-driven tagger cases of tests/core/tagger-cases (see its README):
// the shipped tagger on small texts, with every name it must find, and no
// other.

#include "core/nlp/EntityTagger.h"
#include "core/text/Text.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace lede;
namespace fs = std::filesystem;

namespace {

struct TaggerCase {
    std::string name;
    std::string text;
    std::vector<std::string> expected; // "surface\tTYPE" or "surface\tTYPE\tentity"
};

TaggerCase readCase(const fs::path &path)
{
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    TaggerCase c;
    c.name = path.filename().string();
    std::string line;
    bool inText = true;
    bool started = false;
    while (std::getline(in, line)) {
        if (inText) {
            if (!started && line.rfind("#", 0) == 0)
                continue;
            if (line == "---") {
                inText = false;
                continue;
            }
            started = true;
            c.text += line + "\n";
        } else if (!line.empty()) {
            c.expected.push_back(line);
        }
    }
    INFO(c.name);
    REQUIRE_FALSE(inText); // the file has its "---"
    return c;
}

std::vector<std::string> found(EntityTagger &tagger, const std::string &text)
{
    std::vector<std::string> out;
    std::size_t previousEnd = 0;
    const std::size_t length = text::codePointCount(text);
    for (const TaggedSpan &s : tagger.tag(text)) {
        CHECK(s.start >= previousEnd); // sorted, never overlapping
        CHECK(s.end > s.start);
        CHECK(s.end <= length);
        previousEnd = s.end;
        const std::string surface(text::sliceCodePoints(text, s.start, s.end));
        out.push_back(surface + "\t" + s.type + (s.entity == surface ? "" : "\t" + s.entity));
    }
    return out;
}

} // namespace

TEST_CASE("the shipped tagger finds every name of each tagger case, and no other", "[tagger][cases]")
{
    const fs::path folder = fs::path(LEDE_TAGGER_CASES_DIR);
    std::vector<fs::path> files;
    for (const auto &entry : fs::directory_iterator(folder))
        if (entry.path().extension() == ".txt")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 10);

    auto tagger = EntityTagger::createDefault();
    REQUIRE(tagger.ok());
    for (const fs::path &file : files) {
        const TaggerCase c = readCase(file);
        INFO(c.name << ": " << c.text);
        CHECK(found(**tagger, c.text) == c.expected);
    }
}
