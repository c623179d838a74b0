#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lede::bench {

/// Deterministic generator of news-like English articles with a realistic
/// density of company, person, nation and attack names, for benchmarks.
class ArticleGenerator {
public:
    explicit ArticleGenerator(std::uint64_t seed) : m_state(seed * 2654435761u + 1) {}

    /// An article of about `bytes` bytes: a headline, a blank line, then
    /// paragraphs of sentences.
    std::string article(std::size_t bytes)
    {
        std::string out = sentence(false);
        out.pop_back(); // headlines carry no full stop
        out += "\n\n";
        std::size_t paragraph = 0;
        while (out.size() < bytes) {
            out += sentence(true);
            if (++paragraph % 4 == 0)
                out += "\n\n";
            else
                out += ' ';
        }
        out += '\n';
        return out;
    }

private:
    std::uint64_t next()
    {
        m_state ^= m_state << 13;
        m_state ^= m_state >> 7;
        m_state ^= m_state << 17;
        return m_state;
    }

    template <typename T>
    const T &pick(const std::vector<T> &v) { return v[next() % v.size()]; }

    std::string sentence(bool withNames)
    {
        static const std::vector<std::string> words = {
            "the", "of", "and", "to", "a", "in", "that", "said", "for", "on", "was", "with", "security", "network",
            "systems", "attack", "officials", "government", "company", "data", "researchers", "software", "report",
            "week", "last", "year", "customers", "hackers", "infrastructure", "according", "statement", "investigation",
            "malware", "ransomware", "servers", "computers", "breach", "million", "dollars", "public", "agency",
            "intelligence", "spokesman", "response", "vulnerability", "patch", "update", "critical", "warned",
            "affected", "thousands", "hospitals", "banks", "shipping", "energy", "grid", "campaign", "operators",
            "tools", "stolen", "credentials", "email", "phishing", "access", "accused", "sanctions", "Tuesday",
            "Monday", "analysts", "industry", "accord", "signed", "pledge", "defend", "users", "worldwide", "recovered",
            "within", "after", "before", "because", "while", "however", "also", "would", "could", "has", "been",
            "their", "its", "by", "from", "as", "an", "at", "it", "is", "not", "were", "this", "which", "more"};
        static const std::vector<std::string> names = {
            "Microsoft", "Cisco Systems", "Kaspersky", "Telefónica", "Maersk", "Merck", "FedEx", "Symantec",
            "Brad Smith", "Kevin Mandia", "Marcus Hutchins", "Ciaran Martin", "the United States", "Russia", "Britain",
            "North Korea", "Iran", "Ukrainian", "American", "Chinese", "WannaCry", "NotPetya", "Stuxnet", "EternalBlue",
            "Mirai", "Emotet", "the N.S.A.", "Europol", "the Lazarus Group", "Fancy Bear", "Google", "Hewlett-Packard"};
        std::string s;
        const std::size_t length = 12 + next() % 14;
        for (std::size_t i = 0; i < length; ++i) {
            std::string w = withNames && next() % 9 == 0 ? pick(names) : pick(words);
            if (i == 0 && w[0] >= 'a' && w[0] <= 'z')
                w[0] = static_cast<char>(w[0] - 'a' + 'A');
            s += w;
            s += (i + 1 < length && next() % 11 == 0) ? ", " : " ";
        }
        s.back() = '.';
        return s;
    }

    std::uint64_t m_state;
};

} // namespace lede::bench
