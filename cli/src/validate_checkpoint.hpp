// validate_checkpoint.hpp — `nninit validate CHECKPOINT --spec SPEC.json`:
// every tensor of a .safetensors checkpoint against its entry of a model
// spec (names, shapes, dtypes, and the law of its initializer), one tensor
// in memory at a time, reported as text, --json and JUnit XML (--junit FILE).
#pragma once

#include "arguments.hpp"

namespace nninit::cli {

// Runs the command on already parsed arguments (positionals: the checkpoint;
// --spec, --alpha, --json, --junit, --no-progress). Returns 0 when every
// tensor passes, 1 when one fails or is missing (or extra); throws
// UsageError / FileError (exit 2) on bad arguments, a bad spec or a bad file.
int validate_checkpoint_command(const ParsedArguments& arguments);

}  // namespace nninit::cli
