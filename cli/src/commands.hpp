// commands.hpp — the sub-commands of the nninit CLI. Each takes the whole
// argv and the index of its first own argument, prints its output to stdout,
// and returns the exit status (0 success; 1 validate's FAIL verdict). Errors
// are thrown: UsageError and std::invalid_argument (bad arguments), FileError
// (bad or unwritable files); main() reports them with exit status 2.
#pragma once

namespace nninit::cli {

int fill_command(int argc, char** argv, int first);
int stats_command(int argc, char** argv, int first);
int validate_command(int argc, char** argv, int first);
int inits_command(int argc, char** argv, int first);
int init_command(int argc, char** argv, int first);

}  // namespace nninit::cli
