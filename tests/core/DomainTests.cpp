#include "core/store/Domain.h"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

using namespace lede;

TEST_CASE("a type's name, colour and shortcut follow one set of rules", "[domain]")
{
    CHECK(entity_type::canonicalName("company") == "COMPANY");
    CHECK(entity_type::canonicalName("Threat-Actor_2") == "THREAT-ACTOR_2");
    CHECK(entity_type::canonicalName("é") == "é"); // ASCII only: refused by checkName anyway

    CHECK(entity_type::checkName("MALWARE").ok());
    CHECK(entity_type::checkName("threat-actor_2").ok());
    CHECK(entity_type::checkName(std::string(40, 'A')).ok());
    CHECK(entity_type::checkName(std::string(41, 'A')).message()
          == "type name '" + std::string(41, 'A') + "' must start with a letter and have at most 40 characters");
    CHECK_FALSE(entity_type::checkName("").ok());
    CHECK_FALSE(entity_type::checkName("2FA").ok());
    CHECK(entity_type::checkName("bad name").message() == "type name 'bad name' may hold only letters, digits, '_' and '-'");
    CHECK(entity_type::checkName("bad name").kind() == ErrorKind::InvalidInput);
    CHECK_FALSE(entity_type::checkName("CAFÉ").ok());

    CHECK(entity_type::checkColor("#1a2B3c").ok());
    CHECK(entity_type::canonicalColor("#1A2B3C") == "#1a2b3c");
    CHECK(entity_type::checkColor("1a2b3c").message() == "colour '1a2b3c' is not of the form #RRGGBB");
    CHECK_FALSE(entity_type::checkColor("#1a2b3").ok());
    CHECK_FALSE(entity_type::checkColor("#1a2b3g").ok());

    CHECK(entity_type::checkShortcut("").ok());
    CHECK(entity_type::checkShortcut("m").ok());
    CHECK(entity_type::checkShortcut("~").ok());
    CHECK(entity_type::checkShortcut("ab").message() == "shortcut 'ab' must be a single printable character");
    CHECK_FALSE(entity_type::checkShortcut(" ").ok());
    CHECK_FALSE(entity_type::checkShortcut("\t").ok());
}

TEST_CASE("the tagger's suggestions keep each name once and read back as annotations", "[domain]")
{
    Suggestions s;
    CHECK(s.empty());
    s.add(0, 6, "COMPANY", "Maersk", "gazetteer:sp500:MAERSK", 0.5f);
    s.add(10, 16, "COMPANY", "Maersk", "gazetteer:sp500:MAERSK", 0.25f);
    s.add(20, 28, "ATTACK", "NotPetya", "gazetteer:mitre-attack:S0368", 1.0f);
    s.add(30, 35, "COMPANY", "", "model", 0.75f);
    REQUIRE(s.size() == 4);
    const Suggestions copy = s; // a copy keeps its own names
    s = Suggestions{};
    const std::vector<NewAnnotation> all = copy.expanded();
    REQUIRE(all.size() == 4);
    CHECK(all[1].start == 10);
    CHECK(all[1].end == 16);
    CHECK(all[1].type == "COMPANY");
    CHECK(all[1].entityName == "Maersk");
    CHECK(all[1].provenance == "gazetteer:sp500:MAERSK");
    CHECK(all[1].confidence == 0.25);
    CHECK(all[1].origin == Origin::Auto);
    CHECK(all[1].status == AnnotationStatus::Suggested);
    CHECK(all[2].type == "ATTACK");
    CHECK(all[2].provenance == "gazetteer:mitre-attack:S0368");
    CHECK(all[3].entityName.empty());
    CHECK(all[3].provenance == "model");
    // One NewAnnotation reused for each takes every field anew.
    NewAnnotation reused = all[2];
    reused.typeColor = "#ff0000";
    reused.createdAt = 7;
    copy.get(3, reused);
    CHECK(reused.start == 30);
    CHECK(reused.entityName.empty());
    CHECK(reused.typeColor.empty());
    CHECK(reused.createdAt == 0);
    CHECK(copy[0].confidence == 0.5);
}

TEST_CASE("suggestions past one block of storage, copied and moved, keep every item", "[domain]")
{
    Suggestions s;
    constexpr std::uint32_t kCount = 20'000; // more than two blocks
    for (std::uint32_t i = 0; i < kCount; ++i)
        s.add(i * 10, i * 10 + 5, i % 2 ? "PERSON" : "COMPANY", "name " + std::to_string(i % 300), "model",
              static_cast<float>(i % 100) / 100.0f);
    REQUIRE(s.size() == kCount);
    const Suggestions copy = s;
    Suggestions moved = std::move(s);
    for (const Suggestions *each : {&copy, static_cast<const Suggestions *>(&moved)}) {
        REQUIRE(each->size() == kCount);
        for (std::uint32_t i : {0u, 8191u, 8192u, 16'383u, 16'384u, kCount - 1}) {
            const NewAnnotation a = (*each)[i];
            CHECK(a.start == i * 10);
            CHECK(a.end == i * 10 + 5);
            CHECK(a.type == (i % 2 ? "PERSON" : "COMPANY"));
            CHECK(a.entityName == "name " + std::to_string(i % 300));
            CHECK(*a.confidence == Approx(static_cast<float>(i % 100) / 100.0f));
        }
    }
    CHECK(copy.expanded().size() == kCount);
}

TEST_CASE("suggestions refuse a 65,537th type rather than mix types up", "[domain]")
{
    Suggestions s;
    for (int i = 0; i < 65'536; ++i)
        s.add(0, 1, "T" + std::to_string(i), "", "model", 1.0f);
    CHECK(s[65'535].type == "T65535");
    CHECK_THROWS_AS(s.add(0, 1, "one too many", "", "model", 1.0f), std::length_error);
    CHECK(s.size() == 65'536);
    s.add(2, 3, "T7", "", "model", 1.0f); // a type already named still goes in
    CHECK(s[65'536].type == "T7");
}
