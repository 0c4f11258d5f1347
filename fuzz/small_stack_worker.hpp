// small_stack_worker.hpp — runs each fuzz input on one worker thread with a
// 256 KiB stack, so that recursion which grows with the input (a value
// nested thousands deep) overflows it and shows as a finding. One thread for
// the whole run (a thread per input would grow the sanitizers' bookkeeping).
#pragma once

#include <pthread.h>

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <mutex>

namespace nninit::fuzz {

class SmallStackWorker {
 public:
  using Check = void (*)(const std::uint8_t* data, std::size_t size);

  explicit SmallStackWorker(Check check) : check_(check) {
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setstacksize(&attributes, std::size_t{256} << 10);
    pthread_t thread;
    if (pthread_create(&thread, &attributes, &SmallStackWorker::loop, this) != 0) std::abort();
    pthread_attr_destroy(&attributes);
    pthread_detach(thread);
  }

  // Runs the check on the worker and waits for it.
  void run(const std::uint8_t* data, std::size_t size) {
    std::unique_lock lock(mutex_);
    data_ = data;
    size_ = size;
    pending_ = true;
    changed_.notify_all();
    changed_.wait(lock, [this] { return !pending_; });
  }

 private:
  static void* loop(void* self) {
    auto& worker = *static_cast<SmallStackWorker*>(self);
    std::unique_lock lock(worker.mutex_);
    while (true) {
      worker.changed_.wait(lock, [&] { return worker.pending_; });
      worker.check_(worker.data_, worker.size_);
      worker.pending_ = false;
      worker.changed_.notify_all();
    }
  }

  Check check_;
  std::mutex mutex_;
  std::condition_variable changed_;
  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  bool pending_ = false;
};

}  // namespace nninit::fuzz
