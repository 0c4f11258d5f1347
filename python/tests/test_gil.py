"""The GIL is released while a fill runs: another Python thread observes the
fill half done. With the GIL held no Python code could run between the first
and the last element being written, so the observation cannot be made."""

import threading

import numpy as np

import nninit


def test_another_thread_sees_a_fill_in_progress():
    n = 1 << 24  # 16 Mi doubles, 128 MiB; one thread writes them front to back
    sentinel = -1.0
    observed = False
    for _attempt in range(5):
        x = np.full(n, sentinel)
        started = threading.Event()

        def work():
            started.set()
            nninit.fill(x, nninit.Uniform(0, 1), threads=1)

        worker = threading.Thread(target=work)
        worker.start()
        started.wait()
        polls = 0
        while worker.is_alive():
            polls += 1
            if x[0] != sentinel and x[-1] == sentinel:  # the first element written, the last not yet
                observed = True
                break
        worker.join()
        assert (x >= 0).all() and (x < 1).all()  # the fill completed
        if observed:
            break
    assert observed, "no other Python thread ran while nninit.fill was writing (is the GIL held?)"
