package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/zonula/zonula/pipeline"
	"github.com/zonula/zonula/taxonomy/refdb"
)

// Exit codes (contract, design.md).
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitBadInput    = 3
	exitDatabase    = 4
	exitPartial     = 5
	exitInterrupted = 130
)

const exitStatusHelp = `

Exit status:
  0  success
  1  runtime failure
  2  usage error (bad flag or argument)
  3  bad input (the file, and the record or line, are named)
  4  database problem (missing, unreadable or failing its checksum)
  5  partial batch (some samples failed, the others are done)
  130 interrupted`

// usageError is a mistake in the command line.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return &usageError{fmt.Errorf(format, a...)} }

// badInputError marks an error as a problem with a user's input file.
type badInputError struct{ err error }

func (e *badInputError) Error() string { return e.err.Error() }
func (e *badInputError) Unwrap() error { return e.err }

// databaseError marks an error as a database problem.
type databaseError struct{ err error }

func (e *databaseError) Error() string { return e.err.Error() }
func (e *databaseError) Unwrap() error { return e.err }

// run executes the command line and returns the exit code. It is main
// without the process: tests call it directly. Cancelling ctx (main does on
// SIGINT, SIGTERM or SIGHUP) stops the command, which leaves no partial
// outputs and returns exit status 130.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCommand(stdin)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	code := exitCode(err)
	if code == exitInterrupted {
		fmt.Fprintln(stderr, "zonula: interrupted")
		return code
	}
	fmt.Fprintf(stderr, "zonula: %v\n", err)
	if code == exitUsage {
		fmt.Fprintln(stderr, "Run 'zonula --help' or 'zonula COMMAND --help' for usage.")
	}
	return code
}

// interruptGrace is how long a command may take to stop after the first
// interrupt before the process exits anyway. Reads waiting for input stop
// at once (pipeline's reader gives up on the context); a step that does not
// check the context (rendering a PDF, building an index) may hold a command
// longer, and is cut short: its staging directory is then left, and removed
// by the next command writing into the directory.
const interruptGrace = time.Second

// interruptible returns a context cancelled by SIGINT, SIGTERM or SIGHUP
// (all three mean "stop": a closed terminal too). The command then has
// interruptGrace to stop and clean up; a second signal, or the grace
// running out, ends the process at once with exit status 130. stop releases
// the signals.
func interruptible(parent context.Context, stderr io.Writer) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		select {
		case <-sigs:
			cancel()
		case <-done:
			return
		}
		timer := time.NewTimer(interruptGrace)
		defer timer.Stop()
		select {
		case <-sigs:
		case <-timer.C:
		case <-done:
			return
		}
		fmt.Fprintln(stderr, "zonula: interrupted; stopping now (a staging directory left behind goes with the next run into the directory)")
		os.Exit(exitInterrupted)
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel()
	}
}

// inputProblem is implemented by every error that names a user's input
// file and, where known, the line or record at fault: *seqio.ParseError,
// *tables.ParseError, *pipeline.SheetError, *cohort.ParseError,
// *cohort.InputError (also pipeline.InputError), *metrics.NewickError,
// *qc.PrimerFileError, *refdb.ParseError, *simulate.ParseError. It means
// exit status 3 (a database problem, checked first, means 4).
type inputProblem interface {
	error
	InputFile() string
}

// exitCode maps an error to the documented exit status.
func exitCode(err error) int {
	var (
		ue *usageError
		bi *badInputError
		de *databaseError
		ip inputProblem
		be *pipeline.BatchError
	)
	switch {
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.As(err, &ue), errors.Is(err, pipeline.ErrSampleName):
		return exitUsage
	case errors.As(err, &be):
		return exitPartial
	case errors.As(err, &de), errors.Is(err, refdb.ErrCorrupt):
		return exitDatabase
	case errors.As(err, &bi), errors.As(err, &ip):
		return exitBadInput
	}
	return exitFailure
}
