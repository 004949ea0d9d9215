// Command zonula turns full-length 16S rRNA reads from a stool sample into a
// gut-microbiome report tied to gut-barrier science. See README.md.
package main

import (
	"context"
	"os"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
