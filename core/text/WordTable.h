#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lede {

/// An open-addressing hash map from UTF-16 words to 32-bit values, with
/// every key in one arena: the tagger probes it once per token, so it must
/// not allocate on look-up. Keys are compared after their stored hash.
class WordTable {
public:
    static constexpr std::uint32_t kMissing = 0xFFFFFFFFu;

    std::uint32_t find(std::u16string_view key) const
    {
        if (m_slots.empty())
            return kMissing;
        return probe(key, hash(key));
    }
    /// Looks up `count` keys at once, `key(i)` giving the i-th, into
    /// `out`. The slots of all are asked of memory first, so that the
    /// cache misses of a long text overlap instead of queueing.
    template <typename KeyAt>
    void findMany(std::size_t count, KeyAt key, std::uint32_t *out) const
    {
        if (m_slots.empty()) {
            std::fill(out, out + count, kMissing);
            return;
        }
        thread_local std::vector<std::uint64_t> hashes;
        hashes.resize(count);
        for (std::size_t k = 0; k < count; ++k) {
            hashes[k] = hash(key(k));
            __builtin_prefetch(&m_slots[hashes[k] & m_mask]);
        }
        // Then the stored keys of the slots whose hash matches, which the
        // comparison reads.
        for (std::size_t k = 0; k < count; ++k) {
            const Slot &s = m_slots[hashes[k] & m_mask];
            if (s.hash == hashes[k])
                __builtin_prefetch(m_arena.data() + s.offset);
        }
        for (std::size_t k = 0; k < count; ++k)
            out[k] = probe(key(k), hashes[k]);
    }
    /// Inserts `key` with `value`, or returns the slot's value unchanged
    /// when the key is present. Returns a reference to the stored value.
    std::uint32_t &insert(std::u16string_view key, std::uint32_t value)
    {
        if ((m_count + 1) * 2 > m_slots.size())
            grow();
        const std::uint64_t h = hash(key);
        std::size_t i = h & m_mask;
        for (;; i = (i + 1) & m_mask) {
            Slot &s = m_slots[i];
            if (s.hash == 0)
                break;
            if (s.hash == h && std::u16string_view(m_arena).substr(s.offset, s.length) == key)
                return s.value;
        }
        m_slots[i] = {h, static_cast<std::uint32_t>(m_arena.size()), static_cast<std::uint32_t>(key.size()), value};
        m_arena.append(key);
        ++m_count;
        return m_slots[i].value;
    }

    std::size_t size() const { return m_count; }

private:
    // The value of `key`, whose hash is `h`, or kMissing; the table is not empty.
    std::uint32_t probe(std::u16string_view key, std::uint64_t h) const
    {
        for (std::size_t i = h & m_mask;; i = (i + 1) & m_mask) {
            const Slot &s = m_slots[i];
            if (s.hash == 0)
                return kMissing;
            if (s.hash == h && std::u16string_view(m_arena).substr(s.offset, s.length) == key)
                return s.value;
        }
    }

    struct Slot {
        std::uint64_t hash = 0; // 0 marks an empty slot
        std::uint32_t offset = 0;
        std::uint32_t length = 0;
        std::uint32_t value = 0;
    };

    static std::uint64_t hash(std::u16string_view s)
    {
        std::uint64_t h = 1469598103934665603ull;
        for (const char16_t c : s) {
            h ^= c;
            h *= 1099511628211ull;
        }
        return h ? h : 1;
    }

    void grow()
    {
        std::vector<Slot> old = std::move(m_slots);
        m_slots.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
        m_mask = m_slots.size() - 1;
        for (const Slot &s : old) {
            if (s.hash == 0)
                continue;
            std::size_t i = s.hash & m_mask;
            while (m_slots[i].hash != 0)
                i = (i + 1) & m_mask;
            m_slots[i] = s;
        }
    }

    std::vector<Slot> m_slots;
    std::size_t m_mask = 0;
    std::size_t m_count = 0;
    std::u16string m_arena;
};

} // namespace lede
