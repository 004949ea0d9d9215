package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// waitForLock waits until dir's lock file holds pid, as a run holds it
// from before it reads its first read.
func waitForLock(t *testing.T, dir string, pid int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(filepath.Join(dir, ".zonula.lock")); err == nil && strings.TrimSpace(string(b)) == fmt.Sprint(pid) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s was not locked by pid %d", dir, pid)
}

// stopped signals cmd and returns its exit status and how long it took to
// exit.
func stopped(t *testing.T, cmd *exec.Cmd, sig syscall.Signal) (int, time.Duration) {
	t.Helper()
	start := time.Now()
	cmd.Process.Signal(sig)
	err := cmd.Wait()
	took := time.Since(start)
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("after %v: %v, want an exit status", sig, err)
	}
	return ee.ExitCode(), took
}

// TestLockAndInterruptWhileBlocked: a run blocked on a FIFO nobody writes
// holds its output directory's lock; a second writer is refused with the
// holder's pid and touches nothing; SIGINT, SIGTERM and SIGHUP then end the
// blocked run within a second with exit 130, leaving nothing behind.
func TestLockAndInterruptWhileBlocked(t *testing.T) {
	bin := zonulaBinary(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			fifo := filepath.Join(dir, "reads.fq")
			if err := syscall.Mkfifo(fifo, 0o644); err != nil {
				t.Skip("no FIFOs here:", err)
			}
			out := filepath.Join(dir, "out")
			blocked := exec.Command(bin, "run", fifo, "-o", out, "--format", "none", "-q")
			if err := blocked.Start(); err != nil {
				t.Fatal(err)
			}
			waitForLock(t, out, blocked.Process.Pid)

			second := exec.Command(bin, "run", demoReads, "-o", out, "--format", "none", "-q")
			msg, err := second.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != exitFailure || !strings.Contains(string(msg), fmt.Sprintf("is being written by another zonula (pid %d)", blocked.Process.Pid)) {
				t.Errorf("second writer: %v, %s", err, msg)
			}
			if entries, _ := os.ReadDir(out); len(entries) != 1 {
				t.Errorf("the second writer changed %s: %d entries", out, len(entries))
			}

			time.Sleep(1500 * time.Millisecond) // past the index build: waiting on the FIFO
			code, took := stopped(t, blocked, sig)
			if code != exitInterrupted || took > time.Second {
				t.Errorf("blocked run after %v: exit %d after %v, want %d within a second", sig, code, took, exitInterrupted)
			}
			t.Logf("%v: exit %d after %v", sig, code, took)
			if entries, _ := os.ReadDir(dir); len(entries) != 1 { // the FIFO
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				t.Errorf("interrupted run left %v", names)
			}
		})
	}
}

// TestInterruptWhileReadingStdin: a run reading standard input from a pipe
// that nobody writes to stops on Ctrl-C.
func TestInterruptWhileReadingStdin(t *testing.T) {
	bin := zonulaBinary(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	cmd := exec.Command(bin, "run", "-", "-o", out, "--format", "none", "-q")
	cmd.Stdin = r
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r.Close()
	waitForLock(t, out, cmd.Process.Pid)
	time.Sleep(1500 * time.Millisecond) // past the index build: waiting on the pipe
	code, took := stopped(t, cmd, syscall.SIGINT)
	if code != exitInterrupted || took > time.Second {
		t.Errorf("exit %d after %v, want %d within a second", code, took, exitInterrupted)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("interrupted run left %s", out)
	}
}

// TestSecondBatchRefused: while a batch writes a directory (held here with
// SIGSTOP once it has the lock), a second batch into it with other options
// is refused naming the first's pid; the first then finishes with its own
// options recorded.
func TestSecondBatchRefused(t *testing.T) {
	bin := zonulaBinary(t)
	dir := t.TempDir()
	reads, _ := filepath.Abs(demoReads)
	sheet := filepath.Join(dir, "sheet.csv")
	os.WriteFile(sheet, []byte("sample,reads\nzymo,"+reads+"\n"), 0o644)
	out := filepath.Join(dir, "out")
	first := exec.Command(bin, "batch", sheet, "-o", out, "--format", "none")
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	waitForLock(t, out, first.Process.Pid)
	first.Process.Signal(syscall.SIGSTOP)
	msg, err := exec.Command(bin, "batch", sheet, "-o", out, "--format", "none", "--min-length", "1200").CombinedOutput()
	first.Process.Signal(syscall.SIGCONT)
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitFailure || !strings.Contains(string(msg), fmt.Sprintf("(pid %d)", first.Process.Pid)) {
		t.Errorf("second batch: %v\n%s", err, msg)
	}
	if err := first.Wait(); err != nil {
		t.Fatalf("first batch: %v", err)
	}
	run, _ := os.ReadFile(filepath.Join(out, "zymo", "run.json"))
	if !strings.Contains(string(run), `"name": "min-length",
      "value": "1000"`) {
		t.Errorf("zymo/run.json does not record the first batch's --min-length 1000:\n%s", run)
	}
}
