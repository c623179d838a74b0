#pragma once

#include <QString>

namespace lede::ui {

/// The folder of sample articles that ships with Lede: beside the
/// executable once installed (../share/lede/samples), at the install
/// prefix it was built for, or in the source tree it was built from.
/// Empty when none of them exists.
QString bundledSamplesDir();

/// Loads the compiled-in resources (icons) of the lede_ui library; call
/// once from main() before creating windows.
void initResources();

} // namespace lede::ui
