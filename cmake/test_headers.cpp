// The translation unit that owns the tests' precompiled header
// (cmake/NninitTestHeaders.cmake); it has no code of its own.
