#pragma once

#include "core/nlp/EntityTagger.h"
#include "core/base/Result.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace lede {

struct EvalCounts {
    std::size_t tp = 0;
    std::size_t fp = 0;
    std::size_t fn = 0;

    double precision() const { return tp + fp ? double(tp) / double(tp + fp) : 0.0; }
    double recall() const { return tp + fn ? double(tp) / double(tp + fn) : 0.0; }
    double f1() const
    {
        const double p = precision(), r = recall();
        return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
    }
};

/// Tagger accuracy against gold files, scored as ../shared/eval/score.py
/// does: exact span and type, each distinct (start, end, type) once.
struct EvalReport {
    std::map<std::string, EvalCounts> byType;
    std::size_t documents = 0;
    std::vector<std::string> failures;      // "file: reason" for texts that could not be read
    std::vector<std::string> withoutGold;   // texts with no gold file
    std::map<std::string, std::vector<TaggedSpan>> predictions; // by source file name
    std::uint64_t bytes = 0;
    double seconds = 0;

    /// Micro-averaged counts over `types`.
    EvalCounts micro(const std::vector<std::string> &types) const;
};

/// The four types the micro-F1 is reported over.
const std::vector<std::string> &missionTypes();

/// Imports every *.txt of `folder` into a temporary in-memory store with
/// tagging on, and compares each document's suggestions with the
/// `*.gold.json` beside it (format in the annotation guidelines).
Result<EvalReport> evaluateFolder(const std::string &folder);

} // namespace lede
