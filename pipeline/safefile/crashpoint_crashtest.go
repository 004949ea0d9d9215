//go:build crashtest

package safefile

import (
	"fmt"
	"os"
	"strconv"
	"sync/atomic"
	"syscall"
)

// crashpoint counts the file-system operations of the process; with
// ZONULA_CRASH_AT=N it kills the process with SIGKILL just before the Nth
// (nothing is flushed, nothing cleaned up, as a power cut or kill -9 would
// leave it), and with ZONULA_CRASH_LOG=FILE it appends "N op" for each, so
// a test can count them. scripts/crash-test.sh builds zonula with
// -tags crashtest and kills it at every one in turn.
func crashpoint(op string) {
	n := ops.Add(1)
	if log := os.Getenv("ZONULA_CRASH_LOG"); log != "" {
		if f, err := os.OpenFile(log, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); err == nil {
			fmt.Fprintf(f, "%d %s\n", n, op)
			f.Close()
		}
	}
	if at, err := strconv.ParseInt(os.Getenv("ZONULA_CRASH_AT"), 10, 64); err == nil && n == at {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // the signal is on its way
	}
}

var ops atomic.Int64
