#include "core/store/Domain.h"

#include <catch2/catch.hpp>

#include <string>

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
