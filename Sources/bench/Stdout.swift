@preconcurrency import Glibc

/// Line-buffered stdout, so progress shows up at once also in a file or pipe.
func lineBufferedStdout() {
    setvbuf(stdout, nil, _IOLBF, 0)
}
