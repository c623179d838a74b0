#pragma once

#include <string_view>

// Data files compiled into lede_core (see cmake/EmbedFiles.cmake), so the
// CLI, the GUI and the tests find them wherever they run from.
namespace lede::resources {

/// resources/gazetteers/lede.tsv: the built-in names of entities.
std::string_view gazetteerTsv();
/// resources/gazetteers/given-names.txt: one given name a line.
std::string_view givenNames();
/// resources/gazetteers/common-words.txt: lower-case common words.
std::string_view commonWords();
/// resources/lexicons/word-classes.txt: the tagger's word classes.
std::string_view wordClasses();
/// resources/models/lede-ner.model: the name model (ner::Model::load).
std::string_view nerModel();

} // namespace lede::resources
