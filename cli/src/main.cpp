// main.cpp — the nninit command-line tool: fill tensors into .npy files, print
// their statistics, and run the statistical validation battery on them.
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>

#include "arguments.hpp"
#include "commands.hpp"
#include "nninit/stream.hpp"
#include "nninit/version.hpp"
#include "npy.hpp"

namespace {

constexpr const char* usage_text =
    R"(usage: nninit <command> [options]

Reproducible neural-network weight initialisation from the command line.
Every value is a pure function of (seed, stream, element index, distribution,
dtype): the same command writes the same bits on every machine.

commands:
  fill       fill a tensor from an initializer or distribution, write a .npy file
  stats      print count, mean, std, min and max of a .npy file
  validate   run the statistical test battery on a .npy file (from any framework)
  inits      list the names --init accepts and their --param parameters
  init       fill every parameter of a model spec (JSON) into a .safetensors file

Run 'nninit <command> --help' for a command's options.
  nninit --version    print the version and the stream version

Exit status: 0 success (validate: PASS); 1 validate: FAIL;
2 bad arguments, unreadable or malformed files, or I/O errors.
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace nninit::cli;
  if (argc < 2) {
    std::fputs(usage_text, stderr);
    return 2;
  }
  const std::string_view command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(usage_text, stdout);
    return 0;
  }
  if (command == "--version" || command == "version") {
    std::printf("nninit %s (stream version %d)\n", nninit::version_string, nninit::stream_version);
    return 0;
  }
  const std::string prefix = "nninit " + std::string(command) + ": ";
  try {
    if (command == "fill") return fill_command(argc, argv, 2);
    if (command == "stats") return stats_command(argc, argv, 2);
    if (command == "validate") return validate_command(argc, argv, 2);
    if (command == "inits") return inits_command(argc, argv, 2);
    if (command == "init") return init_command(argc, argv, 2);
    std::fprintf(stderr,
                 "nninit: unknown command '%s' (commands: fill, stats, validate, inits, init; see nninit --help)\n",
                 argv[1]);
    return 2;
  } catch (const UsageError& error) {
    std::fprintf(stderr, "%s%s\n(see 'nninit %s --help')\n", prefix.c_str(), error.what(), argv[1]);
  } catch (const FileError& error) {
    std::fprintf(stderr, "%s%s\n", prefix.c_str(), error.what());
  } catch (const std::invalid_argument& error) {  // nninit::invalid_argument and the validation library's
    std::fprintf(stderr, "%s%s\n", prefix.c_str(), error.what());
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "%sout of memory\n", prefix.c_str());
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s%s\n", prefix.c_str(), error.what());
  }
  return 2;
}
