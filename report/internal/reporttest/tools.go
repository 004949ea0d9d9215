package reporttest

import (
	"os"
	"os/exec"
	"testing"
)

// Tool returns the path of an external program the test needs. When it is
// missing the test is skipped, except under CI (CI set), where a missing tool
// fails it: CI installs every tool, so skipping there would hide a gap.
func Tool(t testing.TB, name, debianPackage string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	msg := name + " not found; install Debian's " + debianPackage + " (make test-deps)"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}
