package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

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
// without the process: tests call it directly.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRootCommand(stdin)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	code := exitCode(err)
	fmt.Fprintf(stderr, "zonula: %v\n", err)
	if code == exitUsage {
		fmt.Fprintln(stderr, "Run 'zonula --help' or 'zonula COMMAND --help' for usage.")
	}
	return code
}

// inputProblem is implemented by every error that names a user's input
// file and, where known, the line or record at fault: *seqio.ParseError,
// *tables.ParseError, *pipeline.InputError, *pipeline.SheetError,
// *cohort.ParseError, *cohort.InputError, *metrics.NewickError,
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
	case errors.As(err, &ue):
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
