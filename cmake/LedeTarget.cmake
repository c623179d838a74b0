# One place that sets the language level, warnings and sanitizers for every
# Lede target, so that no target can drift from the others.
function(lede_configure_target target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(LEDE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(LEDE_FUZZ)
    # Coverage for libFuzzer in every target, address and undefined-behaviour
    # checks so that the fuzzers find memory errors, not just crashes.
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
  if(LEDE_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      # GCC 12's flow analysis, misled by the sanitizers' instrumentation,
      # reports members of libstdc++'s own <regex> (used by Catch2) as
      # maybe uninitialised. The other builds keep this warning.
      target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
    endif()
  endif()
endfunction()

# For targets that use Qt (ui/, the GUI, its tests): everything above plus
# moc and Qt's stricter string rules, so that no char* turns into a QString
# without saying which encoding it is in. core/ never calls this.
function(lede_configure_qt_target target)
  lede_configure_target(${target})
  set_target_properties(${target} PROPERTIES AUTOMOC ON AUTORCC ON)
  target_compile_definitions(${target} PRIVATE
    QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_URL_CAST_FROM_STRING QT_NO_NARROWING_CONVERSIONS_IN_CONNECT QT_NO_FOREACH)
endfunction()
