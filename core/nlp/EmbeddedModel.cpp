// The name model (resources/models/lede-ner.model) as bytes of lede_core.
// It is binary and megabytes large, so it goes in with the assembler's
// .incbin rather than as an array in generated C++ (see EmbedFiles.cmake),
// which would take the compiler much longer and much more memory.
#include "core/nlp/EmbeddedResources.h"

#ifndef LEDE_NER_MODEL_PATH
#error "LEDE_NER_MODEL_PATH names the model file to embed (see core/CMakeLists.txt)"
#endif

asm(".section .rodata\n"
    ".balign 16\n"
    ".global lede_ner_model_begin\n"
    "lede_ner_model_begin:\n"
    ".incbin \"" LEDE_NER_MODEL_PATH "\"\n"
    ".global lede_ner_model_end\n"
    "lede_ner_model_end:\n"
    ".byte 0\n"
    ".previous\n");

extern "C" const char lede_ner_model_begin[];
extern "C" const char lede_ner_model_end[];

namespace lede::resources {

std::string_view nerModel()
{
    return {lede_ner_model_begin, static_cast<std::size_t>(lede_ner_model_end - lede_ner_model_begin)};
}

} // namespace lede::resources
