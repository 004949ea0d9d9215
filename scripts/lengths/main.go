// Command lengths fails when a non-test Go file of the module holds more
// than 600 lines or a function of more than 100 (generated files, marked
// "Code generated ... DO NOT EDIT.", aside), so that code stays cut by job.
// With -top N it prints the N longest functions instead.
//
//	go run ./scripts/lengths [-top N] [DIR]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

const (
	maxFileLines = 600
	maxFuncLines = 100
)

// span is one function or file and its length in lines.
type span struct {
	where string
	lines int
}

func main() {
	top := flag.Int("top", 0, "print the `N` longest functions and files and exit 0")
	flag.Parse()
	root := "."
	if flag.NArg() > 0 {
		root = flag.Arg(0)
	}
	files, funcs, err := measure(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "lengths:", err)
		os.Exit(2)
	}
	if *top > 0 {
		for _, s := range funcs[:min(*top, len(funcs))] {
			fmt.Printf("%5d  %s\n", s.lines, s.where)
		}
		fmt.Println()
		for _, s := range files[:min(*top, len(files))] {
			fmt.Printf("%5d  %s\n", s.lines, s.where)
		}
		return
	}
	bad := 0
	for _, s := range files {
		if s.lines > maxFileLines {
			fmt.Printf("%s: %d lines (at most %d; cut the file by job)\n", s.where, s.lines, maxFileLines)
			bad++
		}
	}
	for _, s := range funcs {
		if s.lines > maxFuncLines {
			fmt.Printf("%s: %d lines (at most %d; break it into named steps)\n", s.where, s.lines, maxFuncLines)
			bad++
		}
	}
	if bad > 0 {
		os.Exit(1)
	}
}

// measure returns the non-test, non-generated Go files under root and their
// functions, each longest first.
func measure(root string) (files, funcs []span, err error) {
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(src, []byte("Code generated")) && bytes.Contains(src, []byte("DO NOT EDIT.")) {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, src, 0)
		if err != nil {
			return err
		}
		files = append(files, span{path, bytes.Count(src, []byte("\n"))})
		for _, decl := range f.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok {
				start, end := fset.Position(fn.Pos()), fset.Position(fn.End())
				funcs = append(funcs, span{fmt.Sprintf("%s:%d %s", path, start.Line, fn.Name.Name), end.Line - start.Line + 1})
			}
		}
		return nil
	})
	longest := func(a, b span) int { return b.lines - a.lines }
	slices.SortStableFunc(files, longest)
	slices.SortStableFunc(funcs, longest)
	return files, funcs, err
}
